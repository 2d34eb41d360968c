import type * as Y from 'yjs';
import {
  RELEASE_FIELDS,
  type ReleaseFieldName,
  TRACK_SCALAR_FIELDS,
  type TrackScalarFieldName,
} from '../doc-layout.js';
import {
  type ReleaseFields,
  releaseFieldsSchema,
  type TrackScalarFields,
  trackScalarFieldsSchema,
} from '../domain/release-sheet.js';
import { setReleaseFields } from '../sheet/edit-release.js';
import { setTrackFields } from '../sheet/edit-tracks.js';
import { readReleaseFields, readTracks } from '../sheet/read-sheet.js';
import { SheetError, SheetErrorReason } from '../sheet/sheet-error.js';
import type { FieldEdit, FieldValue, Fix } from './problem.js';

/** A scalar field a fix may set; `release.status` only ever changes through the workflow. */
type FixTarget =
  | { root: 'release'; field: Exclude<ReleaseFieldName, 'status'> }
  | { root: 'track'; trackId: string; field: TrackScalarFieldName };

const isOneOf = <T extends string>(values: readonly T[], value: string | undefined): value is T =>
  value !== undefined && (values as readonly string[]).includes(value);

/** Reads `release.<field>` and `tracks.<id>.<field>` paths of scalar fields; anything else is refused. */
function targetOf(path: string): FixTarget {
  const parts = path.split('.');
  const [root, second, third] = parts;
  if (root === 'release' && parts.length === 2 && isOneOf(RELEASE_FIELDS, second) && second !== 'status')
    return { root: 'release', field: second };
  if (root === 'tracks' && parts.length === 3 && second && isOneOf(TRACK_SCALAR_FIELDS, third))
    return { root: 'track', trackId: second, field: third };
  throw new SheetError(SheetErrorReason.invalidValue, `A fix cannot change "${path}"`);
}

const sameValue = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

function checkType(target: FixTarget, value: FieldValue): void {
  const schema =
    target.root === 'release'
      ? releaseFieldsSchema.shape[target.field]
      : trackScalarFieldsSchema.shape[target.field];
  if (!schema.safeParse(value).success)
    throw new SheetError(
      SheetErrorReason.invalidValue,
      `A fix cannot set ${target.field} to ${JSON.stringify(value)}`,
    );
}

/**
 * Applies a one-click fix to the document in one transaction (one update, one undo step), through
 * the sheet's edit functions. Every field must still hold the value the fix was computed from:
 * otherwise someone changed it meanwhile, and nothing is written (`SheetError`).
 */
export function applyFix(doc: Y.Doc, fix: Pick<Fix, 'edits'>): void {
  const targets = fix.edits.map((edit) => ({ edit, target: targetOf(edit.path) }));
  const release = readReleaseFields(doc);
  const tracks = new Map(readTracks(doc).map((track) => [track.id, track]));
  const releaseFields: Partial<ReleaseFields> = {};
  const trackFields = new Map<string, Partial<TrackScalarFields>>();
  for (const { edit, target } of targets) {
    checkType(target, edit.to);
    const current =
      target.root === 'release' ? release[target.field] : tracks.get(target.trackId)?.[target.field];
    if (current === undefined)
      throw new SheetError(SheetErrorReason.unknownTrack, `No track for ${edit.path}`);
    if (!sameValue(current, edit.from)) throw staleFix(edit);
    if (target.root === 'release') Object.assign(releaseFields, { [target.field]: edit.to });
    else trackFields.set(target.trackId, { ...trackFields.get(target.trackId), [target.field]: edit.to });
  }
  doc.transact(() => {
    if (Object.keys(releaseFields).length > 0) setReleaseFields(doc, releaseFields);
    for (const [trackId, fields] of trackFields) setTrackFields(doc, trackId, fields);
  });
}

const staleFix = (edit: FieldEdit) =>
  new SheetError(
    SheetErrorReason.invalidValue,
    `The field changed since this fix was offered (${edit.path}); nothing was changed`,
  );
