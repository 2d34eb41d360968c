import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { asShareLink, defineAbilityFor, type ReleaseRole, type ShareableRole } from '@patchline/permissions';
import { randomId } from '@patchline/shared';
import { applyAccessChange } from '../core/access-changes.js';
import type { ShareLink } from '../store/share-link-store.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { clientKeyOf, SHARE_LINK_LIMITS, spendLimit } from './api-limits.js';
import { audit } from './audit-log.js';
import { labelGroupsOf } from './label-group-service.js';
import { accessRelease } from './release-access.js';
import { conflict, forbidden, notFound, ServiceError, ServiceErrorReason } from './service-error.js';

const DAY_MS = 24 * 3600 * 1000;
const ROLE_RANK: Record<ReleaseRole, number> = { owner: 3, editor: 2, viewer: 1 };

/** 32 random bytes (256 bits, over the 128 the design asks for), URL-safe. */
const newToken = () => randomBytes(32).toString('base64url');
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface ShareLinkView {
  linkId: string;
  role: ShareableRole;
  createdAt: string;
  expiresAt: string;
  maxUses: number;
  uses: number;
  isActive: boolean;
}

/** Links stored before every link had a use limit count against the default one. */
const maxUsesOf = (link: ShareLink) => link.maxUses ?? SHARE_LINK_LIMITS.defaultUses;

const isActive = (link: ShareLink, now: number) =>
  link.revokedAt === null && Date.parse(link.expiresAt) > now && link.uses < maxUsesOf(link);

const view = (link: ShareLink, now: number): ShareLinkView => ({
  linkId: link.linkId,
  role: link.role,
  createdAt: link.createdAt,
  expiresAt: link.expiresAt,
  maxUses: maxUsesOf(link),
  uses: link.uses,
  isActive: isActive(link, now),
});

const gone = (message = 'This link has expired, was revoked or has no uses left') =>
  new ServiceError(ServiceErrorReason.gone, message);

/** Creates a link; the token is returned once, here, and only its hash is stored. */
export async function createShareLink(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  input: { role: ShareableRole; expiresInDays?: number; maxUses?: number },
): Promise<ShareLinkView & { token: string; url: string }> {
  const access = await accessRelease(deps, caller, releaseId);
  if (!access.ability.can('share', asShareLink({ releaseId, role: input.role }))) forbiddenToShare();
  const now = deps.now();
  const token = newToken();
  const link: ShareLink = {
    linkId: randomId(12),
    releaseId,
    role: input.role,
    tokenHash: hashToken(token),
    createdBy: caller.sub,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + (input.expiresInDays ?? SHARE_LINK_LIMITS.defaultDays) * DAY_MS).toISOString(),
    maxUses: input.maxUses ?? SHARE_LINK_LIMITS.defaultUses,
    uses: 0,
    revokedAt: null,
  };
  await deps.stores.shareLinks.create(link);
  await audit(deps, caller, releaseId, 'link.created', link.linkId, {
    role: link.role,
    expiresAt: link.expiresAt,
    maxUses: link.maxUses,
  });
  return { ...view(link, now), token, url: `${deps.webUrl}/share/${token}` };
}

function forbiddenToShare(): never {
  throw forbidden('Only owners and label managers can share this release');
}

export async function listShareLinks(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
): Promise<ShareLinkView[]> {
  const access = await accessRelease(deps, caller, releaseId);
  if (!access.ability.can('share', 'ShareLink')) forbiddenToShare();
  const now = deps.now();
  const links = await deps.stores.shareLinks.listForRelease(releaseId);
  return links
    .filter((link) => access.ability.can('share', asShareLink({ releaseId, role: link.role })))
    .map((link) => view(link, now))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Revokes a link and the access of everyone who holds it only through that link. */
export async function revokeShareLink(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  linkId: string,
): Promise<void> {
  const access = await accessRelease(deps, caller, releaseId);
  const link = await deps.stores.shareLinks.get(releaseId, linkId);
  if (!link) throw notFound('Share link');
  if (!access.ability.can('share', asShareLink({ releaseId, role: link.role }))) forbiddenToShare();
  const nowIso = new Date(deps.now()).toISOString();
  await deps.stores.shareLinks.revoke(releaseId, linkId, nowIso);
  await deps.stores.shareLinks.deleteTokenLookup(link.tokenHash);
  const holders = (await deps.stores.grants.listForRelease(releaseId)).filter(
    (g) => g.via === 'link' && g.linkId === linkId,
  );
  let removed = 0;
  let restored = 0;
  for (const holder of holders) {
    const { directGrant, linkId: _linkId, version: _version, ...grant } = holder;
    // Someone who held a direct grant before upgrading through the link goes back to it. Each
    // write is conditional on the grant as listed: one changed meanwhile (a role set by hand)
    // is no longer the link's to take.
    const isDone = directGrant
      ? (await deps.stores.grants.replace(holder, { ...grant, ...directGrant, via: 'direct' })) !== null
      : await deps.stores.grants.remove(holder);
    if (!isDone) continue;
    if (directGrant) restored += 1;
    else removed += 1;
    await applyAccessChange(deps, { releaseId, userId: grant.userId });
  }
  await audit(deps, caller, releaseId, 'link.revoked', linkId, {
    removedMembers: removed,
    restoredMembers: restored,
  });
}

/** A link found by its token, compared in constant time with the stored hash. */
async function findLink(deps: ApiDeps, token: string): Promise<ShareLink | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const hash = hashToken(token);
  const link = await deps.stores.shareLinks.findByTokenHash(hash);
  if (!link) return null;
  return timingSafeEqual(Buffer.from(link.tokenHash, 'hex'), Buffer.from(hash, 'hex')) ? link : null;
}

