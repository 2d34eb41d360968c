import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createSheet } from './create-sheet.js';
import { addTrack, moveTrack, removeTrack, setTrackField, setTrackFields } from './edit-tracks.js';
import { orderedTrackIds, readSheet, readTracks } from './read-sheet.js';
import { SheetError } from './sheet-error.js';

const titles = (doc: Y.Doc) => readTracks(doc).map((track) => track.title);

describe(addTrack.name, () => {
  it('appends by default and inserts at an index', () => {
    const doc = createSheet({ tracks: [{ title: 'A' }, { title: 'C' }] });
    addTrack(doc, { title: 'D' });
    addTrack(doc, { title: 'B' }, 1);
    addTrack(doc, { title: 'Intro' }, 0);
    expect(titles(doc)).toEqual(['Intro', 'A', 'B', 'C', 'D']);
  });

  it('refuses a value of the wrong type and adds nothing', () => {
    const doc = createSheet({ tracks: [{ title: 'A' }] });
    expect(() => addTrack(doc, { title: 7 as unknown as string })).toThrow(SheetError);
    expect(() => addTrack(doc, { bogus: 'x' } as never)).toThrow(SheetError);
    expect(titles(doc)).toEqual(['A']);
  });
});

describe(moveTrack.name, () => {
  it('moves to any index, changing only the position key', () => {
    const doc = createSheet({ tracks: [{ title: 'A' }, { title: 'B' }, { title: 'C' }, { title: 'D' }] });
    const [a, , , d] = orderedTrackIds(doc);
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    moveTrack(doc, d!, 0);
    expect(titles(doc)).toEqual(['D', 'A', 'B', 'C']);
    moveTrack(doc, a!, 99);
    expect(titles(doc)).toEqual(['D', 'B', 'C', 'A']);
    moveTrack(doc, a!, 3); // already there: no update
    expect(updates).toHaveLength(2);
  });

  it('refuses an unknown track', () => {
    const doc = createSheet();
    expect(() => moveTrack(doc, 'missing', 0)).toThrow(SheetError);
    expect(() => removeTrack(doc, 'missing')).toThrow(SheetError);
    expect(() => setTrackField(doc, 'missing', 'title', 'x')).toThrow(SheetError);
  });
});

describe(setTrackFields.name, () => {
  it('writes several fields in one update and skips unchanged ones', () => {
    const doc = createSheet({ tracks: [{ title: 'A' }] });
    const [id] = orderedTrackIds(doc);
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    setTrackFields(doc, id!, { isrc: 'USRC17607839', duration: 'PT3M25S', explicit: true });
    setTrackFields(doc, id!, { isrc: 'USRC17607839' });
    expect(updates).toHaveLength(1);
    expect(readTracks(doc)[0]).toMatchObject({ isrc: 'USRC17607839', duration: 'PT3M25S', explicit: true });
  });
});

// --- Convergence: random concurrent operations on several replicas --------------------------

type Op =
  | { kind: 'edit'; track: number; field: 'title' | 'isrc'; value: string }
  | { kind: 'move'; track: number; to: number }
  | { kind: 'add'; title: string }
  | { kind: 'remove'; track: number };
type Step = { peer: number; op: Op } | { sync: [number, number] };

const PEERS = 3;
const BASE_TRACKS = 5;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      track: fc.nat(BASE_TRACKS - 1),
      field: fc.constantFrom('title' as const, 'isrc' as const),
      value: fc.string({ maxLength: 8 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      track: fc.nat(BASE_TRACKS - 1),
      to: fc.nat(BASE_TRACKS + 2),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('add' as const), title: fc.string({ maxLength: 8 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('remove' as const), track: fc.nat(BASE_TRACKS - 1) }),
  },
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ peer: fc.nat(PEERS - 1), op: opArb }) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(PEERS - 1), fc.nat(PEERS - 1)).map((sync) => ({ sync })) },
);

function syncInto(target: Y.Doc, source: Y.Doc): void {
  Y.applyUpdate(target, Y.encodeStateAsUpdate(source, Y.encodeStateVector(target)));
}

describe('concurrent track operations', () => {
  it('converge, and a move never loses a concurrent edit of the same track (property)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 40 }), (steps) => {
        const base = createSheet({
          tracks: Array.from({ length: BASE_TRACKS }, (_, i) => ({ title: `T${i}` })),
        });
        const ids = orderedTrackIds(base);
        const peers = Array.from({ length: PEERS }, () => {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
          return doc;
        });
        const removed = new Set<string>();
        const lastWrite = new Map<string, Map<number, unknown>>(); // "id.field" → peer → value
        const record = (key: string, peer: number, value: unknown) =>
          lastWrite.set(key, (lastWrite.get(key) ?? new Map()).set(peer, value));
        let added = 0;

        for (const step of steps) {
          if ('sync' in step) {
            syncInto(peers[step.sync[1]]!, peers[step.sync[0]]!);
            continue;
          }
          const doc = peers[step.peer]!;
          const { op } = step;
          if (op.kind === 'add') {
            addTrack(doc, { title: op.title });
            added++;
            continue;
          }
          const id = ids[op.track]!;
          if (!doc.getMap('tracks').has(id)) continue; // this peer already saw it removed
          if (op.kind === 'edit') {
            setTrackField(doc, id, op.field, op.value);
            record(`${id}.${op.field}`, step.peer, op.value);
          } else if (op.kind === 'move') {
            moveTrack(doc, id, op.to);
            record(`${id}.position`, step.peer, readTracks(doc).find((t) => t.id === id)!.position);
          } else {
            removeTrack(doc, id);
            removed.add(id);
          }
        }
        for (const target of peers) for (const source of peers) syncInto(target, source);

        const sheets = peers.map(readSheet);
        for (const sheet of sheets) expect(sheet).toEqual(sheets[0]);
        const tracks = sheets[0]!.tracks;
        expect(tracks.length).toBe(BASE_TRACKS - removed.size + added);
        for (const id of removed) expect(tracks.some((t) => t.id === id)).toBe(false);
        // A field written by exactly one peer keeps that peer's last value, whatever else
        // (moves included) happened to the same track concurrently.
        for (const [key, writers] of lastWrite) {
          const [id, field] = key.split('.') as [string, 'title' | 'isrc' | 'position'];
          if (removed.has(id) || writers.size !== 1) continue;
          expect(tracks.find((t) => t.id === id)![field]).toBe([...writers.values()][0]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps both a reorder and a concurrent edit of the moved track', () => {
    const base = createSheet({ tracks: [{ title: 'A' }, { title: 'B' }, { title: 'C' }] });
    const [a, , c] = orderedTrackIds(base);
    const [left, right] = [new Y.Doc(), new Y.Doc()];
    for (const doc of [left, right]) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
    moveTrack(left, c!, 0);
    setTrackField(right, c!, 'title', 'C (Radio Edit)');
    moveTrack(right, a!, 2);
    syncInto(left, right);
    syncInto(right, left);
    expect(titles(left)).toEqual(titles(right));
    expect(titles(left)).toEqual(['C (Radio Edit)', 'B', 'A']);
  });
});
