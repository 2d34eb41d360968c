import * as Y from 'yjs';
import type { SheetDiff } from '../api/history.js';
import {
  fieldPath,
  notesFragment,
  RELEASE_FIELDS,
  type ReleaseFieldName,
  TRACK_LIST_FIELDS,
  TRACK_POSITION_KEY,
  TRACK_SCALAR_FIELDS,
  type TrackListFieldName,
  type TrackScalarFieldName,
  tracksMap,
} from '../doc-layout.js';
import { isValidId } from '../domain/ids.js';
import type { ReleaseFields, ReleaseSheet, Track } from '../domain/release-sheet.js';
import { setReleaseFields } from '../sheet/edit-release.js';
import { setTrackFields } from '../sheet/edit-tracks.js';
import { replaceNotesText } from '../sheet/notes.js';
import { diffSheets } from './sheet-diff.js';

/** A path someone may ask to restore is not one (README.md, "Version history"). */
export class RestoreSelectionError extends Error {}

/**
 * What a restore brings back, one unit each: `release.<field>`, `notes`, `tracks.<id>` (the whole
 * track: its place, fields, credits and splits, or its absence), `tracks.<id>.<field>`,
 * `tracks.<id>.credits`, `tracks.<id>.splits`. The status is never restored: it changes only
 * through the workflow.
 */
export type RestoreUnit =
  | { kind: 'release'; field: ReleaseFieldName }
  | { kind: 'notes' }
  | { kind: 'track'; trackId: string }
  | { kind: 'trackField'; trackId: string; field: TrackScalarFieldName }
  | { kind: 'trackList'; trackId: string; list: TrackListFieldName };

export const restoreUnitPath = (unit: RestoreUnit): string => {
  switch (unit.kind) {
    case 'release':
      return fieldPath.release(unit.field);
    case 'notes':
      return fieldPath.notes;
    case 'track':
      return fieldPath.track(unit.trackId);
    case 'trackField':
      return fieldPath.trackField(unit.trackId, unit.field);
    case 'trackList':
      return fieldPath.trackField(unit.trackId, unit.list);
  }
};

/** Parses one requested path; throws RestoreSelectionError for anything else. */
export function parseRestorePath(path: string): RestoreUnit {
  const parts = path.split('.');
  const [root, id, field] = parts;
  if (path === fieldPath.notes) return { kind: 'notes' };
  if (root === 'release' && parts.length === 2 && (RELEASE_FIELDS as readonly string[]).includes(id!)) {
    if (id === 'status') throw new RestoreSelectionError('The status changes only through the workflow');
    return { kind: 'release', field: id as ReleaseFieldName };
  }
  if (root === 'tracks' && isValidId(id)) {
    if (parts.length === 2) return { kind: 'track', trackId: id };
    if (parts.length === 3 && (TRACK_SCALAR_FIELDS as readonly string[]).includes(field!))
      return { kind: 'trackField', trackId: id, field: field as TrackScalarFieldName };
    if (parts.length === 3 && (TRACK_LIST_FIELDS as readonly string[]).includes(field!))
      return { kind: 'trackList', trackId: id, list: field as TrackListFieldName };
  }
  throw new RestoreSelectionError(`"${path.slice(0, 200)}" is not a field that can be restored`);
}

/** The units that differ between `current` and `target`: what restoring the whole sheet writes. */
export function unitsOfDiff(diff: SheetDiff): RestoreUnit[] {
  const trackIds = new Set([
    ...diff.tracks.added.map((track) => track.id),
    ...diff.tracks.removed.map((track) => track.id),
    ...diff.tracks.moved.map((move) => move.trackId),
    ...diff.tracks.changed.map((change) => change.trackId),
  ]);
  return [
    ...diff.release
      .filter((change) => change.field !== 'status')
      .map((change): RestoreUnit => ({ kind: 'release', field: change.field as ReleaseFieldName })),
    ...[...trackIds].map((trackId): RestoreUnit => ({ kind: 'track', trackId })),
    ...(diff.notes ? [{ kind: 'notes' } as const] : []),
  ];
}

/**
 * The units of a restore of `target` into the sheet `current`: every differing unit when
 * `paths` is omitted, else the requested ones that differ (unchanged ones are left out, so the
 * answer lists what the restore actually changed).
 */
