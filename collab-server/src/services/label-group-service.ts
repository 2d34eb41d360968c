import { defineAbilityFor } from '@patchline/permissions';
import { applyAccessChangeForUser } from '../core/access-changes.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { forbidden, notFound } from './service-error.js';

const MANAGERS = 'managers';

function requireAdmin(caller: Caller): void {
  if (!defineAbilityFor(caller).can('manage', 'LabelGroup'))
    throw forbidden('Only admins manage label groups');
}

/**
 * Someone's label groups now, without their token: those Patchline recorded when an admin last
 * changed them, else Cognito's. A disabled or deleted account has none.
 */
export async function labelGroupsOf(deps: ApiDeps, userId: string): Promise<string[]> {
  const record = await deps.stores.labelGroups.get(userId);
  const user = await deps.directory.findBySub(userId);
  if (!user?.enabled) return [];
  return record ? record.groups : deps.directory.groupsOf(user);
}

/** Every user with their label groups (admins only). */
export async function listLabelUsers(deps: ApiDeps, caller: Caller) {
  requireAdmin(caller);
  const users = await deps.directory.list();
  return Promise.all(
    users.map(async (user) => ({
      userId: user.sub,
      email: user.email,
      name: user.name,
      groups: await deps.directory.groupsOf(user),
    })),
  );
}

/**
 * Adds a user to or removes them from `managers`, effective at once everywhere (README.md,
 * "Security model"): Cognito's groups change (for their next ID token), Patchline's record of
 * their groups changes (what every request and message is judged by from now on), a removal
 * signs them out (their old tokens are refused), and their open connections are told (`revoked`
 * where they can no longer read, `role-changed` elsewhere).
 */
export async function setManager(deps: ApiDeps, caller: Caller, userId: string, isManager: boolean) {
  requireAdmin(caller);
  const user = await deps.directory.findBySub(userId);
  if (!user) throw notFound('User');
  const wasManager = (await deps.directory.groupsOf(user)).includes(MANAGERS);
  if (isManager) await deps.directory.addToGroup(user, MANAGERS);
  else await deps.directory.removeFromGroup(user, MANAGERS);
  const groups = await deps.directory.groupsOf(user);
  const isDemotion = wasManager && !isManager;
  const previous = await deps.stores.labelGroups.get(userId);
  await deps.stores.labelGroups.put({
    userId,
    groups,
    // A demotion signs them out: tokens issued before this second are refused. (Signing in again
    // must work at once; a token from this very second carries no power the record does not give.)
    tokensValidFrom: isDemotion ? Math.floor(deps.now() / 1000) : (previous?.tokensValidFrom ?? 0),
  });
  if (isDemotion) await deps.directory.signOut(user);
  await applyAccessChangeForUser(deps, userId);
  deps.log('label group changed', { by: caller.sub, userId, group: MANAGERS, isManager });
  return { userId, email: user.email, name: user.name, groups };
}
