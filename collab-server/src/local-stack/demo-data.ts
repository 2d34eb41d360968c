import type { CognitoGroup } from '@patchline/permissions';
import { isoDay, type SheetSeed } from '@patchline/shared';

/**
 * The one password of every demo account. Local only: cognito-local runs on loopback and
 * `.data/` never leaves the machine. It meets Amazon Cognito's default policy (8+ characters,
 * upper and lower case, a digit and a symbol), which cognito-local does not enforce, so the
 * same accounts could be created in a real pool.
 */
export const DEMO_PASSWORD = 'Patchline-demo-1';

export type DemoRole = 'admin' | 'manager' | 'editor' | 'viewer';

export interface DemoAccount {
  email: string;
  name: string;
  /** Global Cognito groups; editors and viewers get their role from a grant on the release. */
  groups: readonly CognitoGroup[];
}

export const DEMO_ACCOUNTS: Readonly<Record<DemoRole, DemoAccount>> = {
  admin: { email: 'admin@demo.patchline.test', name: 'Ada Admin', groups: ['admins'] },
  manager: { email: 'manager@demo.patchline.test', name: 'Mo Manager', groups: ['managers'] },
  editor: { email: 'editor@demo.patchline.test', name: 'Eli Editor', groups: [] },
  viewer: { email: 'viewer@demo.patchline.test', name: 'Vic Viewer', groups: [] },
};

export const DEMO_ROLES = Object.keys(DEMO_ACCOUNTS) as DemoRole[];

const DAY_MS = 86_400_000;
/**
 * Dates as of the seed, ahead of the stores' lead time (docs/DELIVERY-CHECKS.md): a release date
 * fixed in the source would pass and leave the demo with a warning.
 */
const DEMO_RELEASE_DATE = isoDay(Date.now() + 8 * 7 * DAY_MS);
const DEMO_PREORDER_DATE = isoDay(Date.now() + 4 * 7 * DAY_MS);

/**
 * A plausible four-track EP, complete enough to pass delivery validation, so the demo shows a
 * clean sheet until someone edits it. The identifiers are made up: `QZ` is the ISRC prefix for
 * registrants without a national agency, and the UPC carries a valid GTIN check digit.
 */
export const DEMO_RELEASE: SheetSeed = {
  release: {
    title: 'Night Bus Home',
    displayArtist: 'The Loopback Quartet',
    releaseType: 'EP',
    label: 'Patchline Demo Records',
    catalogNumber: 'PDR-001',
    upc: '196588001239',
    genre: 'Indie Pop',
    language: 'en',
    parentalAdvisory: 'none',
    releaseDate: DEMO_RELEASE_DATE,
    preorderDate: DEMO_PREORDER_DATE,
    pLine: '2026 Patchline Demo Records',
    cLine: '2026 Patchline Demo Records',
    territories: ['Worldwide'],
  },
  tracks: [
    { title: 'Night Bus Home', artists: 'The Loopback Quartet', isrc: 'QZDEM2600001', duration: 'PT3M41S' },
    { title: 'Port 4001', artists: 'The Loopback Quartet', isrc: 'QZDEM2600002', duration: 'PT3M05S' },
    {
      title: 'Conflict-Free',
      version: 'Radio Edit',
      artists: 'The Loopback Quartet',
      isrc: 'QZDEM2600003',
      duration: 'PT2M58S',
    },
    { title: 'Last Write Wins', artists: 'The Loopback Quartet', isrc: 'QZDEM2600004', duration: 'PT4M12S' },
  ].map((track) => ({ language: 'en', explicit: false, ...track })),
  notes:
    'Demo release seeded by npm start.\n' +
    'Open it as editor@ and viewer@ in two windows to watch edits and presence sync; ' +
    'manager-only fields (label, UPC, dates) stay read-only for the editor.',
};

/**
 * The demo release's past (README.md, "Version history"): it starts as the band's first draft,
 * saved as a named version, then people bring it to `DEMO_RELEASE` with the edits below, each
 * recorded for its author, and an automatic version follows.
 */
export const DEMO_FIRST_DRAFT_VERSION = 'First draft from the band';
export const DEMO_FIRST_DRAFT: SheetSeed = {
  ...DEMO_RELEASE,
  release: { ...DEMO_RELEASE.release, genre: 'Indie', upc: '' },
  tracks: DEMO_RELEASE.tracks!.map((track, i) =>
    i === 1 ? { ...track, title: 'Port 4000' } : i === 3 ? { ...track, isrc: '' } : track,
  ),
};

/** One edit of the demo's past: a field of the release or of the track at `track` (display order). */
export interface DemoEdit {
  by: DemoRole;
  track?: number;
  field: string;
  value: string;
}

export const DEMO_EDITS: readonly DemoEdit[] = [
  { by: 'editor', track: 1, field: 'title', value: 'Port 4001' },
  { by: 'editor', track: 3, field: 'isrc', value: 'QZDEM2600004' },
  { by: 'manager', field: 'genre', value: 'Indie Pop' },
  { by: 'manager', field: 'upc', value: '196588001239' },
];
