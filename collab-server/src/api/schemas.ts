import { RELEASE_ROLES, SHAREABLE_ROLES } from '@patchline/permissions';
import { CSV_LAYOUT_IDS, isValidId, RELEASE_STATUSES, STATUS_TRANSITION_NAMES } from '@patchline/shared';
import { z } from 'zod';
import { SHARE_LINK_LIMITS } from '../services/api-limits.js';

/** Request shapes; the OpenAPI document at /docs is generated from these. */
export const releaseIdParams = z.object({ releaseId: z.string().refine(isValidId, 'not a release id') });
export const memberParams = releaseIdParams.extend({ userId: z.string().min(1).max(128) });
export const inviteParams = releaseIdParams.extend({ email: z.string().email() });
export const linkParams = releaseIdParams.extend({ linkId: z.string().refine(isValidId, 'not a link id') });
export const deliveryParams = releaseIdParams.extend({
  deliveryId: z.string().regex(/^[0-9]{13}[0-9a-z]{8}$/, 'not a delivery id'),
});
export const tokenParams = z.object({ token: z.string().min(1).max(200) });
export const userParams = z.object({ userId: z.string().min(1).max(128) });

/** Exports of a version (README.md, "Version history"); the current sheet without it. */
export const exportQuery = z.object({ version: z.string().refine(isValidId, 'not a version id').optional() });

export const listReleasesQuery = z.object({
  status: z.enum(RELEASE_STATUSES).optional(),
  q: z.string().max(200).optional(),
});

/** `?layout=` of the CSV export: our own columns (default) or a distributor's template. */
export const csvExportQuery = exportQuery.extend({ layout: z.enum(CSV_LAYOUT_IDS).default('patchline') });

export const createReleaseBody = z
  .object({
    title: z.string().max(300).optional(),
    displayArtist: z.string().max(300).optional(),
    /** A template with this many empty tracks. */
    trackCount: z.number().int().min(0).max(100).optional(),
  })
  .strict();

export const grantBody = z
  .object({ email: z.string().email().max(320), role: z.enum(RELEASE_ROLES) })
  .strict();
export const changeRoleBody = z.object({ role: z.enum(RELEASE_ROLES) }).strict();

export const createLinkBody = z
  .object({
    role: z.enum(SHAREABLE_ROLES),
    expiresInDays: z.number().int().min(1).max(SHARE_LINK_LIMITS.maxDays).optional(),
    /** People who may redeem it; `SHARE_LINK_LIMITS.defaultUses` when left out. */
    maxUses: z.number().int().min(1).max(SHARE_LINK_LIMITS.maxUses).optional(),
  })
  .strict();

export const transitionBody = z
  .object({ transition: z.enum(STATUS_TRANSITION_NAMES as [string, ...string[]]) })
  .strict();

export const managerBody = z.object({ isManager: z.boolean() }).strict();
