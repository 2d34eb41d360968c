import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesFragment } from '../doc-layout.js';
import { createSheet } from '../sheet/create-sheet.js';
import { addCredit, addSplit, removeTrackEntry, updateTrackEntry } from '../sheet/edit-contributors.js';
import { setReleaseFields } from '../sheet/edit-release.js';
import { addTrack, moveTrack, removeTrack, setTrackField } from '../sheet/edit-tracks.js';
import { replaceNotesText } from '../sheet/notes.js';
import { readSheet } from '../sheet/read-sheet.js';
import { applyRestore, planRestore, RestoreSelectionError } from './restore-sheet.js';
import { diffLines, diffSheets, isEmptyDiff } from './sheet-diff.js';
import { summarizeDiff } from './summarize-diff.js';

function fork(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

describe('diffSheets', () => {
  it('finds release fields, added, removed, moved and changed tracks, credits, splits and notes', () => {
    const before = createSheet({
      release: { title: 'Night Drive', upc: '' },
      tracks: [{ title: 'One' }, { title: 'Two' }, { title: 'Three' }],
      notes: 'line a\nline b\nline c',
    });
    const [one, two, three] = readSheet(before).tracks.map((track) => track.id) as [string, string, string];
    const credit = addCredit(before, one, { name: 'Ann', role: 'Producer' });
    addSplit(before, two, { party: 'Pub', role: 'Publisher', share: 50 });
    const after = fork(before);
    setReleaseFields(after, { title: 'Night Drive (Deluxe)', upc: '036000291452' });
    removeTrack(after, three);
    const added = addTrack(after, { title: 'Four' });
    moveTrack(after, two, 0);
    setTrackField(after, one, 'isrc', 'USRC17607839');
    updateTrackEntry(after, one, 'credits', credit, { role: 'Mixer' });
    const split = readSheet(after).tracks.find((track) => track.id === two)!.splits[0]!.id;
    removeTrackEntry(after, two, 'splits', split);
    replaceNotesText(after, 'line a\nline B\nline c\nline d');

    const diff = diffSheets(readSheet(before), readSheet(after));
    expect(diff.release.map((change) => [change.field, change.before, change.after])).toEqual([
      ['title', 'Night Drive', 'Night Drive (Deluxe)'],
      ['upc', '', '036000291452'],
    ]);
    expect(diff.tracks.added.map((track) => track.id)).toEqual([added]);
    expect(diff.tracks.removed.map((track) => track.title)).toEqual(['Three']);
    expect(diff.tracks.moved).toEqual([{ trackId: two, from: 1, to: 0 }]);
    const changedOne = diff.tracks.changed.find((change) => change.trackId === one)!;
    expect(changedOne.fields.map((field) => [field.path, field.after])).toEqual([
      [`tracks.${one}.isrc`, 'USRC17607839'],
    ]);
    expect(changedOne.credits.changed.map((entry) => [entry.before.role, entry.after.role])).toEqual([
      ['Producer', 'Mixer'],
    ]);
    const changedTwo = diff.tracks.changed.find((change) => change.trackId === two)!;
    expect(changedTwo.splits.removed.map((entry) => entry.party)).toEqual(['Pub']);
    expect(diff.notes?.ops).toEqual([
      { kind: 'same', text: 'line a' },
      { kind: 'removed', text: 'line b' },
      { kind: 'added', text: 'line B' },
      { kind: 'same', text: 'line c' },
      { kind: 'added', text: 'line d' },
    ]);
    expect(summarizeDiff(diff)).toBe(
      'Title changed, UPC set, 1 track added, 1 track removed, tracks reordered, 2 tracks changed, notes edited',
    );
  });

  it('does not count tracks that only shifted as moved', () => {
    const before = createSheet({ tracks: [{ title: 'A' }, { title: 'B' }] });
    const after = fork(before);
    addTrack(after, { title: 'New' }, 0);
    const diff = diffSheets(readSheet(before), readSheet(after));
    expect(diff.tracks.moved).toEqual([]);
    expect(diff.tracks.added).toHaveLength(1);
  });

  it('is empty for equal sheets', () => {
    const sheet = readSheet(createSheet({ release: { title: 'X' }, tracks: [{ title: 'A' }] }));
    const diff = diffSheets(sheet, sheet);
    expect(isEmptyDiff(diff)).toBe(true);
    expect(summarizeDiff(diff)).toBe('No changes');
  });

  it('shows a huge rewritten middle as removed then added instead of aligning it', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n');
    const after = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n');
    const ops = diffLines(before, after);
    expect(ops.filter((op) => op.kind === 'removed')).toHaveLength(3000);
    expect(ops.filter((op) => op.kind === 'added')).toHaveLength(3000);
  });
});

describe('restore', () => {
  it('brings back a removed track with its id, place, credits and splits, and leaves other fields alone', () => {
    const doc = createSheet({
      release: { title: 'T', genre: 'Pop' },
      tracks: [{ title: 'A' }, { title: 'B' }],
    });
    const [a] = readSheet(doc).tracks.map((track) => track.id) as [string];
    addCredit(doc, a, { name: 'Ann', role: 'Producer' });
    const version = readSheet(doc);
    removeTrack(doc, a);
    setReleaseFields(doc, { genre: 'Rock', title: 'T2' });

    const units = planRestore(readSheet(doc), version, [`tracks.${a}`]);
    doc.transact(() => applyRestore(doc, version, units));
    const restored = readSheet(doc);
    expect(restored.tracks).toEqual(version.tracks);
    expect(restored.release.genre).toBe('Rock');
    expect(restored.release.title).toBe('T2');
  });

  it('restores the whole sheet except the status', () => {
    const doc = createSheet({ release: { title: 'T' }, tracks: [{ title: 'A' }], notes: 'n' });
    const version = readSheet(doc);
    setReleaseFields(doc, { title: 'Other', status: 'in_review' });
    addTrack(doc, { title: 'Extra' });
    replaceNotesText(doc, 'changed');
    doc.transact(() => applyRestore(doc, version, planRestore(readSheet(doc), version)));
    expect(readSheet(doc)).toEqual({ ...version, release: { ...version.release, status: 'in_review' } });
  });

  it("restores the notes with their formatting from the version's document", () => {
    const version = createSheet({ notes: 'plain' });
    const paragraph = notesFragment(version).get(0) as Y.XmlElement;
    const bold = new Y.XmlText();
    bold.insert(0, ' loud', { bold: true });
    paragraph.insert(1, [bold]);
    const doc = fork(version);
    replaceNotesText(doc, 'rewritten');
    const units = planRestore(readSheet(doc), readSheet(version), ['notes']);
    doc.transact(() => applyRestore(doc, readSheet(version), units, version));
    expect(notesFragment(doc).toJSON()).toBe(notesFragment(version).toJSON());
    expect(notesFragment(doc).toJSON()).toContain('<bold> loud</bold>');
  });

  it('refuses paths that are not restorable, the status among them', () => {
    const sheet = readSheet(createSheet());
    expect(() => planRestore(sheet, sheet, ['release.status'])).toThrow(RestoreSelectionError);
    expect(() => planRestore(sheet, sheet, ['release.nope'])).toThrow(RestoreSelectionError);
    expect(() => planRestore(sheet, sheet, ['tracks.NOT-AN-ID.title'])).toThrow(RestoreSelectionError);
  });
});
