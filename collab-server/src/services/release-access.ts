import { type AppAbility, asRelease, defineAbilityFor, type ReleaseRole } from '@patchline/permissions';
import type { ReleaseMeta } from '../store/release-store.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { notFound } from './service-error.js';

export interface ReleaseAccess {
  release: ReleaseMeta;
  ability: AppAbility;
  role: ReleaseRole | null;
  subject: ReturnType<typeof asRelease>;
}

/**
 * The caller's access to one release, or `not-found` when the release is missing or unreadable
 * to them (never `forbidden`: that would confirm the release exists).
 */
export async function accessRelease(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
): Promise<ReleaseAccess> {
  const release = await deps.stores.releases.get(releaseId);
  if (!release) throw notFound();
  const grant = await deps.stores.grants.get(releaseId, caller.sub);
  const ability = defineAbilityFor(caller, grant ? [{ releaseId, role: grant.role }] : []);
  const subject = asRelease({ id: releaseId, status: release.status });
  if (!ability.can('read', subject)) throw notFound();
  return { release, ability, role: grant?.role ?? null, subject };
}
