import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { releaseMap, tracksMap } from '../doc-layout.js';
import { isValidIsrc } from '../validators/isrc.js';
import {
  addCreditToTracks,
  fillDown,
  isrcSequence,
  MAX_ISRC_DESIGNATION,
  planIsrcRenumbering,
  renumberIsrcs,
  setFieldsOfTracks,
} from './bulk-edit.js';
import { createSheet } from './create-sheet.js';
import { orderedTrackIds, readSheet, readTracks } from './read-sheet.js';
import { SheetError } from './sheet-error.js';

// fast-check prints the seed of a failure; FC_SEED=<seed> replays it.
const replay = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };

const fourTracks = () =>
  createSheet({
    tracks: [
      { title: 'A', language: 'en', isrc: 'QZDEM2600001' },
      { title: 'B', language: 'fr', isrc: 'QZDEM2600002', explicit: true },
      { title: 'C', language: '', isrc: '' },
      { title: 'D', language: 'de', isrc: 'QZDEM2600004' },
    ],
  });

/** Updates `doc` emits while `edit` runs: a bulk edit is one transaction, so one update. */
function updatesOf(doc: Y.Doc, edit: () => void): number {
  let count = 0;
  const count1 = () => {
    count++;
  };
  doc.on('update', count1);
  try {
    edit();
  } finally {
    doc.off('update', count1);
  }
  return count;
}

describe(setFieldsOfTracks.name, () => {
  it('sets the fields on the selected tracks only, in one update', () => {
    const doc = fourTracks();
    const [a, , c] = orderedTrackIds(doc);
    expect(updatesOf(doc, () => setFieldsOfTracks(doc, [c!, a!], { language: 'pt', explicit: true }))).toBe(
      1,
    );
    expect(readTracks(doc).map((t) => [t.language, t.explicit])).toEqual([
      ['pt', true],
      ['fr', true],
      ['pt', true],
      ['de', false],
    ]);
  });

  it('refuses a value of the wrong type or an unknown track and writes nothing', () => {
    const doc = fourTracks();
    const [a, b] = orderedTrackIds(doc);
    const before = readSheet(doc);
    expect(() => setFieldsOfTracks(doc, [a!, b!], { language: 7 as unknown as string })).toThrow(SheetError);
    expect(() => setFieldsOfTracks(doc, [a!, 'nosuchtrack0'], { language: 'pt' })).toThrow(SheetError);
    expect(readSheet(doc)).toEqual(before);
  });
});

describe(addCreditToTracks.name, () => {
  it('adds the credit to each selected track that lacks it, in one update', () => {
    const doc = fourTracks();
    const [a, b, c] = orderedTrackIds(doc);
    addCreditToTracks(doc, [b!], { name: 'Ada', role: 'Producer' });
    let added = 0;
    expect(
      updatesOf(doc, () => {
        added = addCreditToTracks(doc, [a!, b!, c!], { name: 'ada ', role: 'producer' });
      }),
    ).toBe(1);
    expect(added).toBe(2);
    expect(readTracks(doc).map((t) => t.credits.length)).toEqual([1, 1, 1, 0]);
    expect(() => addCreditToTracks(doc, [a!], { name: ' ', role: 'Producer' })).toThrow(/name and a role/);
  });
});

describe(fillDown.name, () => {
  it("copies the first selected track's value (display order) to the others", () => {
    const doc = fourTracks();
    const [, b, c, d] = orderedTrackIds(doc);
    expect(updatesOf(doc, () => fillDown(doc, [d!, b!, c!], 'language'))).toBe(1);
    expect(readTracks(doc).map((t) => t.language)).toEqual(['en', 'fr', 'fr', 'fr']);
    fillDown(doc, [b!, d!], 'explicit');
    expect(readTracks(doc).map((t) => t.explicit)).toEqual([false, true, false, true]);
  });
});

describe(isrcSequence.name, () => {
  it('counts the designation code up from the first code, in compact form', () => {
    expect(isrcSequence('qz-dem-26-00009', 3)).toEqual({
      ok: true,
      isrcs: ['QZDEM2600009', 'QZDEM2600010', 'QZDEM2600011'],
    });
  });

  it('refuses what is no ISRC and a sequence past 99999, naming the highest start that fits', () => {
    expect(isrcSequence('QZDEM26', 1)).toEqual({ ok: false, message: expect.stringMatching(/not an ISRC/) });
    const overflow = isrcSequence('QZDEM2699998', 3);
    expect(overflow).toEqual({ ok: false, message: expect.stringContaining('QZDEM2699997 or lower') });
  });

  const isrcArb = fc
    .tuple(
      fc.stringMatching(/^[A-Z]{2}$/),
      fc.stringMatching(/^[A-Z0-9]{3}$/),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: MAX_ISRC_DESIGNATION }),
    )
    .map(([cc, reg, yy, n]) => ({
      isrc: `${cc}${reg}${String(yy).padStart(2, '0')}${String(n).padStart(5, '0')}`,
      designation: n,
    }));

  it('property: consecutive valid codes of one stem exactly when they fit in five digits', () => {
    fc.assert(
      fc.property(isrcArb, fc.integer({ min: 1, max: 200 }), ({ isrc, designation }, count) => {
        const result = isrcSequence(isrc, count);
        expect(result.ok).toBe(designation + count - 1 <= MAX_ISRC_DESIGNATION);
        if (!result.ok) return;
        expect(result.isrcs).toHaveLength(count);
        result.isrcs.forEach((code, i) => {
          expect(isValidIsrc(code)).toBe(true);
          expect(code.slice(0, 7)).toBe(isrc.slice(0, 7));
          expect(Number(code.slice(7))).toBe(designation + i);
        });
      }),
      replay,
    );
  });
});

