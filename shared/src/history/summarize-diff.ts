import type { SheetDiff } from '../api/history.js';
import type { ReleaseFieldName } from '../doc-layout.js';

const RELEASE_FIELD_LABELS: Record<ReleaseFieldName, string> = {
  title: 'title',
  version: 'version',
  displayArtist: 'artist',
  releaseType: 'release type',
  label: 'label',
  catalogNumber: 'catalog number',
  upc: 'UPC',
  genre: 'genre',
  language: 'language',
  parentalAdvisory: 'parental advisory',
  originalReleaseDate: 'original release date',
  releaseDate: 'release date',
  preorderDate: 'pre-order date',
  pLine: '℗ line',
  cLine: '© line',
  territories: 'territories',
  status: 'status',
};

/** Release fields named one by one in a summary; the rest are counted. */
const NAMED_FIELDS = 3;

const isBlank = (value: unknown) =>
  value === null || value === '' || (Array.isArray(value) && value.length === 0);
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** A short text of a diff for the timeline, such as "3 tracks changed, UPC set". */
export function summarizeDiff(diff: SheetDiff): string {
  const parts: string[] = [];
  const fields = diff.release.filter((change) => change.field !== 'status');
  for (const change of fields.slice(0, NAMED_FIELDS)) {
    const label = RELEASE_FIELD_LABELS[change.field as ReleaseFieldName] ?? change.field;
    parts.push(`${label} ${isBlank(change.before) ? 'set' : isBlank(change.after) ? 'cleared' : 'changed'}`);
  }
  if (fields.length > NAMED_FIELDS)
    parts.push(`${plural(fields.length - NAMED_FIELDS, 'more field')} changed`);
  const status = diff.release.find((change) => change.field === 'status');
  if (status) parts.push(`status ${String(status.after).replace('_', ' ')}`);
  const { tracks } = diff;
  if (tracks.added.length > 0) parts.push(`${plural(tracks.added.length, 'track')} added`);
  if (tracks.removed.length > 0) parts.push(`${plural(tracks.removed.length, 'track')} removed`);
  if (tracks.moved.length > 0) parts.push('tracks reordered');
  if (tracks.changed.length > 0) parts.push(`${plural(tracks.changed.length, 'track')} changed`);
  if (diff.notes) parts.push('notes edited');
  if (parts.length === 0) return 'No changes';
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
