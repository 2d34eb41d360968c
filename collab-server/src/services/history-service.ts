import { asAuditLog, asRelease, RejectReason } from '@patchline/permissions';
import {
  type ActivityItem,
  type ActivityKind,
  type ActivityPage,
  applyRestore,
  createSheet,
  diffSheets,
  type FieldHistoryEntry,
  type Person,
  planRestore,
  type ReleaseSheet,
  RestoreSelectionError,
  type RestoreUnit,
  readSheet,
  restoreUnitPath,
  type SheetDiff,
  type Version,
} from '@patchline/shared';
import type * as Y from 'yjs';
import { createRelease } from '../core/create-release.js';
import { judgeAsEdit } from '../room/judge-edit.js';
import { roomOf } from '../room/rooms.js';
import { AUDIT_ACTIONS, type AuditEvent } from '../store/audit-store.js';
import { SYSTEM_OWNER } from '../store/client-binding-store.js';
import { type AttributionRecord, mergeRuns, type StoredVersion } from '../store/history-store.js';
import type { ReleaseMeta } from '../store/release-store.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { spendLimit } from './api-limits.js';
import { audit } from './audit-log.js';
import { currentSheet } from './checks-service.js';
import { accessRelease, type ReleaseAccess } from './release-access.js';
import { conflict, forbidden, notFound, ServiceError, ServiceErrorReason } from './service-error.js';

/**
 * Version history of a release (README.md, "Version history"; storage in history-store.ts):
 * versions, compare, per-field history, restore, copy, and the activity feed. Reads need read
 * access; a restore is one edit through the release's room, judged like any edit of the caller.
 */

/** The server's own edits, as people see them. */
const SYSTEM_PERSON: Person = { userId: SYSTEM_OWNER, name: 'Patchline' };
/** A person the directory no longer knows. */
const UNKNOWN_NAME = 'Former member';
/** Directory look-ups one request makes at most, for people who are no longer members. */
const MAX_DIRECTORY_LOOKUPS = 20;
/** Edits of one person less than this apart are one activity item. */
export const EDIT_GROUP_GAP_MS = 5 * 60_000;
/** Field paths listed on one activity item. */
const MAX_ITEM_PATHS = 20;
/** Entries per-field history answers at most. */
const MAX_FIELD_HISTORY = 200;

/** Names of the people behind user ids: the release's grants, then the user directory. */
async function peopleOf(
  deps: ApiDeps,
  releaseId: string,
  ids: Iterable<string>,
): Promise<Map<string, Person>> {
  const people = new Map<string, Person>([[SYSTEM_OWNER, SYSTEM_PERSON]]);
  for (const grant of await deps.stores.grants.listForRelease(releaseId)) {
    if (grant.name) people.set(grant.userId, { userId: grant.userId, name: grant.name });
  }
  const missing = [...new Set(ids)].filter((id) => !people.has(id)).slice(0, MAX_DIRECTORY_LOOKUPS);
  const found = await Promise.all(missing.map((id) => deps.directory.findBySub(id).catch(() => null)));
  missing.forEach((id, i) => {
    people.set(id, { userId: id, name: found[i]?.name || UNKNOWN_NAME });
  });
  return people;
}

const personOf = (people: Map<string, Person>, id: string): Person =>
  people.get(id) ?? { userId: id, name: UNKNOWN_NAME };

function toVersion(version: StoredVersion, people: Map<string, Person>): Version {
  return {
    versionId: version.versionId,
    seq: version.seq,
    kind: version.kind,
    name: version.name,
    status: version.status,
    createdAt: version.createdAt,
    createdBy: version.createdBy && {
      userId: version.createdBy.userId,
      name: people.get(version.createdBy.userId)?.name ?? version.createdBy.name,
    },
    contributors: version.contributorIds.map((id) => personOf(people, id)),
    summary: version.summary,
  };
}

export async function listVersions(deps: ApiDeps, caller: Caller, releaseId: string): Promise<Version[]> {
  await accessRelease(deps, caller, releaseId);
  const versions = await deps.stores.history.listVersions(releaseId);
  const people = await peopleOf(
    deps,
    releaseId,
    versions.flatMap((version) => version.contributorIds),
  );
  return versions.map((version) => toVersion(version, people));
}

