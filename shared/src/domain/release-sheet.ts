import { z } from 'zod';
import { RELEASE_STATUSES } from './release-status.js';

/**
 * Plain-object shape of a release sheet, as read out of the Y.Doc. Schemas check *types*
 * (what may be stored); *quality* rules (check digits, dates, splits) live in `validation/`,
 * because a draft may hold an unfinished UPC but never a number where text belongs.
 */
export const RELEASE_TYPES = ['Album', 'EP', 'Single', 'Compilation'] as const;
export type ReleaseType = (typeof RELEASE_TYPES)[number];

/** Parental advisory of a release: `clean` is an edited version of explicit content. */
export const PARENTAL_ADVISORIES = ['explicit', 'clean', 'none'] as const;
export type ParentalAdvisory = (typeof PARENTAL_ADVISORIES)[number];

/** Longest text a single scalar field may hold; titles and ℗ lines are far shorter in practice. */
export const MAX_FIELD_LENGTH = 1000;

const text = z.string().max(MAX_FIELD_LENGTH);

export const releaseFieldsSchema = z.object({
  title: text,
  version: text,
  displayArtist: text,
  releaseType: z.enum(RELEASE_TYPES).nullable(),
  label: text,
  catalogNumber: text,
  upc: text,
  genre: text,
  language: text,
  parentalAdvisory: z.enum(PARENTAL_ADVISORIES).nullable(),
  originalReleaseDate: text,
  releaseDate: text,
  preorderDate: text,
  pLine: text,
  cLine: text,
  territories: z.array(z.string().max(16)).max(300),
  status: z.enum(RELEASE_STATUSES),
});
export type ReleaseFields = z.infer<typeof releaseFieldsSchema>;

export const creditSchema = z.object({ id: z.string(), name: text, role: text });
export type Credit = z.infer<typeof creditSchema>;

export const splitSchema = z.object({
  id: z.string(),
  party: text,
  role: text,
  share: z.number().finite().min(0).max(100),
});
export type Split = z.infer<typeof splitSchema>;

export const trackScalarFieldsSchema = z.object({
  title: text,
  version: text,
  artists: text,
  isrc: text,
  duration: text,
  explicit: z.boolean(),
  language: text,
  iswc: text,
});
export type TrackScalarFields = z.infer<typeof trackScalarFieldsSchema>;

export const trackSchema = trackScalarFieldsSchema.extend({
  id: z.string(),
  position: z.string(),
  credits: z.array(creditSchema),
  splits: z.array(splitSchema),
});
export type Track = z.infer<typeof trackSchema>;

export const releaseSheetSchema = z.object({
  schemaVersion: z.number().int(),
  release: releaseFieldsSchema,
  /** In display order (by fractional position, then id). */
  tracks: z.array(trackSchema),
  /** Notes as plain text, paragraphs separated by newlines (the rich text stays in the doc). */
  notes: z.string(),
});
export type ReleaseSheet = z.infer<typeof releaseSheetSchema>;

export const EMPTY_RELEASE_FIELDS: ReleaseFields = {
  title: '',
  version: '',
  displayArtist: '',
  releaseType: null,
  label: '',
  catalogNumber: '',
  upc: '',
  genre: '',
  language: '',
  parentalAdvisory: null,
  originalReleaseDate: '',
  releaseDate: '',
  preorderDate: '',
  pLine: '',
  cLine: '',
  territories: [],
  status: 'draft',
};

export const EMPTY_TRACK_FIELDS: TrackScalarFields = {
  title: '',
  version: '',
  artists: '',
  isrc: '',
  duration: '',
  explicit: false,
  language: '',
  iswc: '',
};
