import {
  creditSchema,
  isValidId,
  releaseFieldsSchema,
  releaseMap,
  splitSchema,
  TRACK_POSITION_KEY,
  trackScalarFieldsSchema,
  tracksMap,
} from '@patchline/shared';
import * as Y from 'yjs';

type Schema = { safeParse(value: unknown): { success: boolean } };
const releaseSchemas = releaseFieldsSchema.shape as Record<string, Schema>;
const trackSchemas = trackScalarFieldsSchema.shape as Record<string, Schema>;
const entrySchemas: Record<string, Schema> = { credits: creditSchema, splits: splitSchema };

function isValidTrack(track: unknown): boolean {
  return track instanceof Y.Map && typeof track.get(TRACK_POSITION_KEY) === 'string';
}

function isValidEntryList(list: unknown, schema: Schema): boolean {
  return (
    list instanceof Y.Array &&
    list.toArray().every((entry) => entry instanceof Y.Map && schema.safeParse(entry.toJSON()).success)
  );
}

function isValidValue(doc: Y.Doc, path: string): boolean {
  const [root, key, field] = path.split('.');
  if (root === 'release' && key) {
    const map = releaseMap(doc);
    return !map.has(key) || releaseSchemas[key]?.safeParse(map.get(key)).success === true;
  }
  if (root === 'tracks' && key) {
    if (!isValidId(key)) return false;
    const track = tracksMap(doc).get(key);
    if (track === undefined) return true; // removed
    if (!isValidTrack(track)) return false;
    if (field === undefined)
      return [...track.keys()].every(
        (name) => isValidValue(doc, `tracks.${key}.${name}`) || name === TRACK_POSITION_KEY,
      );
    if (!track.has(field)) return true;
    const value = track.get(field);
    if (trackSchemas[field]) return trackSchemas[field].safeParse(value).success;
    if (entrySchemas[field]) return isValidEntryList(value, entrySchemas[field]);
    return false;
  }
  return true;
}

/**
 * Paths whose value after the update breaks the document layout: a number where text belongs,
 * an unknown track field, a track without a position, an id that could not appear in a path.
 * Permissions decide *who* may write a field; this decides *what* may be written there.
 */
export function shapeViolations(result: Y.Doc, paths: readonly string[]): string[] {
  return paths.filter((path) => !isValidValue(result, path));
}