/** Whether the caller's role lets them edit the release in some status (the status aside). */
const mayEdit = (access: ReleaseAccess, releaseId: string) =>
  access.ability.can('update', asRelease({ id: releaseId, status: 'draft' }));

/** A named version of the current state: whoever may edit the release. */
export async function createNamedVersion(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  name: string,
): Promise<Version> {
  const access = await accessRelease(deps, caller, releaseId);
  if (!mayEdit(access, releaseId)) throw forbidden('Only people who can edit the release can save versions');
  await spendLimit(deps, 'versionsPerUserPerDay', caller.sub);
  const version = await roomOf(deps, releaseId).saveVersion({
    kind: 'named',
    name,
    createdBy: { userId: caller.sub, name: caller.name },
  });
  if (!version) throw notFound();
  return toVersion(version, await peopleOf(deps, releaseId, version.contributorIds));
}

async function versionOf(deps: ApiDeps, releaseId: string, versionId: string) {
  const version = await deps.stores.history.getVersion(releaseId, versionId);
  if (!version) throw notFound('Version');
  const doc = await deps.stores.history.readVersionDoc(releaseId, version);
  if (!doc) throw notFound('Version');
  return { version, doc, sheet: readSheet(doc) };
}

export async function getVersion(deps: ApiDeps, caller: Caller, releaseId: string, versionId: string) {
  await accessRelease(deps, caller, releaseId);
  const { version, sheet } = await versionOf(deps, releaseId, versionId);
  return { version: toVersion(version, await peopleOf(deps, releaseId, version.contributorIds)), sheet };
}

/** The sheet of a version, for exports of it (`?version=`); access is the caller's to check. */
export async function versionSheet(
  deps: ApiDeps,
  releaseId: string,
  versionId: string,
): Promise<ReleaseSheet> {
  return (await versionOf(deps, releaseId, versionId)).sheet;
}

/** `to` is a version id or `current` (the sheet as it stands). */
export async function compareVersions(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  from: string,
  to: string,
): Promise<SheetDiff> {
  await accessRelease(deps, caller, releaseId);
  const [before, after] = await Promise.all([
    versionOf(deps, releaseId, from).then((found) => found.sheet),
    to === 'current'
      ? currentSheet(deps, releaseId).then((current) => current.sheet)
      : versionOf(deps, releaseId, to).then((found) => found.sheet),
  ]);
  return diffSheets(before, after);
}

/**
 * Whether a commit that changed `recorded` changed `path`: the same path, one inside it, or the
 * whole track it belongs to (a track added, removed or restored whole sets each of its fields).
 */
const touches = (recorded: string, path: string) =>
  recorded === path ||
  recorded.startsWith(`${path}.`) ||
  (recorded.startsWith('tracks.') && recorded.split('.').length === 2 && path.startsWith(`${recorded}.`));

/** The past values of one field, newest first, with who set each and when. */
export async function fieldHistory(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  path: string,
): Promise<FieldHistoryEntry[]> {
  await accessRelease(deps, caller, releaseId);
  const read: AttributionRecord[] = [];
  let matching = 0;
  for await (const batch of deps.stores.history.attributionNewestFirst(releaseId)) {
    read.unshift(...batch);
    matching += batch.filter((record) => record.paths.some((recorded) => touches(recorded, path))).length;
    if (matching >= MAX_FIELD_HISTORY) break;
  }
  const records = mergeRuns(read)
    .filter((record) => record.paths.some((recorded) => touches(recorded, path)))
    .reverse()
    .slice(0, MAX_FIELD_HISTORY);
  const people = await peopleOf(
    deps,
    releaseId,
    records.flatMap((record) => record.by),
  );
  return records.map((record) => ({
    value: record.values?.[path] ?? null,
    setBy: record.by[0] === undefined ? null : personOf(people, authorOf(record)),
    at: new Date(record.at).toISOString(),
    seq: record.last,
  }));
}

