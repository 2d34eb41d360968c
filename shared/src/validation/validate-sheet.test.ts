import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../doc-layout.js';
import {
  EMPTY_RELEASE_FIELDS,
  EMPTY_TRACK_FIELDS,
  type ReleaseFields,
  type ReleaseSheet,
  type Split,
  type Track,
} from '../domain/release-sheet.js';
import { ISO_3166_1_ALPHA2 } from '../validators/country-codes.js';
import { ISO_639_1 } from '../validators/language-codes.js';
import type { Problem, ProblemCode } from './problem.js';
import { REQUIRED_RELEASE_FIELDS } from './release-rules.js';
import { CLEAN, TODAY } from './test-sheets.js';
import { deliveryReadiness as readinessAt, validateSheet } from './validate-sheet.js';

const deliveryReadiness = (s: ReleaseSheet) => readinessAt(s, { today: TODAY });

const REQUIRED_RELEASE = REQUIRED_RELEASE_FIELDS.map(([field]) => field);
/** The value that leaves a release field empty: `null` for the two choice fields. */
const emptyValue = (field: string) => (field === 'releaseType' || field === 'parentalAdvisory' ? null : '');
const REQUIRED_TRACK = ['title', 'isrc', 'duration'] as const;

/** The clean fixture's release as a one-track single, re-released (it has an original date). */
const VALID_RELEASE: ReleaseFields = {
  ...EMPTY_RELEASE_FIELDS,
  ...CLEAN.release,
  releaseType: 'Single',
  originalReleaseDate: '2025-11-07',
};

const track = (id: string, fields: Partial<Track> = {}): Track => ({
  ...EMPTY_TRACK_FIELDS,
  title: 'Blue Hours',
  isrc: 'USRC17607839',
  duration: 'PT3M25S',
  iswc: 'T-034.524.680-1',
  language: 'en',
  id,
  position: 'a0',
  credits: [{ id: 'c1', name: 'Ana Writer', role: 'Composer' }],
  splits: [],
  ...fields,
});
const sheet = (release: Partial<ReleaseFields> = {}, tracks = [track('trk1aaaa')]): ReleaseSheet => ({
  schemaVersion: SCHEMA_VERSION,
  release: { ...VALID_RELEASE, ...release },
  tracks,
  notes: '',
});
/** A valid sheet whose single track `trk1aaaa` has `fields`. */
const withTrack = (fields: Partial<Track>) => sheet({}, [track('trk1aaaa', fields)]);
const splits = (...shares: number[]): Split[] =>
  shares.map((share, i) => ({ id: `s${i}`, party: `Writer ${i}`, role: 'Composer', share }));
/** Problems without their message text: tests key on path, severity and code only. */
const brief = (problems: Problem[]) => problems.map(({ path, severity, code }) => ({ path, severity, code }));
const found = (s: ReleaseSheet) => brief(validateSheet(s, { today: TODAY }));
const error = (path: string, code: ProblemCode) => ({ path, severity: 'blocking', code });