export function planRestore(
  current: ReleaseSheet,
  target: ReleaseSheet,
  paths?: readonly string[],
): RestoreUnit[] {
  const diff = diffSheets(current, target);
  if (!paths) return unitsOfDiff(diff);
  const differing = new Set(unitsOfDiff(diff).map(restoreUnitPath));
  const changedTracks = new Map(diff.tracks.changed.map((change) => [change.trackId, change]));
  const units = new Map<string, RestoreUnit>();
  for (const path of paths) {
    const unit = parseRestorePath(path);
    const key = restoreUnitPath(unit);
    if (unit.kind === 'trackField' || unit.kind === 'trackList') {
      const inCurrent = current.tracks.some((track) => track.id === unit.trackId);
      const inTarget = target.tracks.some((track) => track.id === unit.trackId);
      if (inCurrent !== inTarget) {
        throw new RestoreSelectionError(
          `Track ${unit.trackId} was ${inTarget ? 'removed since' : 'added after'} that version: restore the whole track`,
        );
      }
      const change = changedTracks.get(unit.trackId);
      const differs =
        unit.kind === 'trackField'
          ? change?.fields.some((field) => field.field === unit.field)
          : change &&
            change[unit.list].added.length +
              change[unit.list].removed.length +
              change[unit.list].changed.length >
              0;
      if (differs) units.set(key, unit);
    } else if (differing.has(key)) units.set(key, unit);
  }
  return [...units.values()];
}

/**
 * Writes the units of `target` into `doc` (in the caller's transaction), skipping equal values.
 * The notes come from `targetDoc` with their formatting when it is given, else as plain text.
 */
export function applyRestore(
  doc: Y.Doc,
  target: ReleaseSheet,
  units: readonly RestoreUnit[],
  targetDoc?: Y.Doc,
): void {
  const targetTracks = new Map(target.tracks.map((track) => [track.id, track]));
  for (const unit of units) {
    switch (unit.kind) {
      case 'release':
        setReleaseFields(doc, { [unit.field]: target.release[unit.field] } as Partial<ReleaseFields>);
        break;
      case 'notes':
        if (targetDoc) restoreNotes(doc, targetDoc);
        else replaceNotesText(doc, target.notes);
        break;
      case 'track':
        restoreTrack(doc, unit.trackId, targetTracks.get(unit.trackId) ?? null);
        break;
      case 'trackField': {
        const track = targetTracks.get(unit.trackId);
        if (track) setTrackFields(doc, unit.trackId, { [unit.field]: track[unit.field] });
        break;
      }
      case 'trackList': {
        const track = targetTracks.get(unit.trackId);
        const map = tracksMap(doc).get(unit.trackId);
        if (track && map instanceof Y.Map) restoreList(map, unit.list, track[unit.list]);
        break;
      }
    }
  }
}

/** The notes as `from` holds them, blocks and formatting included (what `readNotesText` reads). */
function restoreNotes(doc: Y.Doc, from: Y.Doc): void {
  const fragment = notesFragment(doc);
  const blocks = notesFragment(from)
    .toArray()
    .filter((node) => node instanceof Y.XmlElement || node instanceof Y.XmlText)
    .map((node) => node.clone());
  fragment.delete(0, fragment.length);
  fragment.insert(0, blocks);
}

/** The whole track as in `target`, or its removal when `target` is null. */
function restoreTrack(doc: Y.Doc, trackId: string, target: Track | null): void {
  const tracks = tracksMap(doc);
  if (target === null) {
    if (tracks.has(trackId)) tracks.delete(trackId);
    return;
  }
  let map = tracks.get(trackId);
  if (!(map instanceof Y.Map) || map instanceof Y.XmlHook) {
    map = new Y.Map<unknown>();
    tracks.set(trackId, map);
  }
  if (map.get(TRACK_POSITION_KEY) !== target.position) map.set(TRACK_POSITION_KEY, target.position);
  const scalars = Object.fromEntries(TRACK_SCALAR_FIELDS.map((field) => [field, target[field]]));
  setTrackFields(doc, trackId, scalars);
  for (const list of TRACK_LIST_FIELDS) restoreList(map, list, target[list]);
}

/**
 * A credits or splits list as in `entries`. Entries kept in the same order are updated field by
 * field, so someone editing another field of one at the same time keeps their edit; otherwise the
 * list is rebuilt with the version's entries, ids included.
 */
function restoreList(track: Y.Map<unknown>, list: TrackListFieldName, entries: readonly object[]): void {
  let array = track.get(list);
  if (!(array instanceof Y.Array)) {
    array = new Y.Array<Y.Map<unknown>>();
    track.set(list, array);
  }
  const current = (array as Y.Array<unknown>).toArray();
  const sameOrder =
    current.length === entries.length &&
    current.every(
      (entry, i) => entry instanceof Y.Map && entry.get('id') === (entries[i] as { id: string }).id,
    );
  if (sameOrder) {
    current.forEach((entry, i) => {
      for (const [key, value] of Object.entries(entries[i]!)) {
        if ((entry as Y.Map<unknown>).get(key) !== value) (entry as Y.Map<unknown>).set(key, value);
      }
    });
    return;
  }
  const rebuilt = entries.map((entry) => {
    const map = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(entry)) map.set(key, value);
    return map;
  });
  (array as Y.Array<unknown>).delete(0, current.length);
  (array as Y.Array<unknown>).insert(0, rebuilt);
}