/** The person a record is shown as: the first who is not the server. */
const authorOf = (record: AttributionRecord) => record.by.find((id) => id !== SYSTEM_OWNER) ?? record.by[0]!;

/**
 * What the restore would write, judged as the caller's own edit on a copy of `doc`: the same
 * rules as an update from their browser (permissions/SPEC.md). Throws the refusal.
 */
function judgeRestore(
  access: ReleaseAccess,
  releaseId: string,
  doc: Y.Doc,
  target: ReleaseSheet,
  targetDoc: Y.Doc,
  paths: readonly string[] | undefined,
): { units: RestoreUnit[]; paths: string[] } {
  let units: RestoreUnit[];
  try {
    units = planRestore(readSheet(doc), target, paths);
  } catch (error) {
    if (error instanceof RestoreSelectionError)
      throw new ServiceError(ServiceErrorReason.invalid, error.message);
    throw error;
  }
  if (units.length === 0) return { units, paths: [] };
  const { verdict, statusBefore: status } = judgeAsEdit(access.ability, releaseId, doc, (scratch) =>
    applyRestore(scratch, target, units, targetDoc),
  );
  if (!verdict) return { units: [], paths: [] };
  if (verdict.allowed) return { units, paths: verdict.paths };
  if (verdict.reason === RejectReason.readOnly) {
    if (!mayEdit(access, releaseId)) throw forbidden('Your role cannot edit this release');
    throw conflict(`The release is ${status.replace('_', ' ')}: nothing can be restored into it now`);
  }
  if (verdict.reason === RejectReason.forbiddenField) {
    throw forbidden(`${verdict.message} (${verdict.paths.join(', ')})`);
  }
  throw new ServiceError(ServiceErrorReason.invalid, verdict.message);
}

/**
 * Restores a version, whole or the given paths, as ONE edit through the release's room, recorded
 * for the caller: everyone sees it live and it shows in the history. The state before it is kept
 * as a `restore` version first, so a restore can be undone.
 */
export async function restoreVersion(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  versionId: string,
  paths: readonly string[] | undefined,
): Promise<string[]> {
  const access = await accessRelease(deps, caller, releaseId);
  if (!mayEdit(access, releaseId)) throw forbidden('Your role cannot edit this release');
  const { version, sheet: target, doc: targetDoc } = await versionOf(deps, releaseId, versionId);
  const room = roomOf(deps, releaseId);
  // A dry run (an edit that changes nothing is not stored): refused restores leave no version.
  const judge = (doc: Y.Doc) => judgeRestore(access, releaseId, doc, target, targetDoc, paths);
  const planned = await room.edit(judge, () => {}, []);
  if (planned.units.length === 0) return [];
  await spendLimit(deps, 'versionsPerUserPerDay', caller.sub);
  const label = version.name ?? new Date(version.createdAt).toISOString().slice(0, 16).replace('T', ' ');
  await room.saveVersion({
    kind: 'restore',
    name: `Before restoring ${label}`.slice(0, 100),
    createdBy: { userId: caller.sub, name: caller.name },
  });
  const restored = await room.edit(
    judge,
    (doc, { units }) => applyRestore(doc, target, units, targetDoc),
    (checked) => checked.paths,
    caller.sub,
  );
  return restored.units.map(restoreUnitPath);
}

/** A new release holding a version's sheet, owned by the caller: owners and label staff. */
export async function copyVersion(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  versionId: string,
): Promise<ReleaseMeta> {
  const access = await accessRelease(deps, caller, releaseId);
  const isLabelStaff = caller.groups.some((group) => group === 'managers' || group === 'admins');
  if (access.role !== 'owner' && !isLabelStaff)
    throw forbidden('Only owners and label staff can copy a version as a new release');
  const { sheet, doc: versionDoc } = await versionOf(deps, releaseId, versionId);
  await spendLimit(deps, 'releasesPerUserPerDay', caller.sub);
  const copyId = await createRelease(
    { ...deps.stores, now: deps.now },
    { ownerId: caller.sub, ownerEmail: caller.email, ownerName: caller.name },
  );
  const target: ReleaseSheet = {
    ...sheet,
    release: { ...sheet.release, title: `${sheet.release.title} (copy)`.slice(0, 1000), status: 'draft' },
  };
  const empty = readSheet(createSheet());
  await roomOf(deps, copyId).edit(
    () => planRestore(empty, target),
    (doc, units) => applyRestore(doc, target, units, versionDoc),
    (units) => units.map(restoreUnitPath),
    caller.sub,
  );
  await audit(deps, caller, copyId, 'release.created', releaseId, { copiedFrom: releaseId, versionId });
  return (await deps.stores.releases.get(copyId))!;
}

