import { asGrant, type ReleaseRole } from '@patchline/permissions';
import type { Member } from '@patchline/shared';
import { applyAccessChange } from '../core/access-changes.js';
import type { Grant, OwnerReleaseRefusal } from '../store/grant-store.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { audit } from './audit-log.js';
import { accessRelease, type ReleaseAccess } from './release-access.js';
import { conflict, forbidden, notFound } from './service-error.js';

/**
 * Who has access (the REST contract, shared/src/api/members.ts): emails are shown to those who
 * manage the release's members (owners, label staff) and to each member for themselves; editors
 * and viewers see other people's names and roles only.
 */
export type { Member };

/** Owners and label staff: they grant roles, so they see who people are (emails, invites). */
const managesMembers = (access: ReleaseAccess, releaseId: string) =>
  access.ability.can('grant', asGrant({ releaseId, role: 'viewer' }));

/**
 * Everyone with a role on the release, owners first, with pending invites last (those only for
 * people who manage members: an invite is nothing but an email address).
 */
export async function listMembers(deps: ApiDeps, caller: Caller, releaseId: string): Promise<Member[]> {
  const access = await accessRelease(deps, caller, releaseId);
  const seesEmails = managesMembers(access, releaseId);
  const [grants, invites] = await Promise.all([
    deps.stores.grants.listForRelease(releaseId),
    seesEmails ? deps.stores.invites.listForRelease(releaseId) : [],
  ]);
  const people = await Promise.all(grants.map((grant) => personOf(deps, grant)));
  const order = { owner: 0, editor: 1, viewer: 2 } as const;
  return [
    ...grants
      .map((grant, index): Member => {
        const { email, name } = people[index]!;
        const showsEmail = email && (seesEmails || grant.userId === caller.sub);
        return {
          userId: grant.userId,
          ...(showsEmail ? { email } : {}),
          name: name ?? (showsEmail ? email : grant.userId),
          role: grant.role,
          via: grant.via,
          isPending: false,
        };
      })
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

/**
 * Who a grant's holder is: as recorded on the grant, or from the directory for grants recorded
 * without (a release's creator).
 */
async function personOf(deps: ApiDeps, grant: Grant): Promise<{ email?: string; name?: string }> {
  if (grant.name) return { email: grant.email, name: grant.name };
  const user = await deps.directory.findBySub(grant.userId);
  return { email: grant.email ?? user?.email, name: user?.name || undefined };
}

function requireGrantable(access: ReleaseAccess, releaseId: string, ...roles: ReleaseRole[]): void {
  for (const role of roles) {
    if (!access.ability.can('grant', asGrant({ releaseId, role })))
      throw forbidden(`You cannot give or take away the ${role} role`);
  }
}

const changedMeanwhile = () =>
  conflict("This member's access was changed by someone else at the same time; reload and try again");

const OWNER_REFUSALS: Record<OwnerReleaseRefusal, () => Error> = {
  'last-owner': () => conflict('A release needs an owner: make someone else owner first'),
  changed: changedMeanwhile,
};

/**
 * Takes an owner out of the release's owner set before their grant changes (the order that
 * keeps a release from ever losing its last owner: `OwnerSet` in store/grant-store.ts).
 */
async function releaseOwnership(deps: ApiDeps, grant: Grant): Promise<void> {
  if (grant.role !== 'owner') return;
  const refusal = await deps.stores.grants.owners.release(grant);
  if (refusal) throw OWNER_REFUSALS[refusal]();
}

/** Counts a grant just written as an owner's (after the write, never before). */
async function admitOwnership(deps: ApiDeps, grant: Grant): Promise<void> {
  if (grant.role === 'owner') await deps.stores.grants.owners.admit(grant);
}

/**
 * Grants `role` to the account with `email`, or records a pending invite that becomes a grant
 * when that email signs in. An existing member is a conflict: change their role instead.
 * Adding someone deliberately clears their removal record (share links work for them again).
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
  const alreadyMember = () => conflict(`${email} already has access; change their role instead`);
  if (await deps.stores.grants.get(releaseId, user.sub)) throw alreadyMember();
  const written = await deps.stores.grants.replace(null, {
    releaseId,
    userId: user.sub,
    role: input.role,
    via: 'direct',
    grantedBy: caller.sub,
    createdAt,
    email: user.email,
    name: user.name,
  });
  if (!written) throw alreadyMember();
  await admitOwnership(deps, written);
  await deps.stores.grants.clearRemoval(releaseId, user.sub);
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
  if (role !== 'owner') await releaseOwnership(deps, grant);
  // A role set by hand is a direct grant from now on: revoking the link no longer removes it.
  const { linkId: _linkId, directGrant: _directGrant, version: _version, ...kept } = grant;
  const written = await deps.stores.grants.replace(grant, {
    ...kept,
    role,
    via: grant.via === 'owner' && role === 'owner' ? 'owner' : 'direct',
  });
  if (!written) throw changedMeanwhile();
  await admitOwnership(deps, written);
  await audit(deps, caller, releaseId, 'member.role-changed', userId, { from: grant.role, to: role });
  await applyAccessChange(deps, { releaseId, userId });
  const person = await personOf(deps, grant);
  return {
    userId,
    ...(person.email ? { email: person.email } : {}),
    name: person.name ?? person.email ?? userId,
    role,
    via: written.via,
    isPending: false,
  };
}

/**
 * Removes a member; anyone may leave, but the last owner may not. Someone removed by another
 * person gets a removal record first, so links they redeemed before do not bring them back
 * (`redeemShareLink` reads it), and an invite sent before the removal is dropped.
 */
export async function revokeMember(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  userId: string,
): Promise<void> {
  const access = await accessRelease(deps, caller, releaseId);
  const grant = await deps.stores.grants.get(releaseId, userId);
  if (!grant) throw notFound('Member');
  const isLeaving = userId === caller.sub;
  if (!isLeaving) requireGrantable(access, releaseId, grant.role);
  await releaseOwnership(deps, grant);
  const removal = isLeaving
    ? null
    : { releaseId, userId, removedBy: caller.sub, removedAt: new Date(deps.now()).toISOString() };
  if (removal) await deps.stores.grants.recordRemoval(removal);
  // An owner's grant goes only as read (the owner set already let them go); anyone else's
  // goes whatever a link redeemed meanwhile made of it, unless it became an owner's.
  const isRemoved =
    grant.role === 'owner'
      ? await deps.stores.grants.remove(grant)
      : await deps.stores.grants.removeUnlessOwner(releaseId, userId);
  if (!isRemoved && (await deps.stores.grants.get(releaseId, userId))) {
    if (removal) await deps.stores.grants.clearRemoval(releaseId, userId, removal.removedAt);
    throw changedMeanwhile();
  }
  if (removal && grant.email) await deps.stores.invites.delete(releaseId, grant.email.toLowerCase());
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
 * An invite older than the caller's removal from that release is dropped: the removal wins.
 */
export async function acceptInvites(deps: ApiDeps, caller: Caller): Promise<void> {
  if (!caller.email || !caller.emailVerified) return;
  for (const invite of await deps.stores.invites.listForEmail(caller.email.toLowerCase())) {
    const removal = await deps.stores.grants.getRemoval(invite.releaseId, caller.sub);
    const isOutdated = removal !== null && removal.removedAt >= invite.createdAt;
    if (!isOutdated && !(await deps.stores.grants.get(invite.releaseId, caller.sub))) {
      const written = await deps.stores.grants.replace(null, {
        releaseId: invite.releaseId,
        userId: caller.sub,
        role: invite.role,
        via: 'direct',
        grantedBy: invite.invitedBy,
        createdAt: new Date(deps.now()).toISOString(),
        email: caller.email,
        name: caller.name,
      });
      if (written) {
        await admitOwnership(deps, written);
        if (removal) await deps.stores.grants.clearRemoval(invite.releaseId, caller.sub, removal.removedAt);
        await audit(deps, caller, invite.releaseId, 'member.granted', caller.sub, {
          role: invite.role,
          from: 'invite',
        });
      }
    }
    await deps.stores.invites.delete(invite.releaseId, invite.email);
  }
}
