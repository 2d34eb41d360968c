import { generateKeyBetween } from 'fractional-indexing';

/** Something with a fractional position key and a stable id to break ties. */
export interface Positioned {
  id: string;
  position: string;
}

/**
 * Display order: by position key, then by id. Two peers that concurrently move tracks into
 * the same gap mint equal keys; the id tie-break keeps every peer's order identical.
 */
export function comparePositioned(a: Positioned, b: Positioned): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The key that places an item at `index` of `ordered` (which must not contain the item
 * itself). Indexes past the end append.
 */
export function positionAt(ordered: readonly Positioned[], index: number): string {
  const clamped = Math.max(0, Math.min(index, ordered.length));
  const before = clamped > 0 ? ordered[clamped - 1]!.position : null;
  let after = clamped < ordered.length ? ordered[clamped]!.position : null;
  if (before !== null && after !== null && before >= after) {
    // Equal keys from a concurrent move: aim for the next strictly greater key instead.
    after = ordered.slice(clamped).find((item) => item.position > before)?.position ?? null;
  }
  return generateKeyBetween(before, after);
}
