import { CSV_LAYOUT_IDS, isValidId } from '@patchline/shared';
import { z } from 'zod';

// Request bodies, queries and answers are the shared REST contract (shared/src/api), which the
// web's typed client uses too; the OpenAPI document at /docs is generated from them.
export {
  changeRoleBodySchema as changeRoleBody,
  createLinkBodySchema as createLinkBody,
  createReleaseBodySchema as createReleaseBody,
  grantBodySchema as grantBody,
  listReleasesQuerySchema as listReleasesQuery,
  managerBodySchema as managerBody,
  transitionBodySchema as transitionBody,
} from '@patchline/shared';

/** Path parameters: the server's own. */
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

/** `?layout=` of the CSV export: our own columns (default) or a distributor's template. */
export const csvExportQuery = exportQuery.extend({ layout: z.enum(CSV_LAYOUT_IDS).default('patchline') });

export {
  IMPORT_BASE64_MAX,
  importBodySchema as importBody,
  importPreviewBodySchema as importPreviewBody,
} from '@patchline/shared';
