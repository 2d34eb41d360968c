import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createSheet } from './create-sheet.js';
import { addCredit, addSplit, removeTrackEntry, updateTrackEntry } from './edit-contributors.js';
import { orderedTrackIds, readTracks } from './read-sheet.js';
import { SheetError } from './sheet-error.js';

const firstTrack = (doc: Y.Doc) => orderedTrackIds(doc)[0]!;

describe(addCredit.name, () => {
  it('adds, updates and removes credits and splits', () => {
    const doc = createSheet({ tracks: [{ title: 'One' }] });
    const track = firstTrack(doc);
    const producer = addCredit(doc, track, { name: 'Ada Lane', role: 'Producer' });
    addCredit(doc, track, { name: 'Sam Roe', role: 'Mixer' });
    const split = addSplit(doc, track, { party: 'Ada Lane', role: 'Writer', share: 60 });
    updateTrackEntry(doc, track, 'credits', producer, { role: 'Co-Producer' });
    updateTrackEntry(doc, track, 'splits', split, { share: 100 });
    removeTrackEntry(doc, track, 'credits', producer);
    const [read] = readTracks(doc);
    expect(read!.credits).toEqual([expect.objectContaining({ name: 'Sam Roe', role: 'Mixer' })]);
    expect(read!.splits).toEqual([{ id: split, party: 'Ada Lane', role: 'Writer', share: 100 }]);
  });

  it('refuses bad shares, unknown entries and unknown keys without writing', () => {
    const doc = createSheet({ tracks: [{ title: 'One' }] });
    const track = firstTrack(doc);
    const before = Y.encodeStateAsUpdate(doc);
    expect(() => addSplit(doc, track, { party: 'X', role: 'Writer', share: 101 })).toThrow(SheetError);
    expect(() => addSplit(doc, track, { party: 'X', role: 'Writer', share: Number.NaN })).toThrow(SheetError);
    expect(() => updateTrackEntry(doc, track, 'credits', 'nope', { name: 'Y' })).toThrow(SheetError);
    expect(() => addCredit(doc, track, { name: 'A', role: 'B', extra: 1 } as never)).toThrow(SheetError);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('keeps concurrent edits to different fields of one credit', () => {
    const base = createSheet({ tracks: [{ title: 'One' }] });
    const track = firstTrack(base);
    const credit = addCredit(base, track, { name: 'Ada', role: 'Producer' });
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    for (const doc of [a, b]) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
    updateTrackEntry(a, track, 'credits', credit, { name: 'Ada Lane' });
    updateTrackEntry(b, track, 'credits', credit, { role: 'Mixer' });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(readTracks(a)[0]!.credits).toEqual([{ id: credit, name: 'Ada Lane', role: 'Mixer' }]);
  });
});
