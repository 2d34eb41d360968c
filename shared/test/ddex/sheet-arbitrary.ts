import {
  EMPTY_RELEASE_FIELDS,
  EMPTY_TRACK_FIELDS,
  formatIsoDuration,
  formatIsrc,
  formatIswc,
  gtinCheckDigit,
  iswcCheckDigit,
  PARENTAL_ADVISORIES,
  RELEASE_STATUSES,
  RELEASE_TYPES,
  type ReleaseSheet,
} from '@patchline/shared';
import fc from 'fast-check';

/**
 * Sheets built to pass the delivery checks most of the time, carrying the text people and
 * attackers type: markup, quotes, control characters, other scripts. Shared by the DDEX export
 * and import property tests.
 */
const text = (minLength = 0) =>
  fc.string({
    unit: fc.constantFrom(
      'a',
      'Z',
      ' ',
      '&',
      '<',
      '>',
      '"',
      "'",
      'é',
      '夢',
      '😀',
      '\n',
      '\r',
      '\t',
      '\u0001',
      '\uD800',
      '-',
      '1',
    ),
    minLength,
    maxLength: 12,
  });
const name = fc.constantFrom(
  'Nova Lane',
  'Kito',
  'Mira Sol',
  'The Loopback Quartet',
  'Ånnå & Бойко',
  'Simon & Garfunkel',
);
const displayArtist = fc.oneof(
  name,
  fc
    .tuple(
      name,
      fc.constantFrom(' feat. ', ' ft. ', ' (feat. ', ' featuring '),
      fc.array(name, { minLength: 1, maxLength: 3 }),
    )
    .map(
      ([main, marker, featured]) =>
        `${main}${marker}${featured.join(' & ')}${marker.includes('(') ? ')' : ''}`,
    ),
  text(1),
);
const digits = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));
const upc = fc.constantFrom(11, 12).chain((n) => digits(n).map((body) => `${body}${gtinCheckDigit(body)}`));
const iswc = digits(9).chain((work) =>
  fc.constantFrom('compact', 'display').map((form) => {
    const code = `T${work}${iswcCheckDigit(work)}`;
    return form === 'compact' ? code : formatIswc(code);
  }),
);
const date = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const language = fc.constantFrom('', 'en', 'fr', 'ja', 'zxx', 'mul', 'pt', 'yue');
const territories = fc.oneof(
  fc.constant([] as string[]),
  fc.constant(['Worldwide']),
  fc.uniqueArray(fc.constantFrom('GB', 'US', 'DE', 'FR', 'JP', 'BR', 'XK', 'AX', 'UM'), {
    minLength: 1,
    maxLength: 5,
  }),
);
const seconds = fc.oneof(
  fc.integer({ min: 1, max: 20 * 60 }),
  fc.double({ min: 0.001, max: 7200, noNaN: true }),
);
const duration = seconds.chain((s) =>
  fc
    .constantFrom('normalised', 'seconds')
    .map((form) => (form === 'normalised' ? formatIsoDuration(s) : `PT${Math.round(s)}S`)),
);

const trackArb = fc.record({
  title: text(1),
  version: fc.oneof(fc.constant(''), fc.constantFrom('Radio Edit', 'Live', 'Clean', 'Remix'), text()),
  artists: fc.oneof(fc.constant(''), displayArtist),
  duration,
  explicit: fc.boolean(),
  language,
  iswc: fc.oneof(fc.constant(''), iswc),
  credits: fc.array(
    fc.record({
      id: fc.constant('c'),
      name: fc.oneof(name, text()),
      role: fc.oneof(fc.constantFrom('Producer', 'Mixer, Mastering', 'Composer/Lyricist'), text()),
    }),
    {
      maxLength: 4,
    },
  ),
});

export const sheetArb: fc.Arbitrary<ReleaseSheet> = fc
  .record({
    release: fc.record({
      title: text(1),
      version: fc.oneof(fc.constant(''), text()),
      displayArtist,
      releaseType: fc.constantFrom(null, ...RELEASE_TYPES),
      label: fc.oneof(name, text(1)),
      catalogNumber: fc.oneof(fc.constant(''), text()),
      upc,
      genre: fc.oneof(fc.constantFrom('Pop', 'Indie & Folk', 'J-Pop'), text()),
      language,
      parentalAdvisory: fc.constantFrom(null, ...PARENTAL_ADVISORIES),
      originalReleaseDate: fc.oneof(fc.constant(''), date),
      releaseDate: date,
      preorderDate: fc.oneof(fc.constant(''), date),
      pLine: fc.oneof(fc.constant('2026 Loopback Records'), fc.constant('℗ 1999 Café & Co'), text(1)),
      cLine: fc.oneof(fc.constant('(C) 2026 Loopback Records'), text(1)),
      territories,
      status: fc.constantFrom(...RELEASE_STATUSES),
    }),
    tracks: fc.array(trackArb, { minLength: 1, maxLength: 14 }),
    isrcForm: fc.constantFrom('compact', 'display'),
  })
  .map(({ release, tracks, isrcForm }) => ({
    schemaVersion: 1,
    release: {
      ...EMPTY_RELEASE_FIELDS,
      ...release,
      // Dates that keep the delivery checks' order: pre-order and original release not after release.
      preorderDate:
        release.preorderDate && release.preorderDate <= release.releaseDate ? release.preorderDate : '',
      originalReleaseDate:
        release.originalReleaseDate && release.originalReleaseDate <= release.releaseDate
          ? release.originalReleaseDate
          : '',
    },
    tracks: tracks.map((track, i) => {
      const isrc = `QZPLX26${String(i + 1).padStart(5, '0')}`;
      return {
        ...EMPTY_TRACK_FIELDS,
        ...track,
        id: `track${String(i).padStart(7, '0')}`,
        position: `a${i}`,
        isrc: isrcForm === 'compact' ? isrc : formatIsrc(isrc),
        credits: track.credits.map((credit, j) => ({ ...credit, id: `credit${j}` })),
        splits: [],
      };
    }),
    notes: '',
  }));
