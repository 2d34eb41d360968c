import { RELEASE_FIELDS, TRACK_SCALAR_FIELDS } from '../doc-layout.js';

/**
 * What a spreadsheet column can be imported into (docs/IMPORT.md, "Fields"): a release field,
 * a track field, the track's number (its order), its credits or splits, or its featured artists
 * (joined to the track's artists as "feat."). `release.status` is not one: status changes go
 * through the workflow, never through an import.
 */
export const IMPORT_FIELDS = [
  ...RELEASE_FIELDS.filter((field) => field !== 'status').map((field) => `release.${field}` as const),
  'track.number',
  ...TRACK_SCALAR_FIELDS.map((field) => `track.${field}` as const),
  'track.featuredArtists',
  'track.credits',
  'track.splits',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const isImportField = (value: unknown): value is ImportField =>
  typeof value === 'string' && (IMPORT_FIELDS as readonly string[]).includes(value);

/** What people see in the mapping step for each field. */
export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  'release.title': 'Release title',
  'release.version': 'Release version',
  'release.displayArtist': 'Release artist',
  'release.releaseType': 'Release type',
  'release.label': 'Label',
  'release.catalogNumber': 'Catalogue number',
  'release.upc': 'UPC/EAN',
  'release.genre': 'Genre',
  'release.language': 'Metadata language',
  'release.parentalAdvisory': 'Release parental advisory',
  'release.originalReleaseDate': 'Original release date',
  'release.releaseDate': 'Release date',
  'release.preorderDate': 'Pre-order date',
  'release.pLine': '℗ line',
  'release.cLine': '© line',
  'release.territories': 'Territories',
  'track.number': 'Track number',
  'track.title': 'Track title',
  'track.version': 'Track version',
  'track.artists': 'Track artist',
  'track.isrc': 'ISRC',
  'track.duration': 'Duration',
  'track.explicit': 'Explicit',
  'track.language': 'Track language',
  'track.iswc': 'ISWC',
  'track.featuredArtists': 'Featured artists',
  'track.credits': 'Credits',
  'track.splits': 'Splits',
};

/**
 * Header synonyms per field, as they are written in Patchline's own CSV export (`release.title`,
 * `track.isrc`…), the two distributor templates (a Believe-style catalogue template and a
 * SongDis-style upload form, docs/IMPORT.md) and common spreadsheets. Compared after
 * `headerKey`, so case, spaces, punctuation and a trailing "(mm:ss)"-style hint do not matter.
 */
