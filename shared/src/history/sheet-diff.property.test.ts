import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createSheet } from '../sheet/create-sheet.js';
import { addCredit, removeTrackEntry, updateTrackEntry } from '../sheet/edit-contributors.js';
import { setReleaseFields } from '../sheet/edit-release.js';
import { addTrack, moveTrack, removeTrack, setTrackField } from '../sheet/edit-tracks.js';
import { replaceNotesText } from '../sheet/notes.js';
import { readSheet } from '../sheet/read-sheet.js';
import { applyRestore, planRestore } from './restore-sheet.js';
import { diffSheets, isEmptyDiff } from './sheet-diff.js';

/**
 * Two versions of one sheet, each the base plus random edits, diffed and restored into each
 * other. The seed is printed on every run; replay one with FC_SEED=<seed>.
 */
const seed =
  process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 2 ** 31) : Number(process.env.FC_SEED);
console.log(`sheet-diff property seed: ${seed} (replay with FC_SEED=${seed})`);

const word = fc.constantFrom('', 'a', 'b', 'Night', 'Drive', 'x y');
const line = fc.constantFrom('', 'intro', 'verse', 'chorus', 'bridge', 'outro');
const op = fc.oneof(
  fc.record({ kind: fc.constant('release' as const), title: word, genre: word }),
  fc.record({ kind: fc.constant('add' as const), title: word, at: fc.nat(6) }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), to: fc.nat(6) }),
  fc.record({ kind: fc.constant('field' as const), pick: fc.nat(), isrc: word, explicit: fc.boolean() }),
  fc.record({ kind: fc.constant('credit' as const), pick: fc.nat(), name: word }),
  fc.record({ kind: fc.constant('editCredit' as const), pick: fc.nat(), role: word }),
  fc.record({ kind: fc.constant('dropCredit' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('notes' as const), lines: fc.array(line, { maxLength: 6 }) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(doc: Y.Doc, ops: readonly Op[]): void {
  for (const edit of ops) {
    const tracks = readSheet(doc).tracks;
    const track = tracks.length > 0 ? tracks[('pick' in edit ? edit.pick : 0) % tracks.length]! : null;
    switch (edit.kind) {
      case 'release':
        setReleaseFields(doc, { title: edit.title, genre: edit.genre });
        break;
      case 'add':
        addTrack(doc, { title: edit.title }, edit.at);
        break;
      case 'remove':
        if (track) removeTrack(doc, track.id);
        break;
      case 'move':
        if (track) moveTrack(doc, track.id, edit.to);
        break;
      case 'field':
        if (track) {
          setTrackField(doc, track.id, 'isrc', edit.isrc);
          setTrackField(doc, track.id, 'explicit', edit.explicit);
        }
        break;
      case 'credit':
        if (track) addCredit(doc, track.id, { name: edit.name, role: 'Producer' });
        break;
      case 'editCredit':
        if (track?.credits[0])
          updateTrackEntry(doc, track.id, 'credits', track.credits[0].id, { role: edit.role });
        break;
      case 'dropCredit':
        if (track?.credits[0]) removeTrackEntry(doc, track.id, 'credits', track.credits[0].id);
        break;
      case 'notes':
        replaceNotesText(doc, edit.lines.join('\n'));
        break;
    }
  }
}

function fork(doc: Y.Doc, ops: readonly Op[]): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  apply(copy, ops);
  return copy;
}

const versions = fc.record({
  base: fc.array(op, { maxLength: 8 }),
  left: fc.array(op, { maxLength: 8 }),
  right: fc.array(op, { maxLength: 8 }),
});

function build({ base, left, right }: { base: Op[]; left: Op[]; right: Op[] }) {
  const doc = createSheet({ tracks: [{ title: 'one' }, { title: 'two' }] });
  apply(doc, base);
  return { a: fork(doc, left), b: fork(doc, right) };
}

describe('diffSheets and restore (property)', () => {
  it('a diff names exactly the differences, and restoring b into a makes a equal b', () => {
    fc.assert(
      fc.property(versions, (input) => {
        const { a, b } = build(input);
        const before = readSheet(a);
        const after = readSheet(b);
        expect(isEmptyDiff(diffSheets(before, before))).toBe(true);
        const diff = diffSheets(before, after);
        const beforeIds = new Set(before.tracks.map((track) => track.id));
        const afterIds = new Set(after.tracks.map((track) => track.id));
        expect(new Set(diff.tracks.added.map((track) => track.id))).toEqual(
          new Set([...afterIds].filter((id) => !beforeIds.has(id))),
        );
        expect(new Set(diff.tracks.removed.map((track) => track.id))).toEqual(
          new Set([...beforeIds].filter((id) => !afterIds.has(id))),
        );
        for (const move of diff.tracks.moved) {
          expect(before.tracks[move.from]!.id).toBe(move.trackId);
          expect(after.tracks[move.to]!.id).toBe(move.trackId);
        }
        if (diff.notes) {
          const kept = (kind: string) =>
            diff
              .notes!.ops.filter((o) => o.kind !== kind)
              .map((o) => o.text)
              .join('\n');
          expect(kept('added')).toBe(before.notes);
          expect(kept('removed')).toBe(after.notes);
        } else expect(before.notes).toBe(after.notes);

        a.transact(() => applyRestore(a, after, planRestore(before, after)));
        expect(readSheet(a)).toEqual(after);
        expect(isEmptyDiff(diffSheets(readSheet(a), after))).toBe(true);
      }),
      { seed, numRuns: 200 },
    );
  });
});
