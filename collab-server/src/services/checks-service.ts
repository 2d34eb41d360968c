import { type AppAbility, asRelease, defineAbilityFor } from '@patchline/permissions';
import {
  type DeliveryReadiness,
  deliveryReadiness,
  type IsrcElsewhere,
  isoDay,
  isSameRecording,
  type LabelFindings,
  labelWideProblems,
  normalizeIsrc,
  type OtherRelease,
  type Problem,
  parseIsoDuration,
  type ReleaseSheet,
  readSheet,
  sheetIdentifiers,
  validateSheet,
} from '@patchline/shared';
import type * as Y from 'yjs';
import { roomOf } from '../room/rooms.js';
import { type IdentifierRecord, IdentifierStore, type RecordedIsrc } from '../store/identifier-store.js';
import type { ReleaseMeta } from '../store/release-store.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { spendLimit } from './api-limits.js';
import { accessRelease } from './release-access.js';
import { conflict, notFound, ServiceError, ServiceErrorReason } from './service-error.js';

/**
 * How far a listing's `updatedAt` may trail the last commit: the room refreshes it at least every
 * 5 s while edits arrive (room.ts, LISTING_TOUCH_INTERVAL_MS), plus clock skew between processes.
 * A record read less than this before the listing's last touch may miss that commit.
 */
const LISTING_LAG_MS = 10_000;
/** Documents read at once when records must be refreshed (a first check reads every release). */
const REFRESH_CONCURRENCY = 8;

/** What `GET /releases/:id/checks` answers. */
export interface ReleaseChecks {
  releaseId: string;
  isReady: boolean;
  /** The sheet's own problems, as the editor computes them live. */
  problems: Problem[];
  /** Problems across the label's releases, which only the server can find. */
  labelWide: Problem[];
  checkedAt: string;
}

function recordOf(releaseId: string, sheet: ReleaseSheet, readAt: number): IdentifierRecord {
  const { upc, isrcs } = sheetIdentifiers(sheet);
  const wanted = new Set(isrcs);
  const recordings: RecordedIsrc[] = [];
  for (const track of sheet.tracks) {
    const isrc = normalizeIsrc(track.isrc);
    if (!wanted.delete(isrc)) continue;
    recordings.push({
      isrc,
      title: track.title,
      version: track.version,
      seconds: parseIsoDuration(track.duration),
    });
  }
  return { releaseId, upc, recordings, readAt };
}

const sameIdentifiers = (a: IdentifierRecord, b: IdentifierRecord) =>
  a.upc === b.upc && JSON.stringify(a.recordings) === JSON.stringify(b.recordings);

/** Whether the release may have changed since `record` was read (docs/DELIVERY-CHECKS.md, "Across the label"). */
const isStale = (record: IdentifierRecord | undefined, meta: ReleaseMeta) =>
  !record || Date.parse(meta.updatedAt) >= record.readAt - LISTING_LAG_MS;

