import { defineAbilityFor } from '@patchline/permissions';
import type { ApiDeps, Caller } from './api-deps.js';
import { forbidden, notFound } from './service-error.js';

const MANAGERS = 'managers';

function requireAdmin(caller: Caller): void {
  if (!defineAbilityFor(caller).can('manage', 'LabelGroup'))
    throw forbidden('Only admins manage label groups');
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

/** Adds a user to or removes them from `managers`; effective in their next ID token. */
export async function setManager(deps: ApiDeps, caller: Caller, userId: string, isManager: boolean) {
  requireAdmin(caller);
  const user = await deps.directory.findBySub(userId);
  if (!user) throw notFound('User');
  if (isManager) await deps.directory.addToGroup(user, MANAGERS);
  else await deps.directory.removeFromGroup(user, MANAGERS);
  deps.log('label group changed', { by: caller.sub, userId, group: MANAGERS, isManager });
  return { userId, email: user.email, name: user.name, groups: await deps.directory.groupsOf(user) };
}
