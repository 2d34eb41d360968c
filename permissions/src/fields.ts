import { fieldPath, RELEASE_FIELDS, type ReleaseFieldName, type ReleaseStatus } from '@patchline/shared';

/**
 * Field paths as CASL fields. Track and notes paths use CASL's `**` pattern, which matches any
 * nesting (`tracks.<id>`, `tracks.<id>.isrc`, `tracks.<id>.credits`).
 */
export const LABEL_CONTROLLED_FIELDS = [
  'upc',
  'catalogNumber',
  'label',
  'pLine',
  'cLine',
] as const satisfies readonly ReleaseFieldName[];

/** Changed only through the status workflow (REST API), never by a document update. */
export const WORKFLOW_FIELDS = ['status'] as const satisfies readonly ReleaseFieldName[];

const isTeamField = (field: ReleaseFieldName) =>
  !(LABEL_CONTROLLED_FIELDS as readonly string[]).includes(field) &&
  !(WORKFLOW_FIELDS as readonly string[]).includes(field);

/** Release fields any editor may change. */
export const TEAM_RELEASE_FIELDS = RELEASE_FIELDS.filter(isTeamField);

/** Everything an owner or editor may touch in a document. */
export const TEAM_FIELD_PATTERNS: string[] = [
  ...TEAM_RELEASE_FIELDS.map(fieldPath.release),
  'tracks.**',
  fieldPath.notes,
];

/** What only managers and admins may touch, on top of the team's fields. */
export const LABEL_FIELD_PATTERNS: string[] = LABEL_CONTROLLED_FIELDS.map(fieldPath.release);

/** Statuses in which owners and editors may edit (permissions/SPEC.md). */
export const TEAM_EDITABLE_STATUSES: ReleaseStatus[] = ['draft', 'changes_requested'];

/**
 * Statuses in which managers and admins may edit: they fix details during review, but an
 * approved or delivered sheet is frozen until someone reopens it, so what was approved is what
 * gets delivered.
 */
export const LABEL_EDITABLE_STATUSES: ReleaseStatus[] = ['draft', 'changes_requested', 'in_review'];