async function inBatches<T>(
  items: readonly T[],
  size: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/**
 * The identifier records of every release of the label, each up to date: `own` (just read from
 * the checked release) is stored when it differs or would look stale to others; records missing
 * or older than their release's last change are read again from the document and stored.
 * Cost: one Query of the listing, one BatchGetItem per 100 releases, and a document load per
 * release changed since its record was read.
 */
async function labelRecords(
  deps: ApiDeps,
  own: IdentifierRecord,
): Promise<{ metas: Map<string, ReleaseMeta>; others: IdentifierRecord[] }> {
  const store = new IdentifierStore(deps.stores.client, deps.stores.tableName);
  const metas = new Map((await deps.stores.releases.listAll()).map((meta) => [meta.releaseId, meta]));
  const stored = await store.getMany([...new Set([own.releaseId, ...metas.keys()])]);
  const ownStored = stored.get(own.releaseId);
  const ownMeta = metas.get(own.releaseId);
  if (!ownStored || !sameIdentifiers(ownStored, own) || (ownMeta && isStale(ownStored, ownMeta)))
    await store.put(own);
  stored.delete(own.releaseId);
  metas.delete(own.releaseId);
  const stale = [...metas.values()].filter((meta) => isStale(stored.get(meta.releaseId), meta));
  await inBatches(stale, REFRESH_CONCURRENCY, async ({ releaseId }) => {
    const readAt = deps.now();
    const loaded = await deps.stores.documents.load(releaseId);
    if (!loaded) {
      stored.delete(releaseId);
      return;
    }
    const record = recordOf(releaseId, readSheet(loaded.doc), readAt);
    stored.set(releaseId, record);
    await store.put(record);
  });
  return { metas, others: [...stored.values()].filter((record) => metas.has(record.releaseId)) };
}

/** What the caller may learn of another release: its id and title only if they can read it. */
function shown(ability: AppAbility, meta: ReleaseMeta | undefined, releaseId: string): OtherRelease {
  return meta && ability.can('read', asRelease({ id: releaseId, status: meta.status }))
    ? { releaseId, title: meta.title || 'Untitled release' }
    : { releaseId: null, title: null };
}

/** The identifiers a label check was made for, to tell whether it still holds for a document. */
function identifiersKey(sheet: ReleaseSheet): string {
  const { upc, recordings } = recordOf('', sheet, 0);
  return JSON.stringify([upc, recordings]);
}

/** A label check made for a sheet: its findings, valid while the sheet's identifiers are the same. */
export interface LabelCheck {
  key: string;
  findings: LabelFindings;
}

/**
 * Looks up this sheet's UPC and ISRCs on the label's other releases. Releases the caller may
 * not read are counted, never named.
 */
export async function checkLabel(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  sheet: ReleaseSheet,
  readAt: number,
): Promise<LabelCheck> {
  const own = recordOf(releaseId, sheet, readAt);
  const [{ metas, others }, grants] = await Promise.all([
    labelRecords(deps, own),
    deps.stores.grants.listForUser(caller.sub),
  ]);
  const ability = defineAbilityFor(caller, grants);
  const findings: LabelFindings = { upc: [], isrcs: {} };
  const mine = new Map(own.recordings.map((recording) => [recording.isrc, recording]));
  for (const record of others) {
    const release = shown(ability, metas.get(record.releaseId), record.releaseId);
    if (own.upc && record.upc === own.upc) findings.upc.push(release);
    for (const recording of record.recordings) {
      const ours = mine.get(recording.isrc);
      if (!ours) continue;
      const found: IsrcElsewhere = { ...release, isSameRecording: isSameRecording(ours, recording) };
      findings.isrcs[recording.isrc] = [...(findings.isrcs[recording.isrc] ?? []), found];
    }
  }
  return { key: identifiersKey(sheet), findings };
}

/** Holders found to no longer carry the UPC, whose claim a submit takes over, before it gives up. */
const MAX_UPC_TAKEOVERS = 3;

/**
 * Claims the sheet's UPC for this release's submit (docs/DELIVERY-CHECKS.md, "Across the label"):
 * the label check reads other releases' records, which trail their documents by the moment a
 * listing takes to be touched, so two releases given one new UPC and submitted at that moment could
 * each pass it. The claim is one conditional write: when another release holds it and its document
 * still carries the UPC, that release is added to the check's findings (the submit is refused);
 * when it no longer does, the claim is taken over from it.
 */
export async function withUpcClaim(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  sheet: ReleaseSheet,
  check: LabelCheck,
): Promise<LabelCheck> {
  const { upc } = recordOf(releaseId, sheet, 0);
  if (!upc) return check;
  const store = new IdentifierStore(deps.stores.client, deps.stores.tableName);
  let from: string | undefined;
  for (let attempt = 0; attempt < MAX_UPC_TAKEOVERS; attempt++) {
    const refused = await store.claimUpc(releaseId, upc, from);
    if (!refused) return check;
    const { holder } = refused;
    const view = holder ? await roomOf(deps, holder).read() : null;
    if (view && recordOf(holder, readSheet(view.doc), 0).upc === upc) {
      if (check.findings.upc.length > 0) return check; // the label check found it (or another) already
      const [meta, grants] = await Promise.all([
        deps.stores.releases.get(holder),
        deps.stores.grants.listForUser(caller.sub),
      ]);
      const found = shown(defineAbilityFor(caller, grants), meta ?? undefined, holder);
      return { ...check, findings: { ...check.findings, upc: [found] } };
    }
    from = holder;
  }
  throw conflict('The UPC changed hands several times while this release was submitted; try again');
}

/** Readiness of `doc` for submission, the label check included; null when the check no longer fits the document. */
export function readinessWith(doc: Y.Doc, check: LabelCheck, nowMs: number): DeliveryReadiness | null {
  const sheet = readSheet(doc);
  if (identifiersKey(sheet) !== check.key) return null;
  return deliveryReadiness(sheet, { today: isoDay(nowMs), label: check.findings });
}

/** The sheet as the release's room holds it now, and when it was read (taken before the read). */
export async function currentSheet(
  deps: ApiDeps,
  releaseId: string,
): Promise<{ sheet: ReleaseSheet; readAt: number }> {
  const readAt = deps.now();
  const view = await roomOf(deps, releaseId).read();
  if (!view) throw notFound();
  return { sheet: readSheet(view.doc), readAt };
}

/** Every delivery check of a release: its own rules and those across the label (`GET /releases/:id/checks`). */
export async function runChecks(deps: ApiDeps, caller: Caller, releaseId: string): Promise<ReleaseChecks> {
  await accessRelease(deps, caller, releaseId);
  await spendLimit(deps, 'labelChecksPerUserPerMinute', caller.sub);
  const { sheet, readAt } = await currentSheet(deps, releaseId);
  const { findings } = await checkLabel(deps, caller, releaseId, sheet, readAt);
  const today = isoDay(deps.now());
  const problems = validateSheet(sheet, { today });
  const labelWide = labelWideProblems(sheet, findings);
  return {
    releaseId,
    isReady: ![...problems, ...labelWide].some((p) => p.severity === 'blocking'),
    problems,
    labelWide,
    checkedAt: new Date(deps.now()).toISOString(),
  };
}

/** Refuses submission (422, the blocking problems as details) unless `readiness` is ready. */
export function requireReady(readiness: DeliveryReadiness): void {
  if (!readiness.isReady) {
    throw new ServiceError(
      ServiceErrorReason.notReady,
      'Fix the blocking problems before submitting',
      readiness.blocking,
    );
  }
}
