import { DOC_ROOTS, fieldPath, TRACK_POSITION_KEY } from '@patchline/shared';

/**
 * Maps the keys from a document root down to a changed spot (map keys; null for list positions)
 * to the field path permissions reason about: `release.upc`, `tracks.<id>`, `tracks.<id>.isrc`,
 * `notes`, or an `unknown:` path no rule allows.
 */
export function pathOf(keys: Array<string | null>): string {
  const [root, first, second] = keys;
  if (root === DOC_ROOTS.notes) return fieldPath.notes;
  if (root === DOC_ROOTS.release && keys.length === 2 && typeof first === 'string')
    return fieldPath.release(first);
  if (root === DOC_ROOTS.meta && keys.length === 2 && typeof first === 'string') return fieldPath.meta(first);
  if (root === DOC_ROOTS.tracks && typeof first === 'string') {
    if (keys.length === 2 || second === TRACK_POSITION_KEY) return fieldPath.track(first);
    if (typeof second === 'string') return fieldPath.trackField(first, second);
  }
  // Anything outside the layout (unknown roots, list content in a map root) gets a path no
  // rule allows, so such a change is refused.
  return `unknown:${keys.map((key) => key ?? '[]').join('/')}`;
}
