import {
  addTrackEntry,
  createSheet,
  type Ern43MessageOptions,
  orderedTrackIds,
  type ReleaseFields,
  type ReleaseSheet,
  readSheet,
  type SheetSeed,
  setReleaseField,
  type TrackScalarFields,
} from '@patchline/shared';

/**
 * Releases the DDEX export is tested on, each made the way the app makes them (a sheet
 * document, read back with `readSheet`) and each ready for delivery. The identifiers are made
 * up: ISRCs use the `QZ` prefix (registrants without a national agency), UPCs and ISWCs carry
 * valid check digits.
 */
export interface DdexFixture {
  name: string;
  sheet: ReleaseSheet;
  options: Ern43MessageOptions;
}

type Credit = { name: string; role: string };
type TrackSeed = Partial<TrackScalarFields> & { credits?: Credit[] };

function fixture(
  name: string,
  release: Partial<ReleaseFields>,
  tracks: TrackSeed[],
  createdAt = '2026-03-02T09:30:00Z',
): DdexFixture {
  // What the delivery checks require and a fixture leaves out: a release type by track count,
  // and no parental advisory.
  const releaseType = tracks.length <= 3 ? 'Single' : tracks.length <= 6 ? 'EP' : 'Album';
  const seed: SheetSeed = {
    release: { releaseType, parentalAdvisory: 'none', ...release, status: 'draft' },
    tracks: tracks.map(({ credits: _credits, ...fields }) => ({ language: 'en', ...fields })),
  };
  const doc = createSheet(seed);
  orderedTrackIds(doc).forEach((trackId, i) => {
    for (const credit of tracks[i]!.credits ?? []) addTrackEntry(doc, trackId, 'credits', credit);
  });
  // A status other than draft is reached through the workflow; a fixture just sets it.
  if (release.status) setReleaseField(doc, 'status', release.status);
  return {
    name,
    sheet: readSheet(doc),
    options: {
      releaseId: `fixture${name.replace(/[^a-z]/g, '')}01`,
      messageId: `${name}-1`,
      createdAt: new Date(createdAt),
    },
  };
}

const isrc = (n: number) => `QZPLX26${String(n).padStart(5, '0')}`;

const LABEL = {
  label: 'Loopback Records',
  genre: 'Alternative',
  language: 'en',
  pLine: '2026 Loopback Records',
  cLine: '2026 Loopback Records',
};

export const SINGLE = fixture(
  'single',
  {
    ...LABEL,
    title: 'Signal Path',
    displayArtist: 'Nova Lane',
    releaseType: 'Single',
    upc: '196588001246',
    parentalAdvisory: 'none',
    releaseDate: '2026-06-05',
    territories: ['GB', 'IE', 'US'],
    status: 'delivered',
  },
  [
    {
      title: 'Signal Path',
      artists: 'Nova Lane',
      isrc: isrc(1),
      duration: 'PT3M12S',
      iswc: 'T-034.524.680-1',
      credits: [
        { name: 'Nova Lane', role: 'Songwriter' },
        { name: 'Dee Park', role: 'Producer, Mixer' },
        { name: 'Sam Oyelaran', role: 'Mastering Engineer' },
      ],
    },
  ],
);

export const EP = fixture(
  'ep',
  {
    ...LABEL,
    title: 'Half-Open Sockets',
    displayArtist: 'The Loopback Quartet',
    upc: '196588001253',
    catalogNumber: 'LBR-014',
    releaseDate: '2026-07-10',
    preorderDate: '2026-06-12',
    territories: ['Worldwide'],
  },
  [
    { title: 'Handshake', artists: 'The Loopback Quartet', isrc: isrc(11), duration: 'PT3M41S' },
    { title: 'Keepalive', artists: 'The Loopback Quartet', isrc: isrc(12), duration: 'PT4M05S' },
    {
      title: 'Keepalive',
      version: 'Radio Edit',
      artists: 'The Loopback Quartet',
      isrc: isrc(13),
      duration: 'PT3M02S',
    },
    { title: 'Backpressure', artists: 'The Loopback Quartet', isrc: isrc(14), duration: 'PT2M58S' },
    {
      title: 'Last Write Wins',
      version: 'Live at the Jetty',
      artists: 'The Loopback Quartet',
      isrc: isrc(15),
      duration: 'PT5M20S',
    },
  ],
);

const ALBUM_TITLES = [
  'Cold Start',
  'Fan-Out',
  'Tombstones',
  'Vector Clock',
  'Quorum',
  'Split Brain',
  'Gossip',
  'Idempotent',
  'Lease Expired',
  'Compaction',
  'Snapshot',
  'Eventually',
];

