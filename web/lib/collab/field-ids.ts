/**
 * DOM ids and test ids of sheet inputs, derived from field paths (`release.upc`,
 * `tracks.<id>.isrc`), so a validation problem can focus its field and end-to-end tests can
 * find it. Paths hold only `[a-z0-9.]` and field names, which are valid in ids as they are.
 */
export const fieldDomId = (path: string) => `field-${path}`;
export const fieldTestId = fieldDomId;

export interface FieldTarget {
  /** The track that must be expanded first (credits and splits live in a collapsed panel). */
  expandTrackId: string | null;
  /** The element to focus. */
  domId: string;
}

const TRACK_LIST_FIELDS = new Set(['credits', 'splits']);

/**
 * Where a problem's path lands in the page. `tracks` (no tracks at all) lands on "Add track";
 * a credits or splits path lands on the list's add button inside the expanded track.
 */
export function fieldTarget(path: string): FieldTarget {
  if (path === 'tracks') return { expandTrackId: null, domId: 'add-track' };
  const [root, trackId, field] = path.split('.');
  if (root === 'tracks' && trackId && field && TRACK_LIST_FIELDS.has(field)) {
    return { expandTrackId: trackId, domId: fieldDomId(path) };
  }
  return { expandTrackId: null, domId: fieldDomId(path) };
}
