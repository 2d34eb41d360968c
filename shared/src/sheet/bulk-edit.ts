import type * as Y from 'yjs';
import type { TrackScalarFieldName } from '../doc-layout.js';
import type { Credit, Track, TrackScalarFields } from '../domain/release-sheet.js';
import { isValidIsrc, normalizeIsrc } from '../validators/isrc.js';
import { addTrackEntry } from './edit-contributors.js';
import { requireTrack, setTrackFields } from './edit-tracks.js';
import { readTracks } from './read-sheet.js';
import { SheetError, SheetErrorReason } from './sheet-error.js';

/**
 * Edits of several tracks at once (docs/DELIVERY.md, "Bulk edit"). Each runs in one Yjs
 * transaction, so it travels as one update, is judged as a whole by the server (one forbidden
 * path refuses all of it) and is one step of the author's undo. Each checks everything before it
 * writes: a refused bulk edit changes nothing.
 */

/** The selected tracks in display order; unknown ids refuse the edit. */
function selectedTracks(doc: Y.Doc, trackIds: readonly string[]): Track[] {
  for (const id of trackIds) requireTrack(doc, id);
  const wanted = new Set(trackIds);
  return readTracks(doc).filter((track) => wanted.has(track.id));
}

/**
 * Sets the same scalar fields on every selected track. The first write checks the values'
 * types before anything is written, and the rest write the same values.
 */
export function setFieldsOfTracks(
  doc: Y.Doc,
  trackIds: readonly string[],
  fields: Partial<TrackScalarFields>,
): void {
  const tracks = selectedTracks(doc, trackIds);
  doc.transact(() => {
    for (const track of tracks) setTrackFields(doc, track.id, fields);
  });
}

const sameCredit = (a: Omit<Credit, 'id'>, b: Omit<Credit, 'id'>) =>
  a.name.trim().toLowerCase() === b.name.trim().toLowerCase() &&
  a.role.trim().toLowerCase() === b.role.trim().toLowerCase();

/**
 * Adds one credit to every selected track that does not already credit that name in that role;
 * returns how many tracks got it.
 */
export function addCreditToTracks(
  doc: Y.Doc,
  trackIds: readonly string[],
  credit: Omit<Credit, 'id'>,
): number {
  if (!credit.name.trim() || !credit.role.trim()) {
    throw new SheetError(SheetErrorReason.invalidValue, 'A credit needs a name and a role');
  }
  const missing = selectedTracks(doc, trackIds).filter(
    (track) => !track.credits.some((existing) => sameCredit(existing, credit)),
  );
  doc.transact(() => {
    for (const track of missing) addTrackEntry(doc, track.id, 'credits', credit);
  });
  return missing.length;
}

/** Copies the first selected track's (in display order) `field` to the other selected tracks. */
export function fillDown(doc: Y.Doc, trackIds: readonly string[], field: TrackScalarFieldName): void {
  const [first, ...rest] = selectedTracks(doc, trackIds);
  if (!first || rest.length === 0) return;
  const fields = { [field]: first[field] } as Partial<TrackScalarFields>;
  doc.transact(() => {
    for (const track of rest) setTrackFields(doc, track.id, fields);
  });
}

/** Highest designation code (the last five digits of an ISRC). */
export const MAX_ISRC_DESIGNATION = 99_999;

export type IsrcSequence = { ok: true; isrcs: string[] } | { ok: false; message: string };

/**
 * `count` ISRCs from `first` on, in compact form: the same country, registrant and year, the
 * designation code counting up by one. Refused when `first` is no ISRC or the designation code
 * would pass 99999.
 * @example isrcSequence('QZ-DEM-26-00009', 2) // { ok: true, isrcs: ['QZDEM2600009', 'QZDEM2600010'] }
 */
export function isrcSequence(first: string, count: number): IsrcSequence {
  const start = normalizeIsrc(first);
  if (!isValidIsrc(start)) {
    return { ok: false, message: `"${first}" is not an ISRC (CC-XXX-YY-NNNNN)` };
  }
  const stem = start.slice(0, 7);
  const designation = Number(start.slice(7));
  const last = designation + count - 1;
  if (last > MAX_ISRC_DESIGNATION) {
    return {
      ok: false,
      message: `${count} codes from ${start} would run past ${stem}${MAX_ISRC_DESIGNATION}: start at ${stem}${String(
        Math.max(0, MAX_ISRC_DESIGNATION - count + 1),
      ).padStart(5, '0')} or lower`,
    };
  }
  const isrcs: string[] = [];
  for (let i = 0; i < count; i++) {
    const isrc = `${stem}${String(designation + i).padStart(5, '0')}`;
    // Every code is checked as the sheet checks one typed by hand.
    if (!isValidIsrc(isrc)) return { ok: false, message: `${isrc} is not a valid ISRC` };
    isrcs.push(isrc);
  }
  return { ok: true, isrcs };
}

export type IsrcRenumbering =
  | { ok: true; assignments: { trackId: string; isrc: string }[] }
  | { ok: false; message: string };

/**
 * What renumbering the selected tracks from `first` would write: their new ISRCs in display
 * order. Refused when the sequence is refused or a new code is already the ISRC of a track
 * outside the selection.
 */
export function planIsrcRenumbering(
  tracks: readonly Track[],
  trackIds: readonly string[],
  first: string,
): IsrcRenumbering {
  const wanted = new Set(trackIds);
  const selected = tracks.filter((track) => wanted.has(track.id));
  const sequence = isrcSequence(first, selected.length);
  if (!sequence.ok) return sequence;
  // Track numbers (1-based display order) of the codes the other tracks hold.
  const usedElsewhere = new Map<string, number>();
  tracks.forEach((track, index) => {
    if (!wanted.has(track.id) && track.isrc.trim()) usedElsewhere.set(normalizeIsrc(track.isrc), index + 1);
  });
  const taken = sequence.isrcs.filter((isrc) => usedElsewhere.has(isrc));
  if (taken.length > 0) {
    const where = taken.map((isrc) => `${isrc} (track ${usedElsewhere.get(isrc)})`).join(', ');
    return { ok: false, message: `Already used in this release: ${where}` };
  }
  return {
    ok: true,
    assignments: selected.map((track, i) => ({ trackId: track.id, isrc: sequence.isrcs[i]! })),
  };
}

/** Renumbers the selected tracks' ISRCs from `first` (`planIsrcRenumbering`), or refuses. */
export function renumberIsrcs(doc: Y.Doc, trackIds: readonly string[], first: string): void {
  for (const id of trackIds) requireTrack(doc, id);
  const plan = planIsrcRenumbering(readTracks(doc), trackIds, first);
  if (!plan.ok) throw new SheetError(SheetErrorReason.invalidValue, plan.message);
  doc.transact(() => {
    for (const { trackId, isrc } of plan.assignments) setTrackFields(doc, trackId, { isrc });
  });
}
