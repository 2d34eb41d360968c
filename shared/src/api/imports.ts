import { z } from 'zod';
import { isValidId } from '../domain/ids.js';
import { IMPORT_FIELDS } from '../import/import-fields.js';
import { IMPORT_LIMITS } from '../import/import-limits.js';

/**
 * Request shapes of the import routes (docs/IMPORT.md, "REST"); the answers are `ImportPreview`
 * and `ImportResult` (import/import-api.ts). Used as releases.ts's shapes are.
 */

/** Base64 of the largest file an import takes (`IMPORT_LIMITS.maxFileBytes`). */
export const IMPORT_BASE64_MAX = Math.ceil(IMPORT_LIMITS.maxFileBytes / 3) * 4;

/** An uploaded file as base64, with the mapping the person chose (docs/IMPORT.md, "REST"). */
export const importBodySchema = z
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

export const importPreviewBodySchema = importBodySchema
  .extend({
    /** The release it would go into; a new release when left out. */
    releaseId: z.string().refine(isValidId, 'not a release id').optional(),
  })
  .strict();
export type ImportBody = z.infer<typeof importBodySchema>;
export type ImportPreviewBody = z.infer<typeof importPreviewBodySchema>;