describe(validateSheet.name, () => {
  it('finds nothing wrong with a complete, valid sheet', () => {
    expect(found(sheet())).toEqual([]);
  });

  it.each(REQUIRED_RELEASE)('requires release.%s', (field) => {
    expect(found(sheet({ [field]: emptyValue(field) }))).toEqual([error(`release.${field}`, 'required')]);
  });

  it.each(REQUIRED_TRACK)('requires tracks.<id>.%s', (field) => {
    expect(found(withTrack({ [field]: '' }))).toEqual([error(`tracks.trk1aaaa.${field}`, 'required')]);
  });

  it('treats a blank title as missing and requires at least one track', () => {
    expect(found(sheet({ title: '   ' }))).toEqual([error('release.title', 'required')]);
    expect(found(sheet({}, []))).toEqual([error('tracks', 'no-tracks')]);
  });

  it.each([
    ['upc', '036000291453', 'invalid-check-digit'],
    ['upc', '03600029145', 'invalid-format'],
    ['upc', '0 36000 29145 2', 'invalid-format'],
    ['preorderDate', '2026-03-28', 'preorder-not-before-release'],
    ['preorderDate', '2026-03-27', 'preorder-not-before-release'],
    ['originalReleaseDate', '2027-01-01', 'original-after-release'],
    ['releaseDate', '2026-02-30', 'invalid-date'],
    ['preorderDate', '27/03/2026', 'invalid-date'],
    ['originalReleaseDate', '2025-13-01', 'invalid-date'],
    ['territories', ['US', 'UK'], 'unknown-territory'],
    ['territories', ['Worldwide', 'US'], 'worldwide-with-countries'],
    ['language', 'english', 'unknown-language'],
  ] as const)('flags release.%s %j as %s', (field, value, code) => {
    expect(found(sheet({ [field]: value }))).toEqual([error(`release.${field}`, code)]);
  });

  it.each([
    ['duration', 'PT0S', 'duration-not-positive'],
    ['duration', '3:25', 'invalid-duration'],
    ['isrc', 'usrc17607839', 'invalid-format'],
    ['iswc', 'T-034.524.680-2', 'invalid-check-digit'],
    ['language', 'xx', 'unknown-language'],
  ] as const)('flags tracks.<id>.%s %j as %s', (field, value, code) => {
    expect(found(withTrack({ [field]: value }))).toEqual([error(`tracks.trk1aaaa.${field}`, code)]);
  });

  it.each([
    ['an EAN-13', sheet({ upc: '4006381333931' })],
    ['a pre-order the day before the release', sheet({ preorderDate: '2026-03-26' })],
    ['no pre-order', sheet({ preorderDate: '' })],
    ['an original date equal to the release date', sheet({ originalReleaseDate: '2026-03-27' })],
    ['a list of countries', sheet({ territories: ['US', 'GB'] })],
    ['no territories', sheet({ territories: [] })],
  ])('accepts %s', (_, s) => {
    expect(found(s)).toEqual([]);
  });

  it.each<[number[], ProblemCode[]]>([
    [[50, 40], ['splits-not-100']],
    [[60, 50], ['splits-not-100']],
    [[0, 100], ['split-share-out-of-range']],
    [[33.33, 33.33, 33.34], []],
    [[33.33, 33.33, 33.33], []],
    [[100], []],
    [[], []],
  ])('splits %j give %j', (shares, codes) => {
    expect(found(withTrack({ splits: splits(...shares) }))).toEqual(
      codes.map((code) => error('tracks.trk1aaaa.splits', code)),
    );
  });

  it('flags an ISRC used by two tracks, even written differently, on both', () => {
    const tracks = [
      track('trk1aaaa', { isrc: 'US-RC1-76-07839' }),
      track('trk2bbbb', { isrc: 'USRC17607839', title: 'Night Drive' }),
    ];
    expect(found(sheet({}, tracks))).toEqual([
      error('tracks.trk1aaaa.isrc', 'duplicate-isrc'),
      error('tracks.trk2bbbb.isrc', 'duplicate-isrc'),
    ]);
  });
});

