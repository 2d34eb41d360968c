import { z } from 'zod';
import { RELEASE_ROLES, SHAREABLE_ROLES } from '../domain/release-roles.js';

/** Request and response shapes of the share-link routes (see releases.ts for how they are used). */

/**
 * Share links: days until a link expires, and how many people may redeem one. Every link has a
 * use limit (links stored without one get `defaultUses`), so a forwarded link does not let in
 * everyone who ever sees it.
 */
export const SHARE_LINK_LIMITS = { defaultDays: 7, maxDays: 90, defaultUses: 25, maxUses: 100 } as const;

export const createLinkBodySchema = z
  .object({
    role: z.enum(SHAREABLE_ROLES),
    expiresInDays: z.number().int().min(1).max(SHARE_LINK_LIMITS.maxDays).optional(),
    /** People who may redeem it; `SHARE_LINK_LIMITS.defaultUses` when left out. */
    maxUses: z.number().int().min(1).max(SHARE_LINK_LIMITS.maxUses).optional(),
  })
  .strict();
export type CreateLinkBody = z.infer<typeof createLinkBodySchema>;

/** `GET /releases/:id/share-links` items (tokens are never listed). */
export const shareLinkViewSchema = z.object({
  linkId: z.string(),
  role: z.enum(SHAREABLE_ROLES),
  createdAt: z.string(),
  expiresAt: z.string(),
  /** How many people may redeem it (every link has a limit). */
  maxUses: z.number().int(),
  uses: z.number().int(),
  isActive: z.boolean(),
});
export type ShareLinkView = z.infer<typeof shareLinkViewSchema>;

export const shareLinkListSchema = z.object({ links: z.array(shareLinkViewSchema) });
export type ShareLinkList = z.infer<typeof shareLinkListSchema>;

/** `POST /releases/:id/share-links`: the only time the token is shown. */
export const createdShareLinkSchema = shareLinkViewSchema.extend({ token: z.string(), url: z.string() });
export type CreatedShareLink = z.infer<typeof createdShareLinkSchema>;

/** `GET /share-links/:token/preview` (no auth). */
export const shareLinkPreviewSchema = z.object({
  releaseTitle: z.string(),
  role: z.enum(SHAREABLE_ROLES),
  isExpired: z.boolean(),
});
export type ShareLinkPreview = z.infer<typeof shareLinkPreviewSchema>;

/** `POST /share-links/:token/redeem`. */
export const redeemedShareLinkSchema = z.object({ releaseId: z.string(), role: z.enum(RELEASE_ROLES) });
export type RedeemedShareLink = z.infer<typeof redeemedShareLinkSchema>;