// ─── activity ────────────────────────────────────────────────────────────────────────────────

/** Audit actions shown as `sharing`: members and share links; the rest are the release's own (`status`). */
const SHARING_ACTIONS = new Set<string>(
  AUDIT_ACTIONS.filter((action) => action.startsWith('member.') || action.startsWith('link.')),
);

/** An activity item with the key it sorts by (newest first) and pages at. */
interface Keyed {
  key: string;
  item: ActivityItem;
}

const sortKey = (atMs: number, kind: string, id: string) => `${String(atMs).padStart(15, '0')}|${kind}|${id}`;
const CURSOR_PATTERN = /^\d{15}\|(edit|version|sharing|status)\|[\w.#:@-]{1,300}$/;

export const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!CURSOR_PATTERN.test(key))
    throw new ServiceError(ServiceErrorReason.invalid, 'Not a cursor of this feed');
  return key;
}

const editKey = (group: readonly AttributionRecord[]) =>
  sortKey(group.at(-1)!.at, 'edit', String(group[0]!.first));

/**
 * The newest `limit` edit groups before `before` (a sort key), read newest first only as far as
 * needed: once more than `limit` groups are read, the oldest may still continue into records not
 * read yet, so it is left for the next page.
 */
async function editGroupsFor(
  deps: ApiDeps,
  releaseId: string,
  before: string | null,
  limit: number,
): Promise<AttributionRecord[][]> {
  const read: AttributionRecord[] = [];
  let isComplete = true;
  for await (const batch of deps.stores.history.attributionNewestFirst(releaseId)) {
    // The creation's record (sequence 0) is the audit log's `release.created` in the feed.
    read.unshift(...batch.filter((record) => record.last > 0));
    const wanted = groupEdits(read).filter((group) => before === null || editKey(group) < before);
    if (wanted.length > limit) {
      isComplete = false;
      break;
    }
  }
  const groups = groupEdits(read);
  return isComplete ? groups : groups.slice(1);
}

/** Consecutive edits of one person, each less than EDIT_GROUP_GAP_MS after the one before. */
function groupEdits(records: readonly AttributionRecord[]): AttributionRecord[][] {
  const groups: AttributionRecord[][] = [];
  for (const record of records) {
    const group = groups.at(-1);
    const last = group?.at(-1);
    if (group && last && authorOf(last) === authorOf(record) && record.at - last.at < EDIT_GROUP_GAP_MS) {
      group.push(record);
    } else groups.push([record]);
  }
  return groups;
}

const FIELD_WORDS: Record<string, string> = { notes: 'notes' };
/** A path as a short word for summaries: `release.upc` → "upc", `tracks.<id>.isrc` → "isrc". */
const wordOf = (path: string) =>
  FIELD_WORDS[path] ??
  (path.split('.').length === 2 && path.startsWith('tracks.') ? 'tracks' : path.split('.').at(-1)!);

function editSummary(paths: readonly string[]): string {
  const tracks = new Set(
    paths.filter((path) => path.startsWith('tracks.')).map((path) => path.split('.')[1]),
  );
  const words = [...new Set(paths.filter((path) => !path.startsWith('tracks.')).map(wordOf))];
  const parts = [...words.slice(0, 4)];
  if (words.length > 4) parts.push(`${words.length - 4} more`);
  if (tracks.size > 0) parts.push(`${tracks.size} track${tracks.size === 1 ? '' : 's'}`);
  return parts.length > 0 ? `Edited ${parts.join(', ')}` : 'Edited';
}

