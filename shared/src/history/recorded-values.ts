import * as Y from 'yjs';
import { RELEASE_FIELDS, releaseMap, TRACK_SCALAR_FIELDS, tracksMap } from '../doc-layout.js';

/** A commit records at most this many values… */
export const MAX_RECORDED_VALUES = 20;
/** …each a scalar (or a short list) whose JSON is at most this long; longer ones are not recorded. */
export const MAX_RECORDED_VALUE_CHARS = 200;

/** The value stored under a field path, when it is one a commit records. */
function valueAt(doc: Y.Doc, path: string): unknown {
  const parts = path.split('.');
  if (
    parts[0] === 'release' &&
    parts.length === 2 &&
    (RELEASE_FIELDS as readonly string[]).includes(parts[1]!)
  ) {
    return releaseMap(doc).get(parts[1]!);
  }
  if (
    parts[0] === 'tracks' &&
    parts.length === 3 &&
    (TRACK_SCALAR_FIELDS as readonly string[]).includes(parts[2]!)
  ) {
    const track = tracksMap(doc).get(parts[1]!);
    return track instanceof Y.Map ? track.get(parts[2]!) : undefined;
  }
  return undefined;
}

const isRecordable = (value: unknown): boolean =>
  value === null ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value)) ||
  typeof value === 'string' ||
  (Array.isArray(value) && value.every((item) => typeof item === 'string'));

/**
 * The values the scalar fields among `paths` hold in `doc`, for per-field history
 * (README.md, "Version history"): release fields and track scalar fields only, each at most
 * MAX_RECORDED_VALUE_CHARS as JSON, at most MAX_RECORDED_VALUES per commit. Lists (credits,
 * splits), the notes and longer values are not recorded: their history shows who and when, and
 * versions hold their content. Reads a few map entries: cheap enough for every commit.
 */
export function recordedValues(doc: Y.Doc, paths: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  let count = 0;
  for (const path of paths) {
    if (count >= MAX_RECORDED_VALUES) break;
    const value = valueAt(doc, path);
    if (value === undefined || !isRecordable(value)) continue;
    if (JSON.stringify(value).length > MAX_RECORDED_VALUE_CHARS) continue;
    values[path] = value;
    count++;
  }
  return values;
}
