import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { setTrackField } from '../sheet/edit-tracks.js';
import { readSheet } from '../sheet/read-sheet.js';
import { SheetError } from '../sheet/sheet-error.js';
import { applyFix } from './fixes.js';
import type { Fix } from './problem.js';
import { CLEAN, docOf, type Seed, TODAY, variant, withEdits } from './test-sheets.js';
import { validateSheet } from './validate-sheet.js';

describe(applyFix.name, () => {
  const doc = () => docOf(CLEAN);
  const trackId = (d: ReturnType<typeof doc>) => readSheet(d).tracks[0]!.id;

  it('sets release and track fields in one transaction (one update)', () => {
    const d = doc();
    const id = trackId(d);
    let updates = 0;
    d.on('update', () => updates++);
    applyFix(d, {
      edits: [
        { path: 'release.title', from: 'Blue Hours', to: 'Blue Hours, Vol. 2' },
        { path: `tracks.${id}.artists`, from: '', to: 'The Lanterns feat. Ana' },
      ],
    });
    expect(updates).toBe(1);
    const sheet = readSheet(d);
    expect(sheet.release.title).toBe('Blue Hours, Vol. 2');
    expect(sheet.tracks[0]!.artists).toBe('The Lanterns feat. Ana');
  });

  it('writes nothing when a field changed since the fix was offered', () => {
    const d = doc();
    const id = trackId(d);
    const fix: Fix = {
      id: 'move-featuring',
      label: 'Move',
      edits: [
        { path: 'release.title', from: 'Blue Hours', to: 'Changed' },
        { path: `tracks.${id}.title`, from: 'Blue Hours (feat. Ana)', to: 'Blue Hours' },
      ],
    };
    const before = readSheet(d);
    expect(() => applyFix(d, fix)).toThrow(/changed since this fix was offered/);
    expect(readSheet(d)).toEqual(before);
    setTrackField(d, id, 'title', 'Blue Hours (feat. Ana)');
    applyFix(d, fix);
    expect(readSheet(d).release.title).toBe('Changed');
  });

  it.each([
    ['the status', { path: 'release.status', from: 'draft', to: 'delivered' }],
    ['an unknown field', { path: 'release.owner', from: '', to: 'me' }],
    ['a list field', { path: 'tracks.aaaaaaaa.credits', from: [], to: [] }],
    ['a nested path', { path: 'release.title.x', from: '', to: '' }],
    ['a value of the wrong type', { path: 'release.releaseType', from: 'EP', to: 'Mixtape' }],
    ['a track that does not exist', { path: 'tracks.zzzzzzzz.title', from: '', to: 'x' }],
  ])('refuses %s and writes nothing', (_, edit) => {
    const d = doc();
    const before = readSheet(d);
    expect(() => applyFix(d, { edits: [edit] })).toThrow(SheetError);
    expect(readSheet(d)).toEqual(before);
  });
});

/** Mistakes people make in a track… */
const TRACK_DEFECTS: Array<(seed: Seed, track: number) => Seed> = [
  (s, t) => editTrack(s, t, (tr) => ({ title: tr.title?.toUpperCase() })),
  (s, t) => editTrack(s, t, (tr) => ({ title: tr.title?.toLowerCase() })),
  (s, t) => editTrack(s, t, (tr) => ({ title: `${tr.title} (feat. Ana & Bo)` })),
  (s, t) => editTrack(s, t, (tr) => ({ title: `${tr.title} ft. Cy` })),
  (s, t) => editTrack(s, t, (tr) => ({ title: `${tr.title} (Radio Edit)` })),
  (s, t) => editTrack(s, t, (tr) => ({ title: `${tr.title} 🔥` })),
  (s, t) => editTrack(s, t, (tr) => ({ title: `${tr.title}, Part 2` })),
  (s, t) => editTrack(s, t, (tr) => ({ title: `The Lanterns - ${tr.title}` })),
  (s, t) => editTrack(s, t, (tr) => ({ title: `${tr.title} - Out Now` })),
  (s, t) => editTrack(s, t, (tr) => ({ title: `${tr.title} [Explicit]` })),
  (s, t) => editTrack(s, t, () => ({ version: 'Original Mix' })),
  (s, t) => editTrack(s, t, () => ({ version: 'instrumental' })),
  (s, t) => editTrack(s, t, (tr) => ({ isrc: tr.isrc?.toLowerCase() })),
  (s, t) => editTrack(s, t, () => ({ explicit: true })),
];
/** …and in the release fields. */
const RELEASE_DEFECTS: Array<(seed: Seed) => Seed> = [
  (s) => ({ ...s, release: { ...s.release, title: `${s.release.title} (Deluxe Remix)` } }),
  (s) => ({ ...s, release: { ...s.release, title: s.release.title?.toUpperCase() } }),
  (s) => ({ ...s, release: { ...s.release, displayArtist: `${s.release.displayArtist} featuring Ana` } }),
  (s) => ({ ...s, release: { ...s.release, upc: '0-36000-29145-2' } }),
  (s) => ({ ...s, release: { ...s.release, pLine: `(P) ${s.release.pLine}` } }),
  (s) => ({ ...s, release: { ...s.release, releaseType: 'Single' } }),
  (s) => ({ ...s, release: { ...s.release, parentalAdvisory: 'explicit' } }),
];

function editTrack(
  seed: Seed,
  index: number,
  change: (track: Seed['tracks'][number]) => Seed['tracks'][number],
): Seed {
  return {
    ...seed,
    tracks: seed.tracks.map((track, i) => (i === index ? { ...track, ...change(track) } : track)),
  };
}

describe('every one-click fix, on sheets with random mistakes (property)', () => {
  const defective = fc
    // Each mistake at most once per track: a version typed twice into one title is not what a fix is for.
    .uniqueArray(
      fc.oneof(
        fc.tuple(fc.nat(TRACK_DEFECTS.length - 1), fc.nat(CLEAN.tracks.length - 1)),
        fc.tuple(fc.nat(RELEASE_DEFECTS.length - 1), fc.constant(null)),
      ),
      { minLength: 1, maxLength: 5, selector: ([defect, track]) => `${defect}:${track}` },
    )
    .map((defects) =>
      defects.reduce(
        (seed, [defect, track]) =>
          track === null ? RELEASE_DEFECTS[defect]!(seed) : TRACK_DEFECTS[defect]!(seed, track),
        variant(),
      ),
    );

  it('removes its problem and changes only the fields it names', () => {
    let fixes = 0;
    fc.assert(
      fc.property(defective, (seed) => {
        const state = Y.encodeStateAsUpdate(docOf(seed));
        const copy = () => {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, state);
          return doc;
        };
        const before = readSheet(copy());
        for (const problem of validateSheet(before, { today: TODAY })) {
          if (!problem.fix) continue;
          fixes++;
          const doc = copy();
          applyFix(doc, problem.fix);
          const after = readSheet(doc);
          expect(after).toEqual(withEdits(before, problem.fix.edits));
          const left = validateSheet(after, { today: TODAY }).filter(
            (p) => p.code === problem.code && p.path === problem.path,
          );
          expect(left, `${problem.code} at ${problem.path} after “${problem.fix.label}”`).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
    expect(fixes).toBeGreaterThan(200);
  });
});
