import { CSV_LAYOUT_IDS, IMPORT_FIELDS, IMPORT_LIMITS, isValidId } from '@patchline/shared';
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

/** Base64 of the largest file an import takes (`IMPORT_LIMITS.maxFileBytes`). */
export const IMPORT_BASE64_MAX = Math.ceil(IMPORT_LIMITS.maxFileBytes / 3) * 4;

/** An uploaded file as base64, with the mapping the person chose (docs/IMPORT.md, "REST"). */
export const importBody = z
  .object({
    fileName: z.string().min(1).max(255),
    /** The file's bytes, base64. A file over the limit is refused by name, not by the parser. */
    contentBase64: z
      .string()
      .max(IMPORT_BASE64_MAX + 4 * 1024)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'),
    /** One entry per column: the field it goes into, or null to leave it out. */
    mapping: z.array(z.enum(IMPORT_FIELDS).nullable()).max(IMPORT_LIMITS.maxColumns).optional(),
  })
  .strict();

export const importPreviewBody = importBody
  .extend({
    /** The release it would go into; a new release when left out. */
    releaseId: z.string().refine(isValidId, 'not a release id').optional(),
  })
  .strict();
