import * as Y from 'yjs';
import {
  metaMap,
  notesFragment,
  releaseMap,
  SCHEMA_VERSION,
  TRACK_POSITION_KEY,
  tracksMap,
} from '../doc-layout.js';
import { isValidId } from '../domain/ids.js';
import {
  type Credit,
  creditSchema,
  EMPTY_RELEASE_FIELDS,
  EMPTY_TRACK_FIELDS,
  type ReleaseFields,
  type ReleaseSheet,
  releaseFieldsSchema,
  type Split,
  splitSchema,
  type Track,
  trackScalarFieldsSchema,
} from '../domain/release-sheet.js';
import { isReleaseStatus, type ReleaseStatus } from '../domain/release-status.js';
import { comparePositioned } from './track-order.js';

/**
 * Reads one scalar with its schema, falling back to the empty value: a document may hold a
 * value of the wrong type (an old client, a raw Yjs write), and reading must never throw.
 */
function readField<T>(
  map: Y.Map<unknown>,
  key: string,
  schema: { safeParse(v: unknown): { success: boolean; data?: T } },
  fallback: T,
): T {
  if (!map.has(key)) return fallback;
  const parsed = schema.safeParse(map.get(key));
  return parsed.success ? (parsed.data as T) : fallback;
}

/** The release's status alone: checked on every update, so without parsing the other fields. */
export function readReleaseStatus(doc: Y.Doc): ReleaseStatus {
  const value = releaseMap(doc).get('status');
  return isReleaseStatus(value) ? value : EMPTY_RELEASE_FIELDS.status;
}

export function readReleaseFields(doc: Y.Doc): ReleaseFields {
  const map = releaseMap(doc);
  const fields = { ...EMPTY_RELEASE_FIELDS } as Record<string, unknown>;
  for (const [key, schema] of Object.entries(releaseFieldsSchema.shape)) {
    fields[key] = readField(map, key, schema, fields[key]);
  }
  return fields as ReleaseFields;
}

/**
 * A Y.Map as the layout stores tracks and entries: Y.XmlHook extends Y.Map in Yjs but is a
 * type of its own in an update, and no writer of a sheet makes one.
 */
function isYMap(value: unknown): value is Y.Map<unknown> {
  return value instanceof Y.Map && !(value instanceof Y.XmlHook);
}

type EntrySchema<T> = {
  shape: Record<string, unknown>;
  safeParse(v: unknown): { success: boolean; data?: T };
};

/**
 * The valid entries of a credits or splits list. Anything else a document may hold there (a
 * list that is not a Y.Array, an entry that is not a Y.Map, an entry with a wrongly typed field)
 * is left out. Entries are read field by field, never with `toJSON`, so foreign content nested
 * inside an entry is not walked at all.
 */
function readEntries<T>(list: unknown, schema: EntrySchema<T>): T[] {
  if (!(list instanceof Y.Array)) return [];
  const entries: T[] = [];
  for (const entry of list.toArray()) {
    if (!isYMap(entry)) continue;
    const candidate: Record<string, unknown> = {};
    for (const key of Object.keys(schema.shape)) candidate[key] = entry.get(key);
    const parsed = schema.safeParse(candidate);
    if (parsed.success) entries.push(parsed.data as T);
  }
  return entries;
}

/** One track; a value that is not a Y.Map reads as a track with empty fields. */
export function readTrack(id: string, value: Y.Map<unknown>): Track {
  const map: Y.Map<unknown> = isYMap(value) ? value : new Y.Map();
  const scalars = { ...EMPTY_TRACK_FIELDS } as Record<string, unknown>;
  for (const [key, schema] of Object.entries(trackScalarFieldsSchema.shape)) {
    scalars[key] = readField(map, key, schema, scalars[key]);
  }
  const position = map.get(TRACK_POSITION_KEY);
  return {
    ...(scalars as Omit<Track, 'id' | 'position' | 'credits' | 'splits'>),
    id,
    position: typeof position === 'string' ? position : '',
    credits: readEntries<Credit>(map.get('credits'), creditSchema),
    splits: readEntries<Split>(map.get('splits'), splitSchema),
  };
}

/**
 * Tracks in display order. Only entries of the `tracks` map whose key is a track id and whose
 * value is a Y.Map are tracks; anything else stored there (a key such as "" or "a.b", which no
 * field path can name, or a value of another type) is skipped, so the rest of the sheet still
 * reads.
 */
export function readTracks(doc: Y.Doc): Track[] {
  const tracks: Track[] = [];
  tracksMap(doc).forEach((value: unknown, id) => {
    if (isValidId(id) && isYMap(value)) tracks.push(readTrack(id, value));
  });
  return tracks.sort(comparePositioned);
}

/** Track ids in display order. */
export function orderedTrackIds(doc: Y.Doc): string[] {
  return readTracks(doc).map((track) => track.id);
}

/**
 * The notes as plain text: one line per block, for export and validation. Only XmlElement and
 * XmlText nodes (what the notes editor writes) count; any other node stored in the fragment is
 * skipped together with everything inside it.
 */
export function readNotesText(doc: Y.Doc): string {
  const lines: string[] = [];
  for (const node of notesFragment(doc).toArray()) {
    if (node instanceof Y.XmlElement || node instanceof Y.XmlText) lines.push(collectText(node));
  }
  return lines.join('\n');
}

/** The text inside `root`, depth first. A loop, not recursion: nesting depth is the writer's choice. */
function collectText(root: Y.XmlElement | Y.XmlText): string {
  let text = '';
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as Array<{ insert?: unknown }>) {
        if (typeof op.insert === 'string') text += op.insert;
      }
    } else if (node instanceof Y.XmlElement) {
      const children = node.toArray();
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
    }
  }
  return text;
}

/** The whole sheet as a plain typed object. */
export function readSheet(doc: Y.Doc): ReleaseSheet {
  const version = metaMap(doc).get('schemaVersion');
  return {
    schemaVersion: Number.isSafeInteger(version) ? (version as number) : SCHEMA_VERSION,
    release: readReleaseFields(doc),
    tracks: readTracks(doc),
    notes: readNotesText(doc),
  };
}
