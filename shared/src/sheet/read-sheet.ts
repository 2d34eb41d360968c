import * as Y from 'yjs';
import {
  metaMap,
  notesFragment,
  releaseMap,
  SCHEMA_VERSION,
  TRACK_POSITION_KEY,
  tracksMap,
} from '../doc-layout.js';
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

export function readReleaseFields(doc: Y.Doc): ReleaseFields {
  const map = releaseMap(doc);
  const fields = { ...EMPTY_RELEASE_FIELDS } as Record<string, unknown>;
  for (const [key, schema] of Object.entries(releaseFieldsSchema.shape)) {
    fields[key] = readField(map, key, schema, fields[key]);
  }
  return fields as ReleaseFields;
}

function readEntries<T>(
  list: unknown,
  schema: { safeParse(v: unknown): { success: boolean; data?: T } },
): T[] {
  if (!list || typeof (list as Y.Array<unknown>).toArray !== 'function') return [];
  const entries: T[] = [];
  for (const entry of (list as Y.Array<Y.Map<unknown>>).toArray()) {
    const parsed = schema.safeParse(typeof entry?.toJSON === 'function' ? entry.toJSON() : entry);
    if (parsed.success) entries.push(parsed.data as T);
  }
  return entries;
}

export function readTrack(id: string, map: Y.Map<unknown>): Track {
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

/** Tracks in display order. */
export function readTracks(doc: Y.Doc): Track[] {
  const tracks: Track[] = [];
  tracksMap(doc).forEach((map, id) => {
    if (map && typeof map.get === 'function') tracks.push(readTrack(id, map));
  });
  return tracks.sort(comparePositioned);
}

/** Track ids in display order. */
export function orderedTrackIds(doc: Y.Doc): string[] {
  return readTracks(doc).map((track) => track.id);
}

/** The notes as plain text: one line per block, for export and validation. */
export function readNotesText(doc: Y.Doc): string {
  const lines: string[] = [];
  for (const node of notesFragment(doc).toArray()) {
    lines.push(collectText(node));
  }
  return lines.join('\n');
}

function collectText(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) {
    return (node.toDelta() as Array<{ insert: unknown }>)
      .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
      .join('');
  }
  if (node instanceof Y.XmlElement) return node.toArray().map(collectText).join('');
  return '';
}

/** The whole sheet as a plain typed object. */
export function readSheet(doc: Y.Doc): ReleaseSheet {
  const version = metaMap(doc).get('schemaVersion');
  return {
    schemaVersion: typeof version === 'number' ? version : SCHEMA_VERSION,
    release: readReleaseFields(doc),
    tracks: readTracks(doc),
    notes: readNotesText(doc),
  };
}
