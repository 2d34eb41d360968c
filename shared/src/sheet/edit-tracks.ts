import { generateKeyBetween } from 'fractional-indexing';
import * as Y from 'yjs';
import { TRACK_POSITION_KEY, type TrackScalarFieldName, tracksMap } from '../doc-layout.js';
import { isValidId, newTrackId, type TrackId } from '../domain/ids.js';
import { type TrackScalarFields, trackScalarFieldsSchema } from '../domain/release-sheet.js';
import { readTracks } from './read-sheet.js';
import { SheetError, SheetErrorReason } from './sheet-error.js';
import { positionAt } from './track-order.js';

/** The track's map; only what `readTracks` reads as a track (an id key, a Y.Map value) is one. */
export function requireTrack(doc: Y.Doc, trackId: string): Y.Map<unknown> {
  const track: unknown = isValidId(trackId) ? tracksMap(doc).get(trackId) : undefined;
  if (!(track instanceof Y.Map) || track instanceof Y.XmlHook)
    throw new SheetError(SheetErrorReason.unknownTrack, `No track "${trackId}"`);
  return track;
}

function parseTrackFields(fields: Partial<TrackScalarFields>): Partial<TrackScalarFields> {
  const parsed = trackScalarFieldsSchema.partial().strict().safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SheetError(
      SheetErrorReason.invalidValue,
      `Invalid track field ${issue?.path.join('.') || ''}: ${issue?.message ?? 'wrong type'}`.trim(),
    );
  }
  return parsed.data;
}

/**
 * Adds a track at `index` in display order (default: at the end) and returns its id. The new
 * track gets empty credit and split lists so collaborators append to the same Y.Arrays.
 */
export function addTrack(
  doc: Y.Doc,
  fields: Partial<TrackScalarFields> = {},
  index = Number.POSITIVE_INFINITY,
): TrackId {
  return insertTrack(doc, parseTrackFields(fields), positionAt(readTracks(doc), index));
}

/**
 * Adds tracks after the last one, in order, in one transaction, and returns their ids. The
 * order is read once, so adding a thousand tracks (an import) costs no more than one `readTracks`.
 */
export function appendTracks(doc: Y.Doc, list: ReadonlyArray<Partial<TrackScalarFields>>): TrackId[] {
  const values = list.map(parseTrackFields);
  let position = readTracks(doc).at(-1)?.position ?? null;
  const ids: TrackId[] = [];
  doc.transact(() => {
    for (const fields of values) {
      position = generateKeyBetween(position, null);
      ids.push(insertTrack(doc, fields, position));
    }
  });
  return ids;
}

function insertTrack(doc: Y.Doc, values: Partial<TrackScalarFields>, position: string): TrackId {
  const id = newTrackId();
  const track = new Y.Map<unknown>();
  doc.transact(() => {
    track.set(TRACK_POSITION_KEY, position);
    for (const [key, value] of Object.entries(values)) track.set(key, value);
    track.set('credits', new Y.Array());
    track.set('splits', new Y.Array());
    tracksMap(doc).set(id, track);
  });
  return id;
}

export function removeTrack(doc: Y.Doc, trackId: string): void {
  requireTrack(doc, trackId);
  tracksMap(doc).delete(trackId);
}

/**
 * Moves a track to `index` of the display order by giving it a new fractional position.
 * Only the `position` key changes, so an edit a collaborator makes to the same track at the
 * same time survives (a delete + insert move would drop it).
 */
export function moveTrack(doc: Y.Doc, trackId: string, index: number): void {
  const track = requireTrack(doc, trackId);
  const ordered = readTracks(doc);
  const others = ordered.filter((t) => t.id !== trackId);
  const current = ordered.findIndex((t) => t.id === trackId);
  if (current === Math.max(0, Math.min(index, others.length))) return;
  track.set(TRACK_POSITION_KEY, positionAt(others, index));
}

/** Sets scalar fields of one track in one transaction, type-checked before writing. */
export function setTrackFields(doc: Y.Doc, trackId: string, fields: Partial<TrackScalarFields>): void {
  const track = requireTrack(doc, trackId);
  const values = parseTrackFields(fields);
  doc.transact(() => {
    for (const [key, value] of Object.entries(values)) {
      if (track.get(key) !== value) track.set(key, value);
    }
  });
}

export function setTrackField<K extends TrackScalarFieldName>(
  doc: Y.Doc,
  trackId: string,
  field: K,
  value: TrackScalarFields[K],
): void {
  setTrackFields(doc, trackId, { [field]: value } as Partial<TrackScalarFields>);
}
