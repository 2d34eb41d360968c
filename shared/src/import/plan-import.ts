import type * as Y from 'yjs';
import type { FieldChange } from '../api/history.js';
import { fieldPath, tracksMap } from '../doc-layout.js';
import type { ReleaseSheet, Track } from '../domain/release-sheet.js';
import { addTrackEntry, removeTrackEntry } from '../sheet/edit-contributors.js';
import { setReleaseFields } from '../sheet/edit-release.js';
import { appendTracks, setTrackFields } from '../sheet/edit-tracks.js';
import { readSheet, readTrack } from '../sheet/read-sheet.js';
import { normalizeIsrc } from '../validators/isrc.js';
import type { ImportedSheet, ImportedTrack } from './read-table.js';

/**
 * A track the import adds (`trackId` null) or changes. Its changes' paths are
 * `tracks.<id>.<field>`, or `track.<field>` for a track that is added (it has no id yet).
 */
export interface PlannedTrack {
  row: number;
  trackId: string | null;
  title: string;
  changes: FieldChange[];
}

/** What an import does to one release (docs/IMPORT.md, "Matching tracks"). */
export interface ImportPlan {
  release: FieldChange[];
  added: PlannedTrack[];
  changed: PlannedTrack[];
  /** Rows that match a track and change nothing in it. */
  unchangedTracks: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const entriesOf = <T extends { id: string }>(list: readonly T[]) => list.map(({ id: _id, ...rest }) => rest);

/**
 * Which current track each imported row updates: the one with the same ISRC; else the one at
 * the row's track number, unless that one holds another ISRC (another recording); else none
 * (the row is a new track). Each current track is matched once.
 */
function matchTracks(current: readonly Track[], imported: readonly ImportedTrack[]): Array<Track | null> {
  const taken = new Set<string>();
  const byIsrc = new Map(current.filter((t) => t.isrc).map((t) => [normalizeIsrc(t.isrc), t]));
  return imported.map((row) => {
    const isrc = row.fields.isrc ? normalizeIsrc(row.fields.isrc) : '';
    let match = isrc ? byIsrc.get(isrc) : undefined;
    if (!match && row.number !== null) {
      const atNumber = current[row.number - 1];
      const otherRecording = atNumber?.isrc && isrc && normalizeIsrc(atNumber.isrc) !== isrc;
      if (atNumber && !otherRecording) match = atNumber;
    }
    if (!match || taken.has(match.id)) return null;
    taken.add(match.id);
    return match;
  });
}

function trackChanges(track: Track | null, row: ImportedTrack): FieldChange[] {
  const path = (field: string) => (track ? fieldPath.trackField(track.id, field) : `track.${field}`);
  const changes: FieldChange[] = [];
  for (const [field, after] of Object.entries(row.fields)) {
    const before = track ? track[field as keyof Track] : undefined;
    if (!same(before, after)) changes.push({ path: path(field), field, before, after });
  }
  for (const list of ['credits', 'splits'] as const) {
    const after = row[list];
    if (after === null) continue;
    const before = track ? entriesOf<{ id: string }>(track[list]) : [];
    if (!same(before, after)) changes.push({ path: path(list), field: list, before, after });
  }
  return changes;
}

/** What importing `imported` into `current` would change; nothing is written. */
export function planImport(current: ReleaseSheet, imported: ImportedSheet): ImportPlan {
  const release: FieldChange[] = [];
  for (const [field, after] of Object.entries(imported.release)) {
    const before = current.release[field as keyof typeof current.release];
    if (!same(before, after)) release.push({ path: fieldPath.release(field), field, before, after });
  }
  const matches = matchTracks(current.tracks, imported.tracks);
  const added: PlannedTrack[] = [];
  const changed: PlannedTrack[] = [];
  let unchangedTracks = 0;
  imported.tracks.forEach((row, i) => {
    const track = matches[i] ?? null;
    const changes = trackChanges(track, row);
    const title = row.fields.title ?? track?.title ?? '';
    if (!track) added.push({ row: row.row, trackId: null, title, changes });
    else if (changes.length > 0) changed.push({ row: row.row, trackId: track.id, title, changes });
    else unchangedTracks += 1;
  });
  // New tracks go after the existing ones, in track-number order (rows without one keep theirs).
  const numberOf = new Map(imported.tracks.map((t) => [t.row, t.number ?? Number.MAX_SAFE_INTEGER]));
  added.sort((a, b) => numberOf.get(a.row)! - numberOf.get(b.row)!);
  return { release, added, changed, unchangedTracks };
}

/**
 * Writes an import into a release document (inside the caller's transaction, so one import is
 * one edit) and returns the plan it carried out with the field paths it touched. Planned against
 * the document as it stands, not as it stood at preview time.
 */
export function applyImport(doc: Y.Doc, imported: ImportedSheet): { plan: ImportPlan; paths: string[] } {
  const plan = planImport(readSheet(doc), imported);
  const paths: string[] = [];
  const releaseValues = Object.fromEntries(plan.release.map((change) => [change.field, change.after]));
  setReleaseFields(doc, releaseValues);
  paths.push(...plan.release.map((change) => change.path));
  const rowOf = new Map(imported.tracks.map((track) => [track.row, track]));
  for (const planned of plan.changed) {
    const row = rowOf.get(planned.row)!;
    writeTrack(doc, planned.trackId!, row, planned.changes);
    paths.push(...planned.changes.map((change) => change.path));
  }
  const addedRows = plan.added.map((planned) => rowOf.get(planned.row)!);
  const ids = appendTracks(
    doc,
    addedRows.map((row) => row.fields),
  );
  ids.forEach((trackId, i) => {
    writeTrack(doc, trackId, { ...addedRows[i]!, fields: {} }, plan.added[i]!.changes);
    paths.push(fieldPath.track(trackId));
  });
  return { plan, paths };
}

function writeTrack(doc: Y.Doc, trackId: string, row: ImportedTrack, changes: readonly FieldChange[]): void {
  const fields = Object.fromEntries(
    changes.filter((c) => c.field in row.fields).map((change) => [change.field, change.after]),
  );
  if (Object.keys(fields).length > 0) setTrackFields(doc, trackId, fields);
  const current = readTrack(trackId, tracksMap(doc).get(trackId)!);
  for (const list of ['credits', 'splits'] as const) {
    const entries = row[list];
    if (entries === null || !changes.some((change) => change.field === list)) continue;
    for (const entry of current[list]) removeTrackEntry(doc, trackId, list, entry.id);
    for (const entry of entries) addTrackEntry(doc, trackId, list, entry as never);
  }
}