/**
 * Whether the person who created the link may still share it: a link stops working when its
 * creator loses the right (removed, demoted, taken out of `managers`). Their grant is read now;
 * their groups are asked for only when the grant alone does not allow it.
 */
async function creatorMayShare(deps: ApiDeps, link: ShareLink): Promise<boolean> {
  const subject = asShareLink({ releaseId: link.releaseId, role: link.role });
  const grant = await deps.stores.grants.get(link.releaseId, link.createdBy);
  const grants = grant ? [{ releaseId: link.releaseId, role: grant.role }] : [];
  if (defineAbilityFor({ sub: link.createdBy, groups: [] }, grants).can('share', subject)) return true;
  const groups = await labelGroupsOf(deps, link.createdBy);
  return groups.length > 0 && defineAbilityFor({ sub: link.createdBy, groups }, grants).can('share', subject);
}

/** What an unauthenticated visitor may learn from a link: the title, the role, whether it works. */
export async function previewShareLink(deps: ApiDeps, token: string, clientIp: string) {
  await spendLimit(deps, 'linkRequestsPerClientPerMinute', clientKeyOf(clientIp));
  const link = await findLink(deps, token);
  const release = link ? await deps.stores.releases.get(link.releaseId) : null;
  if (!link || !release) throw notFound('Share link');
  return {
    releaseTitle: release.title || 'Untitled release',
    role: link.role,
    isExpired: !isActive(link, deps.now()) || !(await creatorMayShare(deps, link)),
  };
}

const removedMessage =
  'You were removed from this release, so its links no longer let you in. Ask an owner to add you again.';

/**
 * Redeems a link for the signed-in caller: a grant remembering the link (never a downgrade).
 * Refused for someone removed from the release (a removal record: they come back only when an
 * owner adds them), when the link is used up, expired or revoked, and when its creator may no
 * longer share. A removal running meanwhile cannot leave the person in: the grant is written
 * only if it is still as read (a removal that deleted it makes the write fail), and the removal
 * record, written before the removal deletes anything, is read again after the write (for a
 * removal that found no grant to delete, as when someone left and came back at that moment).
 */
export async function redeemShareLink(deps: ApiDeps, caller: Caller, token: string, clientIp: string) {
  await spendLimit(deps, 'linkRequestsPerClientPerMinute', clientKeyOf(clientIp));
  const link = await findLink(deps, token);
  if (!link || !(await deps.stores.releases.get(link.releaseId))) throw notFound('Share link');
  const { releaseId, linkId } = link;
  const existing = await deps.stores.grants.get(releaseId, caller.sub);
  if (existing && ROLE_RANK[existing.role] >= ROLE_RANK[link.role]) {
    return { releaseId, role: existing.role };
  }
  if (await deps.stores.grants.getRemoval(releaseId, caller.sub)) throw forbidden(removedMessage);
  if (!isActive(link, deps.now())) throw gone();
  if (!(await creatorMayShare(deps, link)))
    throw gone('This link no longer works: the person who shared it can no longer share this release');
  await spendLimit(deps, 'redemptionsPerLinkPerMinute', linkId);
  const nowIso = new Date(deps.now()).toISOString();
  if (!(await deps.stores.shareLinks.consumeUse(releaseId, linkId, nowIso, SHARE_LINK_LIMITS.defaultUses)))
    throw gone();
  const written = await deps.stores.grants.replace(existing, {
    releaseId,
    userId: caller.sub,
    role: link.role,
    via: 'link',
    linkId,
    grantedBy: link.createdBy,
    createdAt: nowIso,
    email: caller.email,
    name: caller.name,
    // A weaker direct grant is remembered, so revoking the link does not take it away too.
    ...(existing?.via === 'direct'
      ? { directGrant: { role: existing.role, grantedBy: existing.grantedBy, createdAt: existing.createdAt } }
      : {}),
  });
  if (!written) {
    await deps.stores.shareLinks.refundUse(releaseId, linkId);
    throw conflict('Your access to this release changed while the link was being opened; try again');
  }
  if (await deps.stores.grants.getRemoval(releaseId, caller.sub)) {
    // A removal is under way (its record is written first): the grant goes, whatever it was.
    await deps.stores.grants.remove(written);
    await deps.stores.shareLinks.refundUse(releaseId, linkId);
    throw forbidden(removedMessage);
  }
  await audit(deps, caller, releaseId, 'link.redeemed', linkId, { role: link.role });
  await applyAccessChange(deps, { releaseId, userId: caller.sub });
  return { releaseId, role: link.role };
}
