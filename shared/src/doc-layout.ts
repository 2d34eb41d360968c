import type * as Y from 'yjs';

/**
 * The single source of truth for the Y.Doc keys of a release sheet (ARCHITECTURE.md). Nothing outside
 * `@patchline/shared` names these strings; other packages go through the helpers below.
 */
export const DOC_ROOTS = {
  release: 'release',
  tracks: 'tracks',
  notes: 'notes',
  meta: 'meta',
} as const;
export type DocRoot = (typeof DOC_ROOTS)[keyof typeof DOC_ROOTS];

/** Bumped when the layout changes in a way readers must know about. */
export const SCHEMA_VERSION = 1;

/** Release-level scalar fields, each last-writer-wins in the `release` map. */
export const RELEASE_FIELDS = [
  'title',
  'version',
  'displayArtist',
  'releaseType',
  'label',
  'catalogNumber',
  'upc',
  'genre',
  'language',
  'parentalAdvisory',
  'originalReleaseDate',
  'releaseDate',
  'preorderDate',
  'pLine',
  'cLine',
  'territories',
  'status',
] as const;
export type ReleaseFieldName = (typeof RELEASE_FIELDS)[number];

/** Scalar fields of a track map; `credits` and `splits` are nested Y.Arrays of Y.Maps. */
export const TRACK_SCALAR_FIELDS = [
  'title',
  'version',
  'artists',
  'isrc',
  'duration',
  'explicit',
  'language',
  'iswc',
] as const;
export type TrackScalarFieldName = (typeof TRACK_SCALAR_FIELDS)[number];

export const TRACK_LIST_FIELDS = ['credits', 'splits'] as const;
export type TrackListFieldName = (typeof TRACK_LIST_FIELDS)[number];

/** The fractional ordering key of a track (see `sheet/track-order.ts`). */
export const TRACK_POSITION_KEY = 'position';

export const META_FIELDS = ['schemaVersion'] as const;

export const releaseMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(DOC_ROOTS.release);
export const tracksMap = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap(DOC_ROOTS.tracks);
export const notesFragment = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(DOC_ROOTS.notes);
export const metaMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(DOC_ROOTS.meta);

/** Instantiates every root type so that updates applied to `doc` land in typed roots. */
export function instantiateRoots(doc: Y.Doc): void {
  releaseMap(doc);
  tracksMap(doc);
  notesFragment(doc);
  metaMap(doc);
}

/** Field paths as used by validation and permissions: `release.upc`, `tracks.<id>.isrc`. */
export const fieldPath = {
  release: (field: ReleaseFieldName | string) => `release.${field}`,
  track: (trackId: string) => `tracks.${trackId}`,
  trackField: (trackId: string, field: string) => `tracks.${trackId}.${field}`,
  notes: 'notes',
  meta: (field: string) => `meta.${field}`,
} as const;
