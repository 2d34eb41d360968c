import {
  addCredit,
  addTrack,
  createSheet,
  readNotesText,
  readSheet,
  replaceNotesText,
  setReleaseFields,
  setTrackFields,
} from '@patchline/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLocalUndoManager, editLocally } from '../lib/collab/local-edits';

/** Two replicas of one sheet, synced both ways on demand. */
function pair() {
  const base = createSheet({
    release: { title: 'Night Drive', genre: 'House' },
    tracks: [{ title: 'Intro' }],
  });
  const [mine, theirs] = [new Y.Doc(), new Y.Doc()];
  for (const doc of [mine, theirs]) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const sync = () => {
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs, Y.encodeStateVector(mine)));
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine, Y.encodeStateVector(theirs)));
  };
  return { mine, theirs, sync };
}

describe(createLocalUndoManager.name, () => {
  it("undoes my edit and keeps a collaborator's concurrent edit", () => {
    const { mine, theirs, sync } = pair();
    const undo = createLocalUndoManager(mine);
    editLocally(mine, () => setReleaseFields(mine, { title: 'Night Drive (Deluxe)' }));
    setReleaseFields(theirs, { genre: 'Techno' });
    sync();
    expect(undo.canUndo()).toBe(true);

    undo.undo();
    sync();
    for (const doc of [mine, theirs]) {
      expect(readSheet(doc).release).toMatchObject({ title: 'Night Drive', genre: 'Techno' });
    }
    undo.redo();
    expect(readSheet(mine).release.title).toBe('Night Drive (Deluxe)');
  });

  it("never stacks a collaborator's edits: with only theirs, there is nothing to undo", () => {
    const { mine, theirs, sync } = pair();
    const undo = createLocalUndoManager(mine);
    const trackId = readSheet(theirs).tracks[0]!.id;
    setTrackFields(theirs, trackId, { isrc: 'USRC17607839' });
    addCredit(theirs, trackId, { name: 'Ada Lane', role: 'Producer' });
    sync();
    expect(undo.canUndo()).toBe(false);
    undo.undo();
    expect(readSheet(mine).tracks[0]).toMatchObject({ isrc: 'USRC17607839' });
  });

  it('undoes a whole local transaction (track added with fields) as one step', () => {
    const { mine } = pair();
    const undo = createLocalUndoManager(mine);
    editLocally(mine, () => addTrack(mine, { title: 'Outro', explicit: true }));
    expect(readSheet(mine).tracks).toHaveLength(2);
    undo.undo();
    expect(readSheet(mine).tracks.map((t) => t.title)).toEqual(['Intro']);
  });

  it('leaves the notes to the rich-text editor', () => {
    const { mine } = pair();
    const undo = createLocalUndoManager(mine);
    editLocally(mine, () => replaceNotesText(mine, 'Mastered at 14 LUFS'));
    expect(undo.canUndo()).toBe(false);
    undo.undo();
    expect(readNotesText(mine)).toBe('Mastered at 14 LUFS');
  });
});