describe(renumberIsrcs.name, () => {
  it('writes the sequence over the selected tracks in display order, in one update', () => {
    const doc = fourTracks();
    const [a, b, c] = orderedTrackIds(doc);
    expect(updatesOf(doc, () => renumberIsrcs(doc, [c!, a!, b!], 'QZ-DEM-26-00100'))).toBe(1);
    expect(readTracks(doc).map((t) => t.isrc)).toEqual([
      'QZDEM2600100',
      'QZDEM2600101',
      'QZDEM2600102',
      'QZDEM2600004',
    ]);
  });

  it('may reuse codes the selection itself holds, refuses one another track holds, and writes nothing then', () => {
    const doc = fourTracks();
    const [a, b, c] = orderedTrackIds(doc);
    renumberIsrcs(doc, [a!, b!], 'QZDEM2600002');
    expect(
      readTracks(doc)
        .map((t) => t.isrc)
        .slice(0, 2),
    ).toEqual(['QZDEM2600002', 'QZDEM2600003']);
    const before = readSheet(doc);
    expect(() => renumberIsrcs(doc, [a!, b!, c!], 'QZDEM2600002')).toThrow(
      'Already used in this release: QZDEM2600004 (track 4)',
    );
    expect(() => renumberIsrcs(doc, [a!, b!], 'QZDEM2699999')).toThrow(/run past QZDEM2699999/);
    expect(readSheet(doc)).toEqual(before);
  });

  it('property: a plan never gives a code another track holds, nor one code twice', () => {
    const trackArb = fc.record({
      title: fc.constant('T'),
      isrc: fc.oneof(
        fc.constant(''),
        fc.integer({ min: 0, max: 30 }).map((n) => `QZDEM26${String(n).padStart(5, '0')}`),
      ),
    });
    fc.assert(
      fc.property(
        fc.array(trackArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 30 }),
        (seeds, picks, start) => {
          const doc = createSheet({ tracks: seeds });
          const tracks = readTracks(doc);
          const selected = tracks.filter((_, i) => picks[i]).map((t) => t.id);
          const plan = planIsrcRenumbering(tracks, selected, `QZDEM26${String(start).padStart(5, '0')}`);
          const others = new Set(tracks.filter((t) => !selected.includes(t.id)).map((t) => t.isrc));
          const expectedCodes = selected.map((_, i) => `QZDEM26${String(start + i).padStart(5, '0')}`);
          expect(plan.ok).toBe(!expectedCodes.some((code) => others.has(code)));
          if (!plan.ok) return;
          expect(plan.assignments.map((x) => x.trackId)).toEqual(selected);
          expect(new Set(plan.assignments.map((x) => x.isrc)).size).toBe(selected.length);
        },
      ),
      replay,
    );
  });
});

describe('one undo step', () => {
  it('property: any bulk edit is undone whole by one undo of an undo manager tracking it', () => {
    const origin = { source: 'test' };
    const editArb = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), language: fc.constantFrom('en', 'fr', 'zxx') }),
      fc.record({ kind: fc.constant('credit' as const), name: fc.constantFrom('Ada', 'Bo') }),
      fc.record({ kind: fc.constant('fill' as const) }),
      fc.record({ kind: fc.constant('renumber' as const), start: fc.integer({ min: 100, max: 200 }) }),
    );
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), editArb, (picks, edit) => {
        const doc = fourTracks();
        const manager = new Y.UndoManager([releaseMap(doc), tracksMap(doc)], {
          trackedOrigins: new Set([origin]),
        });
        const ids = orderedTrackIds(doc).filter((_, i) => picks[i]);
        const before = readSheet(doc);
        doc.transact(() => {
          if (edit.kind === 'set') setFieldsOfTracks(doc, ids, { language: edit.language });
          else if (edit.kind === 'credit') addCreditToTracks(doc, ids, { name: edit.name, role: 'Producer' });
          else if (edit.kind === 'fill') fillDown(doc, ids, 'isrc');
          else renumberIsrcs(doc, ids, `QZDEM2600${edit.start}`);
        }, origin);
        manager.undo();
        expect(readSheet(doc)).toEqual(before);
        expect(manager.canUndo()).toBe(false);
      }),
      replay,
    );
  });
});