const SYNONYMS: Record<ImportField, readonly string[]> = {
  'release.title': [
    'Release Title',
    'Album Title',
    'Album',
    'Album Name',
    'Release Name',
    'Product Title',
    'Release',
  ],
  'release.version': ['Release Version', 'Album Version', 'Product Version'],
  'release.displayArtist': [
    'Release Artist',
    'Album Artist',
    'Primary Artist',
    'Main Artist',
    'Release Primary Artist',
    'Product Artist',
    'Display Artist',
  ],
  'release.releaseType': ['Release Type', 'Product Type', 'Format', 'Album Type', 'Type'],
  'release.label': ['Label', 'Label Name', 'Record Label', 'Imprint'],
  'release.catalogNumber': [
    'Catalogue Number',
    'Catalog Number',
    'Cat No',
    'Cat Number',
    'Catalog No',
    'Catalogue No',
    'Cat #',
  ],
  'release.upc': [
    'UPC',
    'EAN',
    'UPC/EAN',
    'EAN/UPC',
    'Barcode',
    'ICPN',
    'UPC Code',
    'EAN Code',
    'GTIN',
    'Primary ID',
  ],
  'release.genre': ['Genre', 'Primary Genre', 'Main Genre', 'Release Genre'],
  'release.language': ['Metadata Language', 'Title Language', 'Release Language', 'Album Language'],
  // A bare "Parental Advisory" column is the track's, as in the Believe-style template.
  'release.parentalAdvisory': [
    'Release Parental Advisory',
    'Product Explicit',
    'Album Explicit',
    'Release Explicit',
  ],
  'release.originalReleaseDate': ['Original Release Date', 'Original Date', 'First Release Date'],
  'release.releaseDate': [
    'Release Date',
    'Digital Release Date',
    'Street Date',
    'Sales Start Date',
    'Store Date',
    'Digital Street Date',
  ],
  'release.preorderDate': ['Pre-order Date', 'Preorder Date', 'Pre-order Start Date', 'Preorder Start'],
  'release.pLine': [
    'P Line',
    '℗ Line',
    'Phonographic Copyright',
    'P Holder',
    '℗ Holder',
    'Sound Recording Copyright',
    '(P) Line',
  ],
  'release.cLine': ['C Line', '© Line', 'Copyright', 'C Holder', '© Holder', 'Copyright Line', '(C) Line'],
  'release.territories': [
    'Territories',
    'Territory',
    'Countries',
    'Territories Included',
    'Rights Territories',
  ],
  'track.number': [
    'Track Number',
    'Track No',
    'Track #',
    'Track',
    'No',
    '#',
    'Track Order',
    'Position',
    'Track Sequence',
    'Sequence',
  ],
  'track.title': ['Track Title', 'Title', 'Song Title', 'Song', 'Track Name', 'Song Name', 'Recording Title'],
  'track.version': [
    'Track Version',
    'Mix Title',
    'Mix Title/Version',
    'Mix',
    'Version',
    'Subtitle',
    'Mix Version',
    'Version Title',
  ],
  'track.artists': [
    'Track Artist',
    'Artist',
    'Artists',
    'Track Primary Artist',
    'Track Artists',
    'Performer',
    'Artist Name',
  ],
  'track.isrc': ['ISRC', 'ISRC Code', 'Track ISRC', 'ISRC Number'],
  'track.duration': [
    'Duration',
    'Length',
    'Track Duration',
    'Track Length',
    'Time',
    'Running Time',
    'Duration mm:ss',
  ],
  'track.explicit': [
    'Explicit',
    'Track Explicit',
    'Explicit Lyrics',
    'Explicit Content',
    'Parental Advisory',
    'Track Parental Advisory',
    'Is Explicit',
  ],
  'track.language': [
    'Lyrics Language',
    'Track Language',
    'Language',
    'Audio Language',
    'Language of Performance',
    'Lyric Language',
  ],
  'track.iswc': ['ISWC', 'ISWC Code', 'Work ISWC'],
  'track.featuredArtists': ['Featured Artist', 'Featured Artists', 'Featuring', 'Feat', 'Feat Artist'],
  'track.credits': [
    'Credits',
    'Contributors',
    'Track Contributors',
    'Track Credits',
    'Songwriters',
    'Writers',
    'Composers',
  ],
  'track.splits': ['Splits', 'Royalty Splits', 'Track Splits', 'Ownership Splits'],
};

/**
 * The form a header is compared in: lower case, ℗/© spelled p/c, a trailing bracketed hint
 * ("Duration (mm:ss)", "Release Date (YYYY-MM-DD)") dropped, and every other character that
 * is not a letter or digit removed. `release.title` and "Release Title" meet at `releasetitle`.
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/℗|\(p\)/g, 'p')
    .replace(/©|\(c\)/g, 'c')
    .replace(/\s*[([][^)\]]*[)\]]\s*$/, '')
    .replace(/#/g, 'no')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

const FIELD_BY_KEY: ReadonlyMap<string, ImportField> = (() => {
  const map = new Map<string, ImportField>();
  for (const field of IMPORT_FIELDS) {
    // Our own export's header (`release.title`) and the field's label match too.
    for (const header of [field, IMPORT_FIELD_LABELS[field], ...SYNONYMS[field]]) {
      const key = headerKey(header);
      if (!map.has(key)) map.set(key, field);
    }
  }
  return map;
})();

/** Headers that are known, on purpose, to hold nothing Patchline imports (our export's status). */
const IGNORED_KEYS = new Set([headerKey('release.status'), headerKey('Status')]);

/** One column's mapping: the field it fills, or null (ignored). */
export type ColumnMapping = ImportField | null;

/** The field a header names, or null when it names none Patchline knows. */
export function fieldForHeader(header: string): ImportField | null {
  const key = headerKey(header);
  if (!key || IGNORED_KEYS.has(key)) return null;
  return FIELD_BY_KEY.get(key) ?? null;
}

/**
 * The mapping detected from a header row: each column to the field its header names. A field
 * goes to the first column that names it; a later column naming it again is left unmapped (and
 * reported), so no value is written twice.
 */
export function detectMapping(headers: readonly string[]): ColumnMapping[] {
  const taken = new Set<ImportField>();
  return headers.map((header) => {
    const field = fieldForHeader(header);
    if (!field || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
}
