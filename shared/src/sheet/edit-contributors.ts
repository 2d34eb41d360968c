import * as Y from 'yjs';
import type { z } from 'zod';
import type { TrackListFieldName } from '../doc-layout.js';
import { randomId } from '../domain/ids.js';
import { type Credit, creditSchema, type Split, splitSchema } from '../domain/release-sheet.js';
import { requireTrack } from './edit-tracks.js';
import { SheetError, SheetErrorReason } from './sheet-error.js';

/**
 * Credits and splits are Y.Arrays of Y.Maps, so two people editing different entries (or
 * different fields of one entry) both keep their edits.
 */
type EntryOf<L extends TrackListFieldName> = L extends 'credits' ? Credit : Split;
type EntryInput<L extends TrackListFieldName> = Omit<EntryOf<L>, 'id'>;

const entrySchemas = {
  credits: creditSchema.omit({ id: true }),
  splits: splitSchema.omit({ id: true }),
} as const;

function listOf(doc: Y.Doc, trackId: string, list: TrackListFieldName): Y.Array<Y.Map<unknown>> {
  const track = requireTrack(doc, trackId);
  let entries = track.get(list);
  if (!(entries instanceof Y.Array)) {
    entries = new Y.Array();
    track.set(list, entries);
  }
  return entries as Y.Array<Y.Map<unknown>>;
}

function parseEntry<L extends TrackListFieldName>(
  list: L,
  value: unknown,
  partial: boolean,
): Partial<EntryOf<L>> {
  const schema: z.ZodObject = entrySchemas[list];
  const parsed = (partial ? schema.partial().strict() : schema.strict()).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SheetError(
      SheetErrorReason.invalidValue,
      `Invalid ${list} entry ${issue?.path.join('.') ?? ''}: ${issue?.message}`,
    );
  }
  return parsed.data as Partial<EntryOf<L>>;
}

function findEntry(entries: Y.Array<Y.Map<unknown>>, entryId: string): Y.Map<unknown> {
  const entry = entries.toArray().find((e) => e instanceof Y.Map && e.get('id') === entryId);
  if (!entry) throw new SheetError(SheetErrorReason.unknownEntry, `No entry "${entryId}"`);
  return entry;
}

/** Appends a credit or split to a track and returns its id. */
export function addTrackEntry<L extends TrackListFieldName>(
  doc: Y.Doc,
  trackId: string,
  list: L,
  value: EntryInput<L>,
): string {
  const values = parseEntry(list, value, false);
  const entries = listOf(doc, trackId, list);
  const id = randomId(10);
  const entry = new Y.Map<unknown>();
  doc.transact(() => {
    entry.set('id', id);
    for (const [key, v] of Object.entries(values)) entry.set(key, v);
    entries.push([entry]);
  });
  return id;
}

export function updateTrackEntry<L extends TrackListFieldName>(
  doc: Y.Doc,
  trackId: string,
  list: L,
  entryId: string,
  patch: Partial<EntryInput<L>>,
): void {
  const values = parseEntry(list, patch, true);
  const entry = findEntry(listOf(doc, trackId, list), entryId);
  doc.transact(() => {
    for (const [key, v] of Object.entries(values)) if (entry.get(key) !== v) entry.set(key, v);
  });
}

export function removeTrackEntry(
  doc: Y.Doc,
  trackId: string,
  list: TrackListFieldName,
  entryId: string,
): void {
  const entries = listOf(doc, trackId, list);
  const index = entries.toArray().indexOf(findEntry(entries, entryId));
  entries.delete(index, 1);
}

export const addCredit = (doc: Y.Doc, trackId: string, credit: Omit<Credit, 'id'>) =>
  addTrackEntry(doc, trackId, 'credits', credit);
export const addSplit = (doc: Y.Doc, trackId: string, split: Omit<Split, 'id'>) =>
  addTrackEntry(doc, trackId, 'splits', split);
