import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { asShareLink, type ReleaseRole, type ShareableRole } from '@patchline/permissions';
import { randomId } from '@patchline/shared';
import { applyAccessChange } from '../core/access-changes.js';
import type { ShareLink } from '../store/share-link-store.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { audit } from './audit-log.js';
import { accessRelease } from './release-access.js';
import { forbidden, notFound, ServiceError, ServiceErrorReason } from './service-error.js';

export const SHARE_LINK_LIMITS = { defaultDays: 7, maxDays: 90, maxUses: 1000 } as const;
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
  maxUses: number | null;
  uses: number;
  isActive: boolean;
}

const isActive = (link: ShareLink, now: number) =>
  link.revokedAt === null &&
  Date.parse(link.expiresAt) > now &&
  (link.maxUses === null || link.uses < link.maxUses);

const view = (link: ShareLink, now: number): ShareLinkView => ({
  linkId: link.linkId,
  role: link.role,
  createdAt: link.createdAt,
  expiresAt: link.expiresAt,
  maxUses: link.maxUses,
  uses: link.uses,
  isActive: isActive(link, now),
});

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
    maxUses: input.maxUses ?? null,
    uses: 0,
    revokedAt: null,
  };
  await deps.stores.shareLinks.create(link);
  await audit(deps, caller, releaseId, 'link.created', link.linkId, {
    role: link.role,
    expiresAt: link.expiresAt,
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
  for (const { directGrant, linkId: _linkId, ...grant } of holders) {
    // Someone who held a direct grant before upgrading through the link goes back to it.
    if (directGrant) await deps.stores.grants.put({ ...grant, ...directGrant, via: 'direct' });
    else await deps.stores.grants.delete(releaseId, grant.userId);
    await applyAccessChange(deps, { releaseId, userId: grant.userId });
  }
  const restored = holders.filter((grant) => grant.directGrant).length;
  await audit(deps, caller, releaseId, 'link.revoked', linkId, {
    removedMembers: holders.length - restored,
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

/** What an unauthenticated visitor may learn from a link: the title, the role, whether it works. */
export async function previewShareLink(deps: ApiDeps, token: string) {
  const link = await findLink(deps, token);
  const release = link ? await deps.stores.releases.get(link.releaseId) : null;
  if (!link || !release) throw notFound('Share link');
  return {
    releaseTitle: release.title || 'Untitled release',
    role: link.role,
    isExpired: !isActive(link, deps.now()),
  };
}

/** Redeems a link for the signed-in caller: a grant remembering the link (never a downgrade). */
export async function redeemShareLink(deps: ApiDeps, caller: Caller, token: string) {
  const link = await findLink(deps, token);
  if (!link || !(await deps.stores.releases.get(link.releaseId))) throw notFound('Share link');
  const existing = await deps.stores.grants.get(link.releaseId, caller.sub);
  if (existing && ROLE_RANK[existing.role] >= ROLE_RANK[link.role]) {
    return { releaseId: link.releaseId, role: existing.role };
  }
  if (
    !isActive(link, deps.now()) ||
    !(await deps.stores.shareLinks.consumeUse(
      link.releaseId,
      link.linkId,
      new Date(deps.now()).toISOString(),
    ))
  ) {
    throw new ServiceError(ServiceErrorReason.gone, 'This link has expired, was revoked or has no uses left');
  }
  await deps.stores.grants.put({
    releaseId: link.releaseId,
    userId: caller.sub,
    role: link.role,
    via: 'link',
    linkId: link.linkId,
    grantedBy: link.createdBy,
    createdAt: new Date(deps.now()).toISOString(),
    email: caller.email,
    name: caller.name,
    // A weaker direct grant is remembered, so revoking the link does not take it away too.
    ...(existing?.via === 'direct'
      ? { directGrant: { role: existing.role, grantedBy: existing.grantedBy, createdAt: existing.createdAt } }
      : {}),
  });
  await audit(deps, caller, link.releaseId, 'link.redeemed', link.linkId, { role: link.role });
  await applyAccessChange(deps, { releaseId: link.releaseId, userId: caller.sub });
  return { releaseId: link.releaseId, role: link.role };
}
