import { describe, expect, it } from 'vitest';
import { RELEASE_FIELDS, TRACK_SCALAR_FIELDS } from '../doc-layout.js';
import { createSheet } from '../sheet/create-sheet.js';
import { readSheet } from '../sheet/read-sheet.js';
import { DISTRIBUTOR_LAYOUT_IDS, DISTRIBUTOR_LAYOUTS, distributorRows } from './distributor-layouts.js';

describe('DISTRIBUTOR_LAYOUTS', () => {
  it.each(DISTRIBUTOR_LAYOUT_IDS.map((id) => [id] as const))(
    '%s: unique headers (an import maps them back), each reading a field the sheet has',
    (id) => {
      const { columns } = DISTRIBUTOR_LAYOUTS[id];
      const headers = columns.map((column) => column.header.toLowerCase());
      expect(new Set(headers).size).toBe(headers.length);
      for (const { source } of columns) {
        if (source.from === 'release') expect(RELEASE_FIELDS).toContain(source.field);
        if (source.from === 'track') expect(TRACK_SCALAR_FIELDS).toContain(source.field);
      }
      // Every track-level identifier the sheet holds goes out.
      const read = columns.map((column) => column.source);
      expect(read).toContainEqual({ from: 'track', field: 'isrc' });
      expect(read).toContainEqual({ from: 'track', field: 'title' });
      expect(read).toContainEqual({ from: 'release', field: 'upc' });
    },
  );

  it('a track-level column of a release without tracks is empty, its release columns filled', () => {
    const sheet = readSheet(createSheet({ release: { title: 'Only a title', upc: '196588001239' } }));
    const [header, row] = distributorRows(DISTRIBUTOR_LAYOUTS['spotify-uplink'], sheet);
    const cell = (name: string) => row![header!.indexOf(name)];
    expect([cell('Product Title'), cell('Primary ID Type')]).toEqual(['Only a title', 'UPC']);
    expect([cell('Track Number'), cell('Track Title'), cell('Track Explicit')]).toEqual(['', '', '']);
  });
});
