import type {
  CreditListChange,
  FieldChange,
  NotesOp,
  SheetDiff,
  SplitListChange,
  TrackChange,
  TrackMove,
} from '../api/history.js';
import { fieldPath, RELEASE_FIELDS, TRACK_SCALAR_FIELDS } from '../doc-layout.js';
import type { Credit, ReleaseSheet, Split, Track } from '../domain/release-sheet.js';

const sameValue = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * What changed from sheet `before` to sheet `after` (two versions, or a version and now), for
 * the compare view and version summaries. Tracks and credit/split entries are matched by id, so
 * a renamed track is "changed", not "removed + added". A track counts as moved when its own
 * fractional position changed (shared/src/sheet/track-order.ts): a move rewrites only the moved
 * track's key, so tracks that merely shifted because another was added or moved are not listed.
 */
export function diffSheets(before: ReleaseSheet, after: ReleaseSheet): SheetDiff {
  const release: FieldChange[] = [];
  for (const field of RELEASE_FIELDS) {
    if (!sameValue(before.release[field], after.release[field])) {
      release.push({
        path: fieldPath.release(field),
        field,
        before: before.release[field],
        after: after.release[field],
      });
    }
  }
  const beforeById = new Map(before.tracks.map((track, index) => [track.id, { track, index }]));
  const afterById = new Map(after.tracks.map((track, index) => [track.id, { track, index }]));
  const added = after.tracks.filter((track) => !beforeById.has(track.id));
  const removed = before.tracks.filter((track) => !afterById.has(track.id));
  const moved: TrackMove[] = [];
  const changed: TrackChange[] = [];
  for (const [trackId, now] of afterById) {
    const then = beforeById.get(trackId);
    if (!then) continue;
    if (then.track.position !== now.track.position) moved.push({ trackId, from: then.index, to: now.index });
    const change = diffTrack(then.track, now.track);
    if (change) changed.push(change);
  }
  return {
    release,
    tracks: { added, removed, moved, changed },
    notes: before.notes === after.notes ? null : { ops: diffLines(before.notes, after.notes) },
  };
}

/** Whether a diff holds no change at all. */
export function isEmptyDiff(diff: SheetDiff): boolean {
  const { tracks } = diff;
  return (
    diff.release.length === 0 &&
    diff.notes === null &&
    tracks.added.length + tracks.removed.length + tracks.moved.length + tracks.changed.length === 0
  );
}

function diffTrack(before: Track, after: Track): TrackChange | null {
  const fields: FieldChange[] = [];
  for (const field of TRACK_SCALAR_FIELDS) {
    if (!sameValue(before[field], after[field])) {
      fields.push({
        path: fieldPath.trackField(after.id, field),
        field,
        before: before[field],
        after: after[field],
      });
    }
  }
  const credits = diffEntries<Credit>(before.credits, after.credits);
  const splits = diffEntries<Split>(before.splits, after.splits);
  if (fields.length === 0 && isEmptyList(credits) && isEmptyList(splits)) return null;
  return { trackId: after.id, title: after.title || before.title, fields, credits, splits };
}

const isEmptyList = (list: CreditListChange | SplitListChange) =>
  list.added.length + list.removed.length + list.changed.length === 0;

function diffEntries<T extends { id: string }>(
  before: readonly T[],
  after: readonly T[],
): { added: T[]; removed: T[]; changed: { id: string; before: T; after: T }[] } {
  const beforeById = new Map(before.map((entry) => [entry.id, entry]));
  const afterIds = new Set(after.map((entry) => entry.id));
  const changed: { id: string; before: T; after: T }[] = [];
  for (const entry of after) {
    const then = beforeById.get(entry.id);
    if (then && !sameValue(then, entry)) changed.push({ id: entry.id, before: then, after: entry });
  }
  return {
    added: after.filter((entry) => !beforeById.has(entry.id)),
    removed: before.filter((entry) => !afterIds.has(entry.id)),
    changed,
  };
}

/**
 * Above this many line pairs the middle of two texts is shown as removed then added instead of
 * aligned line by line: the alignment's table grows with the product of the line counts.
 */
const MAX_ALIGNED_CELLS = 4_000_000;

/**
 * A line diff of two texts: lines of `before` in order are the `same` and `removed` ops, lines
 * of `after` the `same` and `added` ops. Common lines are aligned by longest common subsequence
 * (after trimming the common start and end, which is most of an edited text).
 */
export function diffLines(before: string, after: string): NotesOp[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (text: string): NotesOp => ({ kind: 'same', text });
  const ops: NotesOp[] = a.slice(0, start).map(same);
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_ALIGNED_CELLS) {
    ops.push(...midA.map((text): NotesOp => ({ kind: 'removed', text })));
    ops.push(...midB.map((text): NotesOp => ({ kind: 'added', text })));
  } else {
    ops.push(...alignLines(midA, midB));
  }
  ops.push(...a.slice(endA).map(same));
  return ops;
}

/** Longest-common-subsequence alignment, removals before additions at each change. */
function alignLines(a: readonly string[], b: readonly string[]): NotesOp[] {
  const width = b.length + 1;
  // lengths[i * width + j]: LCS length of a[i..] and b[j..].
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const ops: NotesOp[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (
      j >= b.length ||
      (i < a.length && lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!)
    ) {
      ops.push({ kind: 'removed', text: a[i]! });
      i++;
    } else {
      ops.push({ kind: 'added', text: b[j]! });
      j++;
    }
  }
  return ops;
}