function auditSummary(event: AuditEvent): string {
  const details = event.details ?? {};
  switch (event.action) {
    case 'status.changed':
      return `Status: ${String(details.from ?? '?').replace('_', ' ')} → ${String(details.to ?? '?').replace('_', ' ')}`;
    case 'release.created':
      return details.copiedFrom ? 'Created as a copy of another release' : 'Created the release';
    case 'member.granted':
      return `Added a member${details.role ? ` as ${details.role}` : ''}`;
    case 'member.invited':
      return `Invited someone${details.role ? ` as ${details.role}` : ''}`;
    case 'member.role-changed':
      return `Changed a member's role${details.role ? ` to ${details.role}` : ''}`;
    case 'member.revoked':
      return 'Removed a member';
    case 'link.created':
      return 'Created a share link';
    case 'link.revoked':
      return 'Revoked a share link';
    case 'link.redeemed':
      return 'Joined through a share link';
    default:
      return event.action;
  }
}

const VERSION_WORDS: Record<Version['kind'], string> = {
  auto: 'Saved automatically',
  status: 'Status version',
  named: 'Saved version',
  restore: 'Saved before a restore',
};

/**
 * One feed of edits (grouped), versions, sharing and status changes, newest first, for those
 * who may read the audit log. Pages by an opaque cursor: the sort key of the last item given.
 */
export async function activityFeed(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  query: { kinds: readonly ActivityKind[]; limit: number; cursor?: string },
): Promise<ActivityPage> {
  const access = await accessRelease(deps, caller, releaseId);
  if (!access.ability.can('read', asAuditLog({ releaseId })))
    throw forbidden('Only owners and label managers can read the activity');
  const before = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const kinds = new Set(query.kinds);
  const [groups, versions, events] = await Promise.all([
    kinds.has('edit') ? editGroupsFor(deps, releaseId, before, query.limit) : [],
    kinds.has('version') ? deps.stores.history.listVersions(releaseId) : [],
    kinds.has('sharing') || kinds.has('status') ? deps.stores.audit.listForRelease(releaseId) : [],
  ]);
  const people = await peopleOf(deps, releaseId, [
    ...groups.flatMap((group) => group.flatMap((record) => record.by)),
    ...versions.flatMap((version) => (version.createdBy ? [version.createdBy.userId] : [])),
  ]);
  const keyed: Keyed[] = [];
  for (const group of groups) {
    const last = group.at(-1)!;
    const paths = [...new Set(group.flatMap((record) => record.paths))];
    keyed.push({
      key: editKey(group),
      item: {
        kind: 'edit',
        at: new Date(last.at).toISOString(),
        actor: personOf(people, authorOf(last)),
        summary: editSummary(paths),
        paths: paths.slice(0, MAX_ITEM_PATHS),
      },
    });
  }
  for (const version of versions) {
    const shown = toVersion(version, people);
    keyed.push({
      key: sortKey(Date.parse(version.createdAt), 'version', version.versionId),
      item: {
        kind: 'version',
        at: version.createdAt,
        actor: shown.createdBy,
        summary: `${version.name ? `“${version.name}”` : VERSION_WORDS[version.kind]}: ${version.summary}`,
        versionId: version.versionId,
      },
    });
  }
  for (const event of events) {
    const kind: ActivityKind = SHARING_ACTIONS.has(event.action) ? 'sharing' : 'status';
    if (!kinds.has(kind) || event.action === 'release.deleted') continue;
    keyed.push({
      key: sortKey(Date.parse(event.at), kind, `${event.actorId}:${event.action}`),
      item: {
        kind,
        at: event.at,
        actor: { userId: event.actorId, name: event.actorName },
        summary: auditSummary(event),
      },
    });
  }
  const ordered = keyed
    .filter((entry) => before === null || entry.key < before)
    .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  const page = ordered.slice(0, query.limit);
  const more = ordered.length > page.length;
  return { items: page.map((entry) => entry.item), nextCursor: more ? encodeCursor(page.at(-1)!.key) : null };
}
