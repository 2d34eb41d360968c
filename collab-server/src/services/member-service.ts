import { asGrant, type ReleaseRole } from '@patchline/permissions';
import { applyAccessChange } from '../core/access-changes.js';
import type { Grant } from '../store/grant-store.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { audit } from './audit-log.js';
import { accessRelease, type ReleaseAccess } from './release-access.js';
import { conflict, forbidden, notFound } from './service-error.js';

export interface Member {
  userId: string | null;
  email: string;
  name: string;
  role: ReleaseRole;
  /** How they got access: ownership, a direct grant, a share link, or a pending invite. */
  via: 'owner' | 'direct' | 'link' | 'invite';
  isPending: boolean;
}

/** Everyone with a role on the release, owners first, with pending invites last. */
export async function listMembers(deps: ApiDeps, caller: Caller, releaseId: string): Promise<Member[]> {
  await accessRelease(deps, caller, releaseId);
  const [grants, invites] = await Promise.all([
    deps.stores.grants.listForRelease(releaseId),
    deps.stores.invites.listForRelease(releaseId),
  ]);
  const order = { owner: 0, editor: 1, viewer: 2 } as const;
  return [
    ...grants
      .map(
        (grant): Member => ({
          userId: grant.userId,
          email: grant.email ?? '',
          name: grant.name ?? grant.email ?? grant.userId,
          role: grant.role,
          via: grant.via,
          isPending: false,
        }),
      )
      .sort((a, b) => order[a.role] - order[b.role] || a.name.localeCompare(b.name)),
    ...invites.map(
      (invite): Member => ({
        userId: null,
        email: invite.email,
        name: invite.email,
        role: invite.role,
        via: 'invite',
        isPending: true,
      }),
    ),
  ];
}

function requireGrantable(access: ReleaseAccess, releaseId: string, ...roles: ReleaseRole[]): void {
  for (const role of roles) {
    if (!access.ability.can('grant', asGrant({ releaseId, role })))
      throw forbidden(`You cannot give or take away the ${role} role`);
  }
}

async function requireAnotherOwner(deps: ApiDeps, releaseId: string, leaving: Grant): Promise<void> {
  if (leaving.role !== 'owner') return;
  const owners = (await deps.stores.grants.listForRelease(releaseId)).filter(
    (grant) => grant.role === 'owner',
  );
  if (owners.length <= 1) throw conflict('A release needs an owner: make someone else owner first');
}

/**
 * Grants `role` to the account with `email`, or records a pending invite that becomes a grant
 * when that email signs in. An existing member is a conflict: change their role instead.
 */
export async function grantRole(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  input: { email: string; role: ReleaseRole },
): Promise<Member> {
  const access = await accessRelease(deps, caller, releaseId);
  requireGrantable(access, releaseId, input.role);
  const email = input.email.trim().toLowerCase();
  const user = await deps.directory.findByEmail(email);
  const createdAt = new Date(deps.now()).toISOString();
  if (!user) {
    await deps.stores.invites.put({ releaseId, email, role: input.role, invitedBy: caller.sub, createdAt });
    await audit(deps, caller, releaseId, 'member.invited', email, { role: input.role });
    return { userId: null, email, name: email, role: input.role, via: 'invite', isPending: true };
  }
  if (await deps.stores.grants.get(releaseId, user.sub))
    throw conflict(`${email} already has access; change their role instead`);
  await deps.stores.grants.put({
    releaseId,
    userId: user.sub,
    role: input.role,
    via: 'direct',
    grantedBy: caller.sub,
    createdAt,
    email: user.email,
    name: user.name,
  });
  await audit(deps, caller, releaseId, 'member.granted', user.sub, { role: input.role, email: user.email });
  await applyAccessChange(deps, { releaseId, userId: user.sub });
  return {
    userId: user.sub,
    email: user.email,
    name: user.name,
    role: input.role,
    via: 'direct',
    isPending: false,
  };
}

export async function changeRole(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  userId: string,
  role: ReleaseRole,
): Promise<Member> {
  const access = await accessRelease(deps, caller, releaseId);
  const grant = await deps.stores.grants.get(releaseId, userId);
  if (!grant) throw notFound('Member');
  requireGrantable(access, releaseId, grant.role, role);
  if (role !== 'owner') await requireAnotherOwner(deps, releaseId, grant);
  // A role set by hand is a direct grant from now on: revoking the link no longer removes it.
  await deps.stores.grants.put({
    ...grant,
    role,
    via: grant.via === 'owner' && role === 'owner' ? 'owner' : 'direct',
  });
  await audit(deps, caller, releaseId, 'member.role-changed', userId, { from: grant.role, to: role });
  await applyAccessChange(deps, { releaseId, userId });
  return {
    userId,
    email: grant.email ?? '',
    name: grant.name ?? userId,
    role,
    via: 'direct',
    isPending: false,
  };
}

/** Removes a member; anyone may leave, but the last owner may not. */
export async function revokeMember(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  userId: string,
): Promise<void> {
  const access = await accessRelease(deps, caller, releaseId);
  const grant = await deps.stores.grants.get(releaseId, userId);
  if (!grant) throw notFound('Member');
  if (userId !== caller.sub) requireGrantable(access, releaseId, grant.role);
  await requireAnotherOwner(deps, releaseId, grant);
  await deps.stores.grants.delete(releaseId, userId);
  await audit(deps, caller, releaseId, 'member.revoked', userId, { role: grant.role });
  await applyAccessChange(deps, { releaseId, userId });
}

export async function cancelInvite(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  email: string,
): Promise<void> {
  const access = await accessRelease(deps, caller, releaseId);
  const invite = (await deps.stores.invites.listForRelease(releaseId)).find(
    (i) => i.email === email.toLowerCase(),
  );
  if (!invite) throw notFound('Invite');
  requireGrantable(access, releaseId, invite.role);
  await deps.stores.invites.delete(releaseId, invite.email);
  await audit(deps, caller, releaseId, 'member.revoked', invite.email, { role: invite.role, pending: 1 });
}

/**
 * Turns invites for the caller's email into grants, once Cognito has verified that email:
 * otherwise anyone could take an invite by creating an account under someone else's address.
 */
export async function acceptInvites(deps: ApiDeps, caller: Caller): Promise<void> {
  if (!caller.email || !caller.emailVerified) return;
  for (const invite of await deps.stores.invites.listForEmail(caller.email.toLowerCase())) {
    if (!(await deps.stores.grants.get(invite.releaseId, caller.sub))) {
      await deps.stores.grants.put({
        releaseId: invite.releaseId,
        userId: caller.sub,
        role: invite.role,
        via: 'direct',
        grantedBy: invite.invitedBy,
        createdAt: new Date(deps.now()).toISOString(),
        email: caller.email,
        name: caller.name,
      });
      await audit(deps, caller, invite.releaseId, 'member.granted', caller.sub, {
        role: invite.role,
        from: 'invite',
      });
    }
    await deps.stores.invites.delete(invite.releaseId, invite.email);
  }
}
