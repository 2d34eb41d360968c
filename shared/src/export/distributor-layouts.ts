import type { ReleaseFieldName, TrackScalarFieldName } from '../doc-layout.js';
import type { ReleaseSheet, Track } from '../domain/release-sheet.js';
import { parseIsoDuration } from '../validators/iso-duration.js';

/**
 * Column layouts of distributors' upload spreadsheets (docs/DELIVERY.md, "Distributor CSV"): one
 * row per track, the release's fields repeated on every row. Each layout is data, a header and
 * where its value comes from, so the same headers can map an uploaded spreadsheet back onto the
 * sheet's fields.
 */
export const DISTRIBUTOR_LAYOUT_IDS = ['believe', 'spotify-uplink'] as const;
export type DistributorLayoutId = (typeof DISTRIBUTOR_LAYOUT_IDS)[number];

/** Our own layout (`release.<field>`, `track.<field>` headers) and the distributors'. */
export const CSV_LAYOUT_IDS = ['patchline', ...DISTRIBUTOR_LAYOUT_IDS] as const;
export type CsvLayoutId = (typeof CSV_LAYOUT_IDS)[number];

/** Values a column derives from several fields, or writes in the template's own words. */
export const DERIVED_VALUES = [
  /** 1-based position in the track list. */
  'trackNumber',
  /** Always 1: the sheet holds a single medium. */
  'discNumber',
  /** The track's artists, else the release's display artist. */
  'trackArtist',
  /** `m:ss` (or `h:mm:ss`) of the track's ISO 8601 duration. */
  'trackDurationClock',
  /** Credits as `Name (Role)` joined with `; `. */
  'trackCredits',
  /** `Yes` (explicit track), `Clean` (a clean release's track), else `No`. */
  'trackParentalAdvisoryYesNoClean',
  /** `Explicit` / `Not Explicit`. */
  'trackExplicitWord',
  /** `Explicit` / `Clean` / `Not Explicit` from the release's parental advisory. */
  'releaseExplicitWord',
  /** The first four-digit year of the ℗ line, else of the release date. */
  'productionYear',
  /** `UPC` for 12 digits, `EAN` for 13, empty otherwise. */
  'upcKind',
  /** Territory codes joined with `, `. */
  'territoryList',
] as const;
export type DerivedValue = (typeof DERIVED_VALUES)[number];

export type ColumnSource =
  | { from: 'release'; field: Exclude<ReleaseFieldName, 'territories' | 'status'> }
  | { from: 'track'; field: Exclude<TrackScalarFieldName, 'explicit'> }
  | { from: 'derived'; value: DerivedValue }
  /** A column of the template that the sheet holds nothing for (artwork, price tier…): left empty. */
  | { from: 'none' };

export interface DistributorColumn {
  header: string;
  source: ColumnSource;
}

export interface DistributorLayout {
  id: DistributorLayoutId;
  /** What the export menu shows. */
  label: string;
  columns: readonly DistributorColumn[];
}

const release = (field: Extract<ColumnSource, { from: 'release' }>['field']): ColumnSource => ({
  from: 'release',
  field,
});
const track = (field: Extract<ColumnSource, { from: 'track' }>['field']): ColumnSource => ({
  from: 'track',
  field,
});
const derived = (value: DerivedValue): ColumnSource => ({ from: 'derived', value });
const none: ColumnSource = { from: 'none' };

/**
 * The Believe-style metadata template: product columns, then one track per row with its
 * contributors in one column (the template's contributor sheet, flattened).
 */
const BELIEVE: DistributorLayout = {
  id: 'believe',
  label: 'Believe template (CSV)',
  columns: [
    { header: 'Release Title', source: release('title') },
    { header: 'Release Version', source: release('version') },
    { header: 'Release Artist', source: release('displayArtist') },
    { header: 'Label', source: release('label') },
    { header: 'UPC', source: release('upc') },
    { header: 'EAN', source: none },
    { header: 'GRID', source: none },
    { header: 'Catalogue Number', source: release('catalogNumber') },
    { header: 'Production Year', source: derived('productionYear') },
    { header: 'P Line', source: release('pLine') },
    { header: 'C Line', source: release('cLine') },
    { header: 'Genre', source: release('genre') },
    { header: 'Sub-genre', source: none },
    { header: 'Title Language', source: release('language') },
    { header: 'Territories', source: derived('territoryList') },
    { header: 'Price Tier', source: none },
    { header: 'Digital Release Date', source: release('releaseDate') },
    { header: 'Original Release Date', source: release('originalReleaseDate') },
    { header: 'CD Number', source: derived('discNumber') },
    { header: 'Track Number', source: derived('trackNumber') },
    { header: 'Track Title', source: track('title') },
    { header: 'Mix Title/Version', source: track('version') },
    { header: 'Track Artist', source: derived('trackArtist') },
    { header: 'Track Type', source: none },
    { header: 'Lyrics Language', source: track('language') },
    { header: 'Parental Advisory', source: derived('trackParentalAdvisoryYesNoClean') },
    { header: 'ISRC', source: track('isrc') },
    { header: 'ISWC', source: track('iswc') },
    { header: 'Duration', source: derived('trackDurationClock') },
    { header: 'Preview Start', source: none },
    { header: 'Contributors', source: derived('trackCredits') },
  ],
};

