import { z } from 'zod';
import { creditSchema, releaseSheetSchema, splitSchema, trackSchema } from '../domain/release-sheet.js';
import { RELEASE_STATUSES } from '../domain/release-status.js';

/**
 * Response shapes of the version-history REST routes (issue 13). The server builds its answers
 * with these types and the web parses them with these schemas, so both sides share one contract.
 */

/** Someone who did something: a name from the user directory, never an email. */
export const personSchema = z.object({ userId: z.string(), name: z.string() });
export type Person = z.infer<typeof personSchema>;

/**
 * Why a version exists: `auto` after a stretch of editing or when the last person left,
 * `status` at every status change, `named` saved by someone, `restore` the state just before
 * a restore (so a restore can itself be undone).
 */
export const VERSION_KINDS = ['auto', 'status', 'named', 'restore'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

export const VERSION_NAME_MAX = 100;

export const versionSchema = z.object({
  versionId: z.string(),
  /** The document's log position the version was taken at. */
  seq: z.number().int(),
  kind: z.enum(VERSION_KINDS),
  name: z.string().nullable(),
  status: z.enum(RELEASE_STATUSES),
  createdAt: z.string(),
  createdBy: personSchema.nullable(),
  /** Who edited since the previous version. */
  contributors: z.array(personSchema),
  /** Short text of what changed since the previous version, e.g. "3 tracks changed, UPC set". */
  summary: z.string(),
});
export type Version = z.infer<typeof versionSchema>;

export const versionListSchema = z.object({ versions: z.array(versionSchema) });
export type VersionList = z.infer<typeof versionListSchema>;

export const createVersionBodySchema = z
  .object({ name: z.string().trim().min(1).max(VERSION_NAME_MAX) })
  .strict();
export type CreateVersionBody = z.infer<typeof createVersionBodySchema>;

export const versionDetailSchema = z.object({ version: versionSchema, sheet: releaseSheetSchema });
export type VersionDetail = z.infer<typeof versionDetailSchema>;

/** One changed value; `path` is a field path (shared/PROTOCOL.md), `field` its last part. */
export const fieldChangeSchema = z.object({
  path: z.string(),
  field: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

/** Changes of a credits or splits list, matched by entry id. */
function listChangeOf<T extends z.ZodType>(entry: T) {
  return z.object({
    added: z.array(entry),
    removed: z.array(entry),
    changed: z.array(z.object({ id: z.string(), before: entry, after: entry })),
  });
}
export const creditListChangeSchema = listChangeOf(creditSchema);
export const splitListChangeSchema = listChangeOf(splitSchema);
export type CreditListChange = z.infer<typeof creditListChangeSchema>;
export type SplitListChange = z.infer<typeof splitListChangeSchema>;
export type ListChange = CreditListChange | SplitListChange;

export const trackMoveSchema = z.object({
  trackId: z.string(),
  /** Index in display order before and after (0-based). */
  from: z.number().int(),
  to: z.number().int(),
});
export type TrackMove = z.infer<typeof trackMoveSchema>;

export const trackChangeSchema = z.object({
  trackId: z.string(),
  /** The track's title after the change (before, when it is empty after). */
  title: z.string(),
  fields: z.array(fieldChangeSchema),
  credits: creditListChangeSchema,
  splits: splitListChangeSchema,
});
export type TrackChange = z.infer<typeof trackChangeSchema>;

export const NOTES_OP_KINDS = ['same', 'added', 'removed'] as const;
export const notesOpSchema = z.object({ kind: z.enum(NOTES_OP_KINDS), text: z.string() });
export type NotesOp = z.infer<typeof notesOpSchema>;

export const sheetDiffSchema = z.object({
  release: z.array(fieldChangeSchema),
  tracks: z.object({
    added: z.array(trackSchema),
    removed: z.array(trackSchema),
    moved: z.array(trackMoveSchema),
    changed: z.array(trackChangeSchema),
  }),
  /** A line diff of the notes; null when the notes did not change. */
  notes: z.object({ ops: z.array(notesOpSchema) }).nullable(),
});
export type SheetDiff = z.infer<typeof sheetDiffSchema>;

export const compareResponseSchema = z.object({ diff: sheetDiffSchema });
export type CompareResponse = z.infer<typeof compareResponseSchema>;

export const fieldHistoryEntrySchema = z.object({
  /** The value set; null when it was not recorded (a long text, a list): compare versions for it. */
  value: z.unknown(),
  setBy: personSchema.nullable(),
  at: z.string(),
  seq: z.number().int(),
});
export type FieldHistoryEntry = z.infer<typeof fieldHistoryEntrySchema>;

export const fieldHistorySchema = z.object({ entries: z.array(fieldHistoryEntrySchema) });
export type FieldHistory = z.infer<typeof fieldHistorySchema>;

export const restoreBodySchema = z
  .object({ paths: z.array(z.string().min(1).max(200)).min(1).max(500).optional() })
  .strict();
export type RestoreBody = z.infer<typeof restoreBodySchema>;

export const restoreResponseSchema = z.object({ restored: z.array(z.string()) });
export type RestoreResponse = z.infer<typeof restoreResponseSchema>;

export const ACTIVITY_KINDS = ['edit', 'version', 'sharing', 'status'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const activityItemSchema = z.object({
  kind: z.enum(ACTIVITY_KINDS),
  at: z.string(),
  actor: personSchema.nullable(),
  summary: z.string(),
  /** Edits: the field paths changed by the group (capped). */
  paths: z.array(z.string()).optional(),
  /** Versions: the version. */
  versionId: z.string().optional(),
});
export type ActivityItem = z.infer<typeof activityItemSchema>;

export const activityPageSchema = z.object({
  items: z.array(activityItemSchema),
  nextCursor: z.string().nullable(),
});
export type ActivityPage = z.infer<typeof activityPageSchema>;
