import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createSheet } from './create-sheet.js';
import { setReleaseField, setReleaseFields } from './edit-release.js';
import { readReleaseFields } from './read-sheet.js';
import { SheetError } from './sheet-error.js';

describe(setReleaseFields.name, () => {
  it('sets fields in one update and reads them back typed', () => {
    const doc = createSheet();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    setReleaseFields(doc, { title: 'Night Drive', releaseType: 'EP', territories: ['Worldwide'] });
    expect(updates).toHaveLength(1);
    expect(readReleaseFields(doc)).toMatchObject({
      title: 'Night Drive',
      releaseType: 'EP',
      territories: ['Worldwide'],
      status: 'draft',
    });
  });

  it('writes nothing when a value is unchanged', () => {
    const doc = createSheet({ release: { title: 'Same', territories: ['US'] } });
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    setReleaseFields(doc, { title: 'Same', territories: ['US'] });
    expect(updates).toHaveLength(0);
  });

  it('refuses a wrong type or unknown field and changes nothing, even in a batch', () => {
    const doc = createSheet({ release: { title: 'Before' } });
    const before = Y.encodeStateAsUpdate(doc);
    expect(() => setReleaseFields(doc, { title: 'After', releaseType: 'Mixtape' as never })).toThrow(
      SheetError,
    );
    expect(() => setReleaseFields(doc, { nonsense: 'x' } as never)).toThrow(/Unknown release field/);
    expect(() => setReleaseField(doc, 'title', 'x'.repeat(1001))).toThrow(SheetError);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('lets the last writer win per field when two replicas edit concurrently', () => {
    const base = createSheet();
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    for (const doc of [a, b]) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
    setReleaseFields(a, { title: 'From A', genre: 'House' });
    setReleaseFields(b, { title: 'From B', label: 'Nightshift' });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readReleaseFields(a)).toEqual(readReleaseFields(b));
    expect(readReleaseFields(a)).toMatchObject({ genre: 'House', label: 'Nightshift' });
    expect(['From A', 'From B']).toContain(readReleaseFields(a).title);
  });
});