/**
 * Spotify's Uplink metadata template for direct providers: a primary product id and its type,
 * the product type, then the tracks.
 */
const SPOTIFY_UPLINK: DistributorLayout = {
  id: 'spotify-uplink',
  label: 'Spotify Uplink template (CSV)',
  columns: [
    { header: 'Primary ID', source: release('upc') },
    { header: 'Primary ID Type', source: derived('upcKind') },
    { header: 'Product Type', source: release('releaseType') },
    { header: 'Product Title', source: release('title') },
    { header: 'Product Version', source: release('version') },
    { header: 'Product Artist', source: release('displayArtist') },
    { header: 'Label Name', source: release('label') },
    { header: 'Catalog Number', source: release('catalogNumber') },
    { header: 'Release Date', source: release('releaseDate') },
    { header: 'Pre-order Date', source: release('preorderDate') },
    { header: 'Original Release Date', source: release('originalReleaseDate') },
    { header: 'Genre', source: release('genre') },
    { header: 'Metadata Language', source: release('language') },
    { header: 'Product Explicit', source: derived('releaseExplicitWord') },
    { header: 'P Line', source: release('pLine') },
    { header: 'C Line', source: release('cLine') },
    { header: 'Territories', source: derived('territoryList') },
    { header: 'Product Artwork', source: none },
    { header: 'Disc Number', source: derived('discNumber') },
    { header: 'Track Number', source: derived('trackNumber') },
    { header: 'ISRC', source: track('isrc') },
    { header: 'Track Title', source: track('title') },
    { header: 'Track Version', source: track('version') },
    { header: 'Track Artist', source: derived('trackArtist') },
    { header: 'Track Duration', source: derived('trackDurationClock') },
    { header: 'Track Explicit', source: derived('trackExplicitWord') },
    { header: 'Audio Language', source: track('language') },
    { header: 'ISWC', source: track('iswc') },
    { header: 'Track Contributors', source: derived('trackCredits') },
  ],
};

export const DISTRIBUTOR_LAYOUTS: Readonly<Record<DistributorLayoutId, DistributorLayout>> = {
  believe: BELIEVE,
  'spotify-uplink': SPOTIFY_UPLINK,
};

function clock(duration: string): string {
  const total = parseIsoDuration(duration);
  if (total === null) return duration;
  const seconds = Math.round(total);
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const firstYear = (text: string) => /(?:^|\D)(\d{4})(?!\d)/.exec(text)?.[1] ?? '';

function derive(value: DerivedValue, sheet: ReleaseSheet, row: Track | null, index: number): string {
  const r = sheet.release;
  switch (value) {
    case 'trackNumber':
      return row ? String(index + 1) : '';
    case 'discNumber':
      return row ? '1' : '';
    case 'trackArtist':
      return row ? row.artists.trim() || r.displayArtist : '';
    case 'trackDurationClock':
      return row ? clock(row.duration) : '';
    case 'trackCredits':
      return row ? row.credits.map((credit) => `${credit.name} (${credit.role})`).join('; ') : '';
    case 'trackParentalAdvisoryYesNoClean':
      if (!row) return '';
      return row.explicit ? 'Yes' : r.parentalAdvisory === 'clean' ? 'Clean' : 'No';
    case 'trackExplicitWord':
      return row ? (row.explicit ? 'Explicit' : 'Not Explicit') : '';
    case 'releaseExplicitWord':
      return r.parentalAdvisory === 'explicit'
        ? 'Explicit'
        : r.parentalAdvisory === 'clean'
          ? 'Clean'
          : r.parentalAdvisory === 'none'
            ? 'Not Explicit'
            : '';
    case 'productionYear':
      return firstYear(r.pLine) || firstYear(r.releaseDate);
    case 'upcKind':
      return /^\d{12}$/.test(r.upc) ? 'UPC' : /^\d{13}$/.test(r.upc) ? 'EAN' : '';
    case 'territoryList':
      return r.territories.join(', ');
  }
}

/**
 * The text of one column for one row (`row` null: a release without tracks still gets one row).
 * The caller escapes it for CSV.
 */
export function readDistributorColumn(
  source: ColumnSource,
  sheet: ReleaseSheet,
  row: Track | null,
  index: number,
): string {
  switch (source.from) {
    case 'release':
      return String(sheet.release[source.field] ?? '');
    case 'track':
      return row ? row[source.field] : '';
    case 'derived':
      return derive(source.value, sheet, row, index);
    case 'none':
      return '';
  }
}

/** The header row and one row of plain text per track (at least one row), in layout order. */
export function distributorRows(layout: DistributorLayout, sheet: ReleaseSheet): string[][] {
  const header = layout.columns.map((column) => column.header);
  const rows = (sheet.tracks.length ? sheet.tracks : [null]).map((row, index) =>
    layout.columns.map((column) => readDistributorColumn(column.source, sheet, row, index)),
  );
  return [header, ...rows];
}
