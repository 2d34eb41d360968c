import { describe, expect, it } from 'vitest';
import { readSheet } from '../sheet/read-sheet.js';
import { applyFix } from './fixes.js';
import { type FixId, type Problem, ProblemCode } from './problem.js';
import { CLEAN, docOf, type Seed, sheetOf, TODAY, variant, withEdits } from './test-sheets.js';
import { validateSheet } from './validate-sheet.js';

interface RuleCase {
  name: string;
  code: ProblemCode;
  /** A sheet that breaks the rule… */
  trigger: Seed;
  /** …and a near one that keeps it. */
  clean: Seed;
  severity: 'blocking' | 'warning';
  /** `tracks.0.title` names the first track's field; the test maps the index to its id. */
  path: string;
  fix?: { id: FixId; to: Record<string, unknown> };
}

const four = (title: string, fields: Seed['tracks'][number] = {}) => ({ 0: { title, ...fields } });
const composer = [{ name: 'Ana Writer', role: 'Composer' }];

/** One case per rule (docs/DELIVERY-CHECKS.md); label-wide rules are in label-rules.test.ts. */
const CASES: RuleCase[] = [
  {
    name: 'a required release field',
    code: ProblemCode.required,
    trigger: variant({ genre: '  ' }),
    clean: CLEAN,
    severity: 'blocking',
    path: 'release.genre',
  },
  {
    name: 'a missing release type, set from the track list',
    code: ProblemCode.required,
    trigger: variant({ releaseType: null }),
    clean: CLEAN,
    severity: 'blocking',
    path: 'release.releaseType',
    fix: { id: 'set-release-type', to: { 'release.releaseType': 'EP' } },
  },
  {
    name: 'a missing parental advisory, set from the tracks',
    code: ProblemCode.required,
    trigger: variant({ parentalAdvisory: null }),
    clean: CLEAN,
    severity: 'blocking',
    path: 'release.parentalAdvisory',
    fix: { id: 'mark-release-not-explicit', to: { 'release.parentalAdvisory': 'none' } },
  },
  {
    name: 'a UPC written with spaces',
    code: ProblemCode.invalidFormat,
    trigger: variant({ upc: '0 36000 29145 2' }),
    clean: CLEAN,
    severity: 'blocking',
    path: 'release.upc',
    fix: { id: 'normalize-upc', to: { 'release.upc': '036000291452' } },
  },
  {
    name: 'an ISRC in lower case',
    code: ProblemCode.invalidFormat,
    trigger: variant({}, { 0: { isrc: 'us-rc1-76-07839' } }),
    clean: variant({}, { 0: { isrc: 'US-RC1-76-07839' } }),
    severity: 'blocking',
    path: 'tracks.0.isrc',
    fix: { id: 'normalize-isrc', to: { 'tracks.0.isrc': 'USRC17607839' } },
  },
  {
    name: 'a UPC check digit',
    code: ProblemCode.invalidCheckDigit,
    trigger: variant({ upc: '036000291453' }),
    clean: variant({ upc: '4006381333931' }),
    severity: 'blocking',
    path: 'release.upc',
  },
  {
    name: 'a date that does not exist',
    code: ProblemCode.invalidDate,
    trigger: variant({ releaseDate: '2026-02-30' }),
    clean: variant({ releaseDate: '2026-02-28', preorderDate: '2026-02-01' }),
    severity: 'blocking',
    path: 'release.releaseDate',
  },
  {
    name: 'a pre-order on the release date',
    code: ProblemCode.preorderNotBeforeRelease,
    trigger: variant({ preorderDate: '2026-03-27' }),
    clean: variant({ preorderDate: '2026-03-26' }),
    severity: 'blocking',
    path: 'release.preorderDate',
  },
  {
    name: 'an original release date after the release',
    code: ProblemCode.originalAfterRelease,
    trigger: variant({ originalReleaseDate: '2026-03-28' }),
    clean: variant({ originalReleaseDate: '2026-03-27' }),
    severity: 'blocking',
    path: 'release.originalReleaseDate',
  },
  {
    name: 'a release date in the past',
    code: ProblemCode.releaseDatePassed,
    trigger: variant({ releaseDate: '2026-01-04', preorderDate: '' }),
    clean: variant({ releaseDate: '2026-01-04', preorderDate: '', status: 'delivered' }),
    severity: 'warning',
    path: 'release.releaseDate',
  },
  {
    name: 'a release date less than 7 days away',
    code: ProblemCode.shortLeadTime,
    trigger: variant({ releaseDate: '2026-01-11', preorderDate: '' }),
    clean: variant({ releaseDate: '2026-01-12', preorderDate: '' }),
    severity: 'warning',
    path: 'release.releaseDate',
  },
  {
    name: 'a duration that is not ISO 8601',
    code: ProblemCode.invalidDuration,
    trigger: variant({}, { 0: { duration: '3:25' } }),
    clean: CLEAN,
    severity: 'blocking',
    path: 'tracks.0.duration',
  },
  {
    name: 'a zero duration',
    code: ProblemCode.durationNotPositive,
    trigger: variant({}, { 0: { duration: 'PT0S' } }),
    clean: CLEAN,
    severity: 'blocking',
    path: 'tracks.0.duration',
  },
  {
    name: 'a track under 30 seconds',
    code: ProblemCode.trackTooShort,
    trigger: variant({}, { 0: { duration: 'PT29S' } }),
    clean: variant({}, { 0: { duration: 'PT30S' } }),
    severity: 'warning',
    path: 'tracks.0.duration',
  },
  {
    name: 'splits that do not add up',
    code: ProblemCode.splitsNotHundred,
    trigger: variant({}, { 0: { splits: [{ party: 'Ana', role: 'Composer', share: 60 }] } }),
    clean: variant({}, { 0: { splits: [{ party: 'Ana', role: 'Composer', share: 100 }] } }),
    severity: 'blocking',
    path: 'tracks.0.splits',
  },
  {
    name: 'a zero share',
    code: ProblemCode.splitShareOutOfRange,
    trigger: variant(
      {},
      {
        0: {
          splits: [
            { party: 'Ana', role: 'Composer', share: 100 },
            { party: 'Bo', role: 'Lyricist', share: 0 },
          ],
        },
      },
    ),
    clean: variant({}, { 0: { splits: [{ party: 'Ana', role: 'Composer', share: 100 }] } }),
    severity: 'blocking',
    path: 'tracks.0.splits',
  },
  {
    name: 'two tracks with one ISRC',
    code: ProblemCode.duplicateIsrc,
    trigger: variant({}, { 1: { isrc: 'US-RC1-76-07839' } }),
    clean: CLEAN,
    severity: 'blocking',
    path: 'tracks.1.isrc',
  },
  {
    name: 'an unknown territory',
    code: ProblemCode.unknownTerritory,
    trigger: variant({ territories: ['US', 'UK'] }),
    clean: variant({ territories: ['US', 'GB'] }),
    severity: 'blocking',
    path: 'release.territories',
  },
  {
    name: 'Worldwide with countries',
    code: ProblemCode.worldwideWithCountries,
    trigger: variant({ territories: ['Worldwide', 'US'] }),
    clean: CLEAN,
    severity: 'blocking',
    path: 'release.territories',
  },
  {
    name: 'a language that is not a code',
    code: ProblemCode.unknownLanguage,
    trigger: variant({}, { 0: { language: 'english' } }),
    clean: variant({}, { 0: { language: 'fr' } }),
    severity: 'blocking',
    path: 'tracks.0.language',
  },
  {
    name: 'no tracks',
    code: ProblemCode.noTracks,
    trigger: variant({}, []),
    clean: CLEAN,
    severity: 'blocking',
    path: 'tracks',
  },
  {
    name: 'an unallocated ISRC prefix',
    code: ProblemCode.unknownIsrcPrefix,
    trigger: variant({}, { 0: { isrc: 'XXRC17607839' } }),
    clean: variant({}, { 0: { isrc: 'QZRC17607839' } }),
    severity: 'warning',
    path: 'tracks.0.isrc',
  },
  {
    name: 'a ℗ line without a year',
    code: ProblemCode.yearMissingInLine,
    trigger: variant({ pLine: 'Harbour Records' }),
    clean: CLEAN,
    severity: 'warning',
    path: 'release.pLine',
  },
  {
    name: 'a © symbol typed into the © line',
    code: ProblemCode.symbolInLine,
    trigger: variant({ cLine: '© 2026 Harbour Publishing' }),
    clean: CLEAN,
    severity: 'warning',
    path: 'release.cLine',
    fix: { id: 'remove-line-symbol', to: { 'release.cLine': '2026 Harbour Publishing' } },
  },
  {
    name: '"feat." in a track title',
    code: ProblemCode.featuringInTitle,
    trigger: variant({}, four('Blue Hours (feat. Ana & Bo)')),
    clean: variant({}, four('Blue Hours', { artists: 'The Lanterns feat. Ana & Bo' })),
    severity: 'blocking',
    path: 'tracks.0.title',
    fix: {
      id: 'move-featuring',
      to: { 'tracks.0.title': 'Blue Hours', 'tracks.0.artists': 'The Lanterns feat. Ana & Bo' },
    },
  },
  {
    name: '"featuring" in the release title',
    code: ProblemCode.featuringInTitle,
    trigger: variant({ title: 'Blue Hours featuring Ana', displayArtist: 'The Lanterns feat. Bo' }),
    clean: variant({ displayArtist: 'The Lanterns feat. Bo' }),
    severity: 'blocking',
    path: 'release.title',
    fix: {
      id: 'move-featuring',
      to: { 'release.title': 'Blue Hours', 'release.displayArtist': 'The Lanterns feat. Bo & Ana' },
    },
  },
  {
    name: '"ft." in the artist field',
    code: ProblemCode.featuringFormat,
    trigger: variant({ displayArtist: 'The Lanterns ft. Ana' }),
    clean: variant({ displayArtist: 'The Lanterns feat. Ana' }),
    severity: 'warning',
    path: 'release.displayArtist',
    fix: { id: 'use-feat', to: { 'release.displayArtist': 'The Lanterns feat. Ana' } },
  },
  {
    name: 'the artist before the title',
    code: ProblemCode.artistInTitle,
    trigger: variant({}, four('The Lanterns - Blue Hours')),
    clean: variant({ title: 'The Lanterns', releaseType: 'EP' }),
    severity: 'warning',
    path: 'tracks.0.title',
    fix: { id: 'remove-text', to: { 'tracks.0.title': 'Blue Hours' } },
  },
  {
    name: 'a title in ALL CAPS',
    code: ProblemCode.allCaps,
    trigger: variant({}, four('BLUE HOURS')),
    clean: variant({}, four('DNA')),
    severity: 'warning',
    path: 'tracks.0.title',
    fix: { id: 'title-case', to: { 'tracks.0.title': 'Blue Hours' } },
  },
  {
    name: 'a title in lower case',
    code: ProblemCode.allLowercase,
    trigger: variant({ title: 'blue hours' }),
    clean: CLEAN,
    severity: 'warning',
    path: 'release.title',
    fix: { id: 'title-case', to: { 'release.title': 'Blue Hours' } },
  },
  {
    name: 'an English title not in title case',
    code: ProblemCode.titleCase,
    trigger: variant({}, four('Way Of The World')),
    clean: variant({ language: 'fr' }, four('Way Of The World', { language: 'fr' })),
    severity: 'warning',
    path: 'tracks.0.title',
    fix: { id: 'title-case', to: { 'tracks.0.title': 'Way of the World' } },
  },
  {
    name: '"Volume" spelled out',
    code: ProblemCode.partVolumeAbbreviation,
    trigger: variant({ title: 'Blue Hours, Volume 2' }),
    clean: variant({ title: 'Blue Hours, Vol. 2' }),
    severity: 'warning',
    path: 'release.title',
    fix: { id: 'abbreviate-part-volume', to: { 'release.title': 'Blue Hours, Vol. 2' } },
  },
  {
    name: 'a version in the title',
    code: ProblemCode.versionInTitle,
    trigger: variant({}, four('Blue Hours (Radio Edit)')),
    clean: variant({}, four('Blue Hours', { version: 'Radio Edit' })),
    severity: 'warning',
    path: 'tracks.0.title',
    fix: { id: 'move-version', to: { 'tracks.0.title': 'Blue Hours', 'tracks.0.version': 'Radio Edit' } },
  },
  {
    name: '"Original Mix" on the original',
    code: ProblemCode.originalVersionText,
    trigger: variant({}, { 0: { version: 'Original Mix' } }),
    clean: variant({}, { 0: { version: 'Live' } }),
    severity: 'warning',
    path: 'tracks.0.version',
    fix: { id: 'remove-text', to: { 'tracks.0.version': '' } },
  },
  {
    name: 'a remix without a remixer',
    code: ProblemCode.remixWithoutRemixer,
    trigger: variant({}, { 0: { version: 'Club Remix' } }),
    clean: variant(
      {},
      { 0: { version: 'Club Remix', credits: [...composer, { name: 'Dee', role: 'Remixer' }] } },
    ),
    severity: 'warning',
    path: 'tracks.0.credits',
  },
  {
    name: '"(Explicit)" in a title',
    code: ProblemCode.bannedWord,
    trigger: variant({}, four('Blue Hours (Explicit)')),
    clean: variant({}, four('Blue Hours', { explicit: true })) as Seed,
    severity: 'warning',
    path: 'tracks.0.title',
    fix: { id: 'remove-text', to: { 'tracks.0.title': 'Blue Hours' } },
  },
  {
    name: 'a call to action in a title',
    code: ProblemCode.promotionalText,
    trigger: variant({}, four('Blue Hours - Out Now!')),
    clean: variant({}, four('Blue Hours - Live at Home', { version: '' })),
    severity: 'blocking',
    path: 'tracks.0.title',
    fix: { id: 'remove-text', to: { 'tracks.0.title': 'Blue Hours' } },
  },
  {
    name: 'a link in a title',
    code: ProblemCode.promotionalText,
    trigger: variant({ title: 'Blue Hours www.lanterns.com' }),
    clean: CLEAN,
    severity: 'blocking',
    path: 'release.title',
    fix: { id: 'remove-text', to: { 'release.title': 'Blue Hours' } },
  },
  {
    name: 'an emoji in a title',
    code: ProblemCode.emoji,
    trigger: variant({}, four('Blue 🔥 Hours')),
    clean: variant({}, four('Blue Hours™')),
    severity: 'warning',
    path: 'tracks.0.title',
    fix: { id: 'remove-text', to: { 'tracks.0.title': 'Blue Hours' } },
  },
  {
    name: 'a word censored with asterisks',
    code: ProblemCode.censoredWord,
    trigger: variant({}, four('Sh*t Happens')),
    clean: variant({}, four('Shit Happens', { explicit: true })),
    severity: 'warning',
    path: 'tracks.0.title',
  },
  {
    name: 'two tracks with one title',
    code: ProblemCode.duplicateTrackTitle,
    trigger: variant({}, { 1: { title: 'Blue Hours' } }),
    clean: variant({}, { 1: { title: 'Blue Hours', version: 'Acoustic' } }),
    severity: 'warning',
    path: 'tracks.1.version',
  },
  {
    name: 'a one-track release named otherwise than its track',
    code: ProblemCode.singleTitleMismatch,
    trigger: variant({ releaseType: 'Single' }, [{ ...CLEAN.tracks[1] }]),
    clean: variant({ releaseType: 'Single', title: 'Night Drive' }, [{ ...CLEAN.tracks[1] }]),
    severity: 'warning',
    path: 'release.title',
    fix: { id: 'use-track-title', to: { 'release.title': 'Night Drive' } },
  },
  {
    name: 'four short tracks called an Album',
    code: ProblemCode.releaseTypeMismatch,
    trigger: variant({ releaseType: 'Album' }),
    clean: variant({ releaseType: 'Compilation' }),
    severity: 'warning',
    path: 'release.releaseType',
    fix: { id: 'set-release-type', to: { 'release.releaseType': 'EP' } },
  },
  {
    name: 'four main artists under one release artist',
    code: ProblemCode.variousArtistsExpected,
    trigger: variant(
      {},
      [0, 1, 2, 3].map((i) => ({ ...CLEAN.tracks[i], artists: ['Ana', 'Bo', 'Cy', 'Dee'][i] })),
    ),
    clean: variant(
      {},
      [0, 1, 2].map((i) => ({ ...CLEAN.tracks[i], artists: ['Ana', 'Bo', 'Cy'][i] })),
    ),
    severity: 'warning',
    path: 'release.displayArtist',
    fix: { id: 'use-various-artists', to: { 'release.displayArtist': 'Various Artists' } },
  },
  {
    name: '"Various Artists" as a track artist',
    code: ProblemCode.variousArtistsOnTrack,
    trigger: variant({}, { 0: { artists: 'Various Artists' } }),
    clean: variant({}, { 0: { artists: 'Ana' } }),
    severity: 'blocking',
    path: 'tracks.0.artists',
  },
  {
    name: 'an explicit track on a release not marked explicit',
    code: ProblemCode.explicitTrackOnCleanRelease,
    trigger: variant({}, { 2: { explicit: true } }),
    clean: variant({ parentalAdvisory: 'explicit' }, { 2: { explicit: true } }),
    severity: 'blocking',
    path: 'release.parentalAdvisory',
    fix: { id: 'mark-release-explicit', to: { 'release.parentalAdvisory': 'explicit' } },
  },
  {
    name: 'an explicit release without an explicit track',
    code: ProblemCode.explicitReleaseWithoutExplicitTrack,
    trigger: variant({ parentalAdvisory: 'explicit' }),
    clean: CLEAN,
    severity: 'warning',
    path: 'release.parentalAdvisory',
    fix: { id: 'mark-release-not-explicit', to: { 'release.parentalAdvisory': 'none' } },
  },
  {
    name: 'an instrumental with a language',
    code: ProblemCode.instrumentalLanguage,
    trigger: variant({}, { 3: { version: 'Instrumental' } }),
    clean: variant({}, { 3: { version: 'Instrumental', language: 'zxx' } }),
    severity: 'warning',
    path: 'tracks.3.language',
    fix: { id: 'set-instrumental-language', to: { 'tracks.3.language': 'zxx' } },
  },
  {
    name: 'a person credited twice',
    code: ProblemCode.duplicateContributor,
    trigger: variant({}, { 0: { credits: [...composer, { name: 'ana writer', role: 'Lyricist' }] } }),
    clean: variant({}, { 0: { credits: [{ name: 'Ana Writer', role: 'Composer, Lyricist' }] } }),
    severity: 'warning',
    path: 'tracks.0.credits',
  },
  {
    name: 'a track without a songwriter',
    code: ProblemCode.noWriterCredit,
    trigger: variant({}, { 0: { credits: [{ name: 'Dee', role: 'Producer' }] } }),
    clean: variant({}, { 0: { credits: [], splits: [{ party: 'Ana', role: 'Songwriter', share: 100 }] } }),
    severity: 'warning',
    path: 'tracks.0.credits',
  },
];