describe(deliveryReadiness.name, () => {
  it('finds a complete, valid sheet ready', () => {
    expect(deliveryReadiness(sheet())).toEqual({ isReady: true, blocking: [], warnings: [] });
  });

  it('warns about an unallocated ISRC prefix without blocking', () => {
    const readiness = deliveryReadiness(withTrack({ isrc: 'XX-RC1-76-07839' }));
    expect(readiness).toMatchObject({ isReady: true, blocking: [] });
    expect(brief(readiness.warnings)).toEqual([
      { path: 'tracks.trk1aaaa.isrc', severity: 'warning', code: 'unknown-isrc-prefix' },
    ]);
  });

  it('never blocks on warnings alone, and blocks on any blocking problem', () => {
    const warned = deliveryReadiness(sheet({ title: 'Blue hours', pLine: 'Harbour Records' }));
    expect(warned.isReady).toBe(true);
    expect(warned.warnings.map((p) => p.code).sort()).toEqual([
      'single-title-mismatch',
      'title-case',
      'year-missing-in-line',
    ]);
    const broken = deliveryReadiness(sheet({ label: '', title: 'Blue Hours feat. Ana' }));
    expect(broken.isReady).toBe(false);
    expect(brief(broken.blocking)).toEqual([
      error('release.label', 'required'),
      error('release.title', 'featuring-in-title'),
    ]);
  });

  describe('on random sheets', () => {
    const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
    const digits = (n: number) => fc.string({ unit: pick([...'0123456789']), minLength: n, maxLength: n });
    const word = fc.stringMatching(/^[A-Z][a-z]{1,9}$/);
    const name = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const daysBefore = (iso: string, days: number) => day(new Date(Date.parse(iso) - days * 86_400_000));
    // Check digits computed here, independently of the validators.
    const gtin = (body: string) => {
      const sum = [...body].reverse().reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
      return body + ((10 - (sum % 10)) % 10);
    };
    const iswc = (w: string) => {
      const sum = 1 + [...w].reduce((s, d, i) => s + (i + 1) * Number(d), 0);
      return `T-${w.slice(0, 3)}.${w.slice(3, 6)}.${w.slice(6)}-${(10 - (sum % 10)) % 10}`;
    };
    const isrc = fc
      .tuple(pick([...ISO_3166_1_ALPHA2]), fc.stringMatching(/^[A-Z0-9]{3}$/), digits(7), fc.boolean())
      .map(([cc, reg, n, hyphens]) =>
        hyphens ? `${cc}-${reg}-${n.slice(0, 2)}-${n.slice(2)}` : cc + reg + n,
      );
    const shares = fc
      .uniqueArray(fc.integer({ min: 1, max: 9_999 }), { maxLength: 4 })
      .map((cuts) => [0, ...cuts.sort((a, b) => a - b), 10_000])
      .map((edges) => splits(...edges.slice(1).map((edge, i) => (edge - edges[i]!) / 100)));
    const validTrack = fc
      .record({
        id: fc.stringMatching(/^[0-9a-z]{8,12}$/),
        title: name,
        isrc,
        duration: fc
          .tuple(fc.nat({ max: 20 }), fc.integer({ min: 1, max: 59 }))
          .map(([m, s]) => `PT${m ? `${m}M` : ''}${s}S`),
        language: fc.oneof(pick([...ISO_639_1]), pick(['zxx', 'mul', 'und', 'yue'])),
        iswc: fc.oneof(fc.constant(''), digits(9).map(iswc)),
        splits: fc.oneof(fc.constant<Split[]>([]), shares),
      })
      .map(({ id, ...fields }) => track(id, fields));
    const compactIsrc = (t: Track) => t.isrc.replaceAll('-', '');
    const validSheet = fc
      .record({
        release: fc.record({
          title: name,
          displayArtist: name,
          label: name,
          upc: fc.oneof(digits(11), digits(12)).map(gtin),
          releaseDate: fc
            .date({ min: new Date('1960-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
            .map(day),
          preorder: fc.option(fc.integer({ min: 1, max: 90 })),
          original: fc.option(fc.nat({ max: 20_000 })),
          language: pick([...ISO_639_1, 'zxx', 'mul']),
          territories: fc.oneof(fc.constant<string[]>(['Worldwide']), fc.subarray([...ISO_3166_1_ALPHA2])),
        }),
        tracks: fc.uniqueArray(validTrack, {
          minLength: 1,
          maxLength: 5,
          comparator: (a, b) => a.id === b.id || compactIsrc(a) === compactIsrc(b),
        }),
      })
      .map(({ release: { preorder, original, ...r }, tracks }) =>
        sheet(
          {
            ...r,
            preorderDate: preorder === null ? '' : daysBefore(r.releaseDate, preorder),
            originalReleaseDate: original === null ? '' : daysBefore(r.releaseDate, original),
            pLine: `${r.releaseDate.slice(0, 4)} ${r.label}`,
            cLine: `${r.releaseDate.slice(0, 4)} ${r.label}`,
          },
          tracks,
        ),
      );

    it('finds every all-valid sheet ready', () => {
      fc.assert(
        fc.property(validSheet, (s) => {
          const readiness = deliveryReadiness(s);
          expect(readiness.blocking).toEqual([]);
          expect(readiness.isReady).toBe(true);
        }),
      );
    });

    it('blocks when any one required field is cleared, at that field', () => {
      fc.assert(
        fc.property(validSheet, fc.nat(), (s, pick) => {
          const clearings = [
            ...REQUIRED_RELEASE.map((field) => ({
              path: `release.${field}`,
              sheet: { ...s, release: { ...s.release, [field]: emptyValue(field) } },
            })),
            ...s.tracks.flatMap((t, i) =>
              REQUIRED_TRACK.map((field) => ({
                path: `tracks.${t.id}.${field}`,
                sheet: { ...s, tracks: s.tracks.with(i, { ...t, [field]: '' }) },
              })),
            ),
          ];
          const cleared = clearings[pick % clearings.length]!;
          const readiness = deliveryReadiness(cleared.sheet);
          expect(readiness.isReady).toBe(false);
          expect(brief(readiness.blocking)).toContainEqual(error(cleared.path, 'required'));
        }),
      );
    });
  });
});