export const ALBUM = fixture(
  'album',
  {
    ...LABEL,
    title: 'Eventually Consistent',
    version: 'Deluxe Edition',
    displayArtist: 'Mira Sol',
    releaseType: 'Album',
    upc: '196588001260',
    catalogNumber: 'LBR-015',
    originalReleaseDate: '2025-11-14',
    releaseDate: '2026-09-04',
    territories: ['Worldwide'],
    parentalAdvisory: 'none',
    status: 'approved',
  },
  ALBUM_TITLES.map((title, i) => ({
    title,
    artists: 'Mira Sol',
    isrc: isrc(101 + i),
    duration: `PT${3 + (i % 3)}M${String((i * 7) % 60).padStart(2, '0')}S`,
    iswc: ['T1012345672', 'T2000000110', 'T3000000211', 'T5551234565'][i % 4]!,
    credits: [
      { name: 'Mira Sol', role: 'Composer/Lyricist' },
      { name: 'Jun Hara', role: i % 2 === 0 ? 'Producer' : 'Co-Producer' },
      ...(i === 5 ? [{ name: 'Ola Brandt', role: 'Strings arrangement' }] : []),
      { name: 'Ola Brandt', role: 'Mixing Engineer' },
    ],
  })),
);

export const MULTIPLE_ARTISTS = fixture(
  'multiple-artists',
  {
    ...LABEL,
    title: 'Crosstalk',
    displayArtist: 'Nova Lane feat. Kito & Mira Sol',
    releaseType: 'EP',
    upc: '196588001277',
    releaseDate: '2026-05-29',
    territories: ['DE', 'AT', 'CH'],
  },
  [
    { title: 'Crosstalk', artists: 'Nova Lane feat. Kito & Mira Sol', isrc: isrc(201), duration: 'PT3M33S' },
    { title: 'Echo Cancel', artists: 'Nova Lane (feat. Kito)', isrc: isrc(202), duration: 'PT2M47S' },
    {
      title: 'Duplex',
      artists: 'Simon & Garfunkel Tribute Band ft. Nova Lane',
      isrc: isrc(203),
      duration: 'PT4M10S',
      credits: [{ name: 'Kito', role: 'Remixer' }],
    },
    { title: 'Line Level', artists: '', isrc: isrc(204), duration: 'PT3M00S' },
  ],
);

const COMPILATION_ARTISTS = [
  'Nova Lane',
  'The Loopback Quartet',
  'Mira Sol',
  'Kito',
  'Dee Park',
  'Ola Brandt',
  'Jun Hara',
  'Sam Oyelaran',
];

export const VARIOUS_ARTISTS = fixture(
  'various-artists',
  {
    ...LABEL,
    title: 'Loopback Sessions, Vol. 1',
    displayArtist: 'Various Artists',
    releaseType: 'Compilation',
    upc: '196588001284',
    releaseDate: '2026-10-02',
    preorderDate: '2026-09-18',
    territories: ['Worldwide'],
  },
  COMPILATION_ARTISTS.map((artists, i) => ({
    title: `Session ${i + 1}`,
    artists,
    isrc: isrc(301 + i),
    duration: `PT${2 + (i % 4)}M${String(10 + i * 5).padStart(2, '0')}S`,
  })),
);

export const EXPLICIT = fixture(
  'explicit',
  {
    ...LABEL,
    title: 'Uncaught Exceptions',
    displayArtist: 'Kito',
    upc: '196588001291',
    releaseDate: '2026-08-21',
    territories: ['US', 'CA'],
    parentalAdvisory: 'explicit',
  },
  [
    { title: 'Stack Trace', artists: 'Kito', isrc: isrc(401), duration: 'PT2M31S', explicit: true },
    {
      title: 'Stack Trace',
      version: 'Clean',
      artists: 'Kito',
      isrc: isrc(402),
      duration: 'PT2M31S',
    },
    { title: 'Segfault', artists: 'Kito', isrc: isrc(403), duration: 'PT3M14S', explicit: true },
  ],
);

/** Markup characters, quotes, line ends and scripts other than Latin, all of which must survive. */
export const AWKWARD_TEXT = fixture(
  'awkward-text',
  {
    title: 'Rock & Roll <Live> "Tonight"',
    displayArtist: 'Ånnå & Бойко',
    label: 'Café Records & Co.',
    genre: 'Rock & Roll',
    language: 'ja',
    upc: '196588001307',
    pLine: '℗ 2025 Café Records & Co.',
    cLine: '(C) 2025 Café Records & Co.',
    releaseDate: '2026-04-30',
    territories: [],
  },
  [
    { title: '夢のララバイ', artists: 'Ånnå & Бойко', isrc: isrc(501), duration: 'PT90S', language: 'ja' },
    {
      title: 'It\'s <not> a "bug"',
      artists: 'Ånnå & Бойко',
      isrc: isrc(502),
      duration: 'PT1H2M3.5S',
      language: 'zxx',
    },
  ],
);

export const DDEX_FIXTURES: readonly DdexFixture[] = [
  SINGLE,
  EP,
  ALBUM,
  MULTIPLE_ARTISTS,
  VARIOUS_ARTISTS,
  EXPLICIT,
  AWKWARD_TEXT,
];