const LABEL_WIDE: readonly ProblemCode[] = [
  ProblemCode.isrcOnOtherRelease,
  ProblemCode.isrcOtherRecording,
  ProblemCode.upcOnOtherRelease,
];

/** `tracks.1.isrc` → `tracks.<id of track 1>.isrc`. */
function resolvePath(path: string, trackIds: readonly string[]): string {
  const [root, index, ...rest] = path.split('.');
  if (root !== 'tracks' || index === undefined) return path;
  return ['tracks', trackIds[Number(index)], ...rest].join('.');
}

const problemsOf = (seed: Seed) => validateSheet(sheetOf(seed), { today: TODAY });

describe('the rules', () => {
  it('the fixture is clean: no problem at all', () => {
    expect(problemsOf(CLEAN)).toEqual([]);
  });

  it('have a case for every in-sheet problem code', () => {
    const covered = new Set(CASES.map((c) => c.code));
    const missing = Object.values(ProblemCode).filter(
      (code) => !covered.has(code) && !LABEL_WIDE.includes(code),
    );
    expect(missing).toEqual([]);
  });

  describe.each(CASES)('$code: $name', (rule) => {
    it('is found at its field with its severity', () => {
      const doc = docOf(rule.trigger);
      const sheet = readSheet(doc);
      const path = resolvePath(
        rule.path,
        sheet.tracks.map((t) => t.id),
      );
      const found = validateSheet(sheet, { today: TODAY }).filter((p) => p.code === rule.code);
      expect(found.map((p) => [p.path, p.severity])).toContainEqual([path, rule.severity]);
      expect(found.every((p) => p.message.length > 10 && /^[A-Z0-9“"]/.test(p.message))).toBe(true);
    });

    it('is not found on the sheet that keeps it', () => {
      expect(problemsOf(rule.clean).filter((p) => p.code === rule.code)).toEqual([]);
    });

    const { fix } = rule;
    if (fix) {
      it(`is fixed in one click (${fix.id}): gone, and nothing else changed`, () => {
        const doc = docOf(rule.trigger);
        const before = readSheet(doc);
        const ids = before.tracks.map((t) => t.id);
        const path = resolvePath(rule.path, ids);
        const problem = validateSheet(before, { today: TODAY }).find(
          (p): p is Problem & { fix: NonNullable<Problem['fix']> } =>
            p.code === rule.code && p.path === path && p.fix !== undefined,
        );
        expect(problem?.fix.id).toBe(fix.id);
        expect(problem?.fix.label).toBeTruthy();
        const expected = Object.fromEntries(
          Object.entries(fix.to).map(([p, value]) => [resolvePath(p, ids), value]),
        );
        expect(Object.fromEntries(problem!.fix.edits.map((edit) => [edit.path, edit.to]))).toEqual(expected);

        applyFix(doc, problem!.fix);
        const after = readSheet(doc);
        expect(after).toEqual(withEdits(before, problem!.fix.edits));
        const left = validateSheet(after, { today: TODAY }).filter(
          (p) => p.code === rule.code && p.path === path,
        );
        expect(left).toEqual([]);
      });
    }
  });
});
