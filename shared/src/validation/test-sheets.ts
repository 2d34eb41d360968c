// Test support for the validation tests: a clean four-track EP and ways to build variants of it.
import type * as Y from 'yjs';
import type {
  Credit,
  ReleaseFields,
  ReleaseSheet,
  Split,
  TrackScalarFields,
} from '../domain/release-sheet.js';
import { createSheet } from '../sheet/create-sheet.js';
import { addTrackEntry } from '../sheet/edit-contributors.js';
import { orderedTrackIds, readSheet } from '../sheet/read-sheet.js';
import type { FieldEdit } from './problem.js';

/** Lead-time rules count from here: the fixture's dates are far enough ahead. */
export const TODAY = '2026-01-05';

export interface TrackSeed extends Partial<TrackScalarFields> {
  credits?: Array<Omit<Credit, 'id'>>;
  splits?: Array<Omit<Split, 'id'>>;
}
export interface Seed {
  release: Partial<ReleaseFields>;
  tracks: TrackSeed[];
}

const writer = (name: string) => [{ name, role: 'Composer' }];

/** A release every rule passes (at TODAY): no blocking problem, no warning. */
export const CLEAN: Seed = {
  release: {
    title: 'Blue Hours',
    displayArtist: 'The Lanterns',
    releaseType: 'EP',
    label: 'Harbour Records',
    upc: '036000291452',
    genre: 'Indie',
    language: 'en',
    parentalAdvisory: 'none',
    releaseDate: '2026-03-27',
    preorderDate: '2026-03-01',
    pLine: '2026 Harbour Records',
    cLine: '2026 Harbour Publishing',
    territories: ['Worldwide'],
  },
  tracks: [
    { title: 'Blue Hours', isrc: 'USRC17607839', duration: 'PT3M25S', credits: writer('Ana Writer') },
    { title: 'Night Drive', isrc: 'USRC17607840', duration: 'PT2M58S', credits: writer('Ana Writer') },
    { title: 'Harbour Lights', isrc: 'USRC17607841', duration: 'PT4M02S', credits: writer('Bo Writer') },
    { title: 'Slow Tide', isrc: 'USRC17607842', duration: 'PT3M40S', credits: writer('Bo Writer') },
  ].map((track) => ({ language: 'en', explicit: false, ...track })),
};

/** `CLEAN` with release fields replaced and tracks changed by index. */
export function variant(
  release: Partial<ReleaseFields> = {},
  tracks: Record<number, TrackSeed> | TrackSeed[] = {},
): Seed {
  const list = Array.isArray(tracks) ? tracks : CLEAN.tracks.map((track, i) => ({ ...track, ...tracks[i] }));
  return { release: { ...CLEAN.release, ...release }, tracks: list };
}

/** The seed as a Y.Doc, credits and splits included. */
export function docOf(seed: Seed): Y.Doc {
  const doc = createSheet({
    release: seed.release,
    tracks: seed.tracks.map(({ credits: _c, splits: _s, ...fields }) => fields),
  });
  orderedTrackIds(doc).forEach((trackId, i) => {
    const track = seed.tracks[i];
    for (const credit of track?.credits ?? []) addTrackEntry(doc, trackId, 'credits', credit);
    for (const split of track?.splits ?? []) addTrackEntry(doc, trackId, 'splits', split);
  });
  return doc;
}

export const sheetOf = (seed: Seed): ReleaseSheet => readSheet(docOf(seed));

/** `sheet` with the edits' target values written in (what a fix should leave). */
export function withEdits(sheet: ReleaseSheet, edits: readonly FieldEdit[]): ReleaseSheet {
  const next = structuredClone(sheet);
  for (const { path, to } of edits) {
    const [root, id, field] = path.split('.');
    if (root === 'release') (next.release as Record<string, unknown>)[id!] = to;
    else {
      const track = next.tracks.find((t) => t.id === id);
      if (track) (track as Record<string, unknown>)[field!] = to;
    }
  }
  return next;
}
