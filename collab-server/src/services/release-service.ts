import { asRelease, defineAbilityFor, type ReleaseRole } from '@patchline/permissions';
import { EMPTY_TRACK_FIELDS, type ReleaseStatus, type SheetSeed } from '@patchline/shared';
import { createRelease } from '../core/create-release.js';
import { sendControl } from '../core/send.js';
import { roomsOf } from '../room/rooms.js';
import type { ReleaseMeta } from '../store/release-store.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { spendLimit } from './api-limits.js';
import { audit } from './audit-log.js';
import { accessRelease } from './release-access.js';
import { forbidden } from './service-error.js';

export interface ReleaseListItem extends ReleaseMeta {
  /** The caller's own role on it, if any (label staff may see releases without one). */
  role: ReleaseRole | null;
  /** Granted to the caller by someone else (not owned). */
  isSharedWithMe: boolean;
}

export interface ReleaseFilter {
  status?: ReleaseStatus;
  /** Case-insensitive match on title and display artist. */
  q?: string;
}

/** Releases the caller may read: own and granted; label staff see every release. */
export async function listReleases(
  deps: ApiDeps,
  caller: Caller,
  filter: ReleaseFilter = {},
): Promise<ReleaseListItem[]> {
  const grants = await deps.stores.grants.listForUser(caller.sub);
  const roleOf = new Map(grants.map((grant) => [grant.releaseId, grant]));
  const ability = defineAbilityFor(caller, grants);
  const isLabelStaff =
    ability.can('read', 'Release') && caller.groups.some((g) => g === 'managers' || g === 'admins');
  const metas = isLabelStaff
    ? await deps.stores.releases.listAll()
    : await deps.stores.releases.getMany([...roleOf.keys()]);
  const q = filter.q?.trim().toLowerCase();
  return metas
    .filter((meta) => ability.can('read', asRelease({ id: meta.releaseId, status: meta.status })))
    .filter((meta) => !filter.status || meta.status === filter.status)
    .filter((meta) => !q || `${meta.title} ${meta.displayArtist}`.toLowerCase().includes(q))
    .map((meta) => {
      const grant = roleOf.get(meta.releaseId);
      return { ...meta, role: grant?.role ?? null, isSharedWithMe: Boolean(grant && grant.via !== 'owner') };
    })
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export interface CreateReleaseInput {
  title?: string;
  displayArtist?: string;
  /** A template: this many empty tracks. */
  trackCount?: number;
}

/** Creates a release owned by the caller (AB9), up to `releasesPerUserPerDay` a day. */
export async function createReleaseFor(
  deps: ApiDeps,
  caller: Caller,
  input: CreateReleaseInput,
): Promise<ReleaseMeta> {
  if (!defineAbilityFor(caller).can('create', 'Release')) throw forbidden('You cannot create releases');
  await spendLimit(deps, 'releasesPerUserPerDay', caller.sub);
  const seed: SheetSeed = {
    release: { title: input.title ?? '', displayArtist: input.displayArtist ?? '' },
    tracks: Array.from({ length: input.trackCount ?? 0 }, () => ({ ...EMPTY_TRACK_FIELDS })),
  };
  const releaseId = await createRelease(
    { ...deps.stores, now: deps.now },
    { ownerId: caller.sub, ownerEmail: caller.email, ownerName: caller.name, seed },
  );
  await audit(deps, caller, releaseId, 'release.created');
  return (await deps.stores.releases.get(releaseId))!;
}

export async function getRelease(deps: ApiDeps, caller: Caller, releaseId: string) {
  const { release, role, ability, subject } = await accessRelease(deps, caller, releaseId);
  return {
    ...release,
    role,
    canDelete: ability.can('delete', subject),
    canShare: ability.can('share', 'ShareLink'),
  };
}

/** Deletes everything of a release and closes its open connections (owner or admin). */
export async function deleteRelease(deps: ApiDeps, caller: Caller, releaseId: string): Promise<void> {
  const { ability, subject } = await accessRelease(deps, caller, releaseId);
  if (!ability.can('delete', subject)) throw forbidden('Only the owner or an admin can delete a release');
  const [connections, links] = await Promise.all([
    deps.stores.connections.listForRelease(releaseId),
    deps.stores.shareLinks.listForRelease(releaseId),
  ]);
  await deps.stores.releases.deleteAll(releaseId);
  // This process's room would otherwise keep the document until it notices the release is gone.
  roomsOf(deps).forget(releaseId);
  await Promise.all(links.map((link) => deps.stores.shareLinks.deleteTokenLookup(link.tokenHash)));
  // The release's partition, connection lists included, is gone: each connection is told, its
  // own items deleted, and closed.
  for (const connection of connections) {
    await sendControl(deps, connection.connectionId, {
      type: 'revoked',
      message: 'This release was deleted',
    });
    await deps.stores.connections.delete(releaseId, connection.connectionId, connection.userId);
    await deps.messenger.close(connection.connectionId);
  }
  // The audit trail of a deleted release lives in the logs: its partition is gone.
  deps.log('release deleted', { releaseId, by: caller.sub });
}
