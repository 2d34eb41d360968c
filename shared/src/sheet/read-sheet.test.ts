import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { releaseSheetSchema } from '../domain/release-sheet.js';
import { createSheet } from './create-sheet.js';
import { replaceNotesText } from './notes.js';
import { readNotesText, readReleaseFields, readSheet } from './read-sheet.js';

describe(readSheet.name, () => {
  it('reads a seeded sheet as a plain object matching the zod schema', () => {
    const doc = createSheet({
      release: { title: 'Night Drive', displayArtist: 'Nova Lane', territories: ['Worldwide'] },
      tracks: [
        { title: 'Intro', duration: 'PT1M2S' },
        { title: 'Night Drive', explicit: true },
      ],
      notes: 'Mastered at 14 LUFS\nArtwork final',
    });
    const sheet = readSheet(doc);
    expect(releaseSheetSchema.parse(sheet)).toEqual(sheet);
    expect(sheet.schemaVersion).toBe(1);
    expect(sheet.release).toMatchObject({ title: 'Night Drive', status: 'draft', releaseType: null });
    expect(sheet.tracks.map((t) => [t.title, t.explicit])).toEqual([
      ['Intro', false],
      ['Night Drive', true],
    ]);
    expect(sheet.notes).toBe('Mastered at 14 LUFS\nArtwork final');
  });

  it('falls back to empty values for wrongly typed content instead of throwing', () => {
    const doc = createSheet();
    doc.getMap('release').set('title', 42);
    doc.getMap('release').set('status', 'bogus');
    doc.getMap('tracks').set('weird', 'not a map' as never);
    expect(readReleaseFields(doc)).toMatchObject({ title: '', status: 'draft' });
    expect(readSheet(doc).tracks).toEqual([]);
  });

  it('reads notes written as Tiptap paragraphs', () => {
    const doc = new Y.Doc();
    replaceNotesText(doc, 'one\n\nthree');
    expect(readNotesText(doc)).toBe('one\n\nthree');
    expect(doc.getXmlFragment('notes').toString()).toBe(
      '<paragraph>one</paragraph><paragraph></paragraph><paragraph>three</paragraph>',
    );
  });
});
