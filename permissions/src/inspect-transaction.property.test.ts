// biome-ignore-all lint/suspicious/noExplicitAny: Yjs types its parent links as AbstractType<any>.
import {
  addCredit,
  addSplit,
  addTrack,
  createSheet,
  creditSchema,
  instantiateRoots,
  moveTrack,
  orderedTrackIds,
  RELEASE_STATUSES,
  type ReleaseStatus,
  readReleaseFields,
  removeTrack,
  removeTrackEntry,
  replaceNotesText,
  setReleaseField,
  setTrackField,
  splitSchema,
  updateTrackEntry,
} from '@patchline/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AppAbility } from './app-ability.js';
import { authorizeUpdate } from './authorize-update.js';
import { defineAbilityFor } from './define-ability-for.js';
import { inspectUpdate } from './fields-touched-by.js';
import { authorizeTransaction, inspectTransaction, transactionWrites } from './inspect-transaction.js';
import { shapeViolations } from './update-shape.js';

type AnyType = Y.AbstractType<any>;

/**
 * The transaction inspector against the old scratch-copy inspector as oracle (`inspectUpdate`,
 * `shapeViolations`, `authorizeUpdate`, left untouched): random honest base documents, random
 * adversarial updates from a synced replica (honest edits, deletions, any key and any Yjs type or
 * JSON anywhere, list content in maps and map entries in lists). Same paths, same isWrite, the
 * oracle's invalid paths are invalid too, and the same verdict, except where the new rules are
 * intentionally stricter (STRICTER below); there the new inspector must refuse.
 *
 * FC_SEED=<seed> replays a run; fast-check prints the seed and path of a failure.
 */
const NUM_RUNS = 2000;
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

const RELEASE_ID = 'rel-1';
const abilities: Record<string, AppAbility> = {
  admin: defineAbilityFor({ sub: 'a1', groups: ['admins'] }),
  manager: defineAbilityFor({ sub: 'm1', groups: ['managers'] }),
  owner: defineAbilityFor({ sub: 'u1', groups: [] }, [{ releaseId: RELEASE_ID, role: 'owner' }]),
  editor: defineAbilityFor({ sub: 'u2', groups: [] }, [{ releaseId: RELEASE_ID, role: 'editor' }]),
  viewer: defineAbilityFor({ sub: 'u3', groups: [] }, [{ releaseId: RELEASE_ID, role: 'viewer' }]),
};

/**
 * The cases where the new rules refuse what the oracle allowed, each found in the resulting
 * document by a check independent of the implementation:
 * - a tracks key the oracle re-split: "" or containing "." ("aaaaaaaa.x", "..");
 * - a track field key containing "." ("credits.x" re-splits to `credits`);
 * - a Y.XmlHook (a Y.Map subclass) as a track or as a credit/split;
 * - a credit/split with keys beyond its schema (zod strips them), a value that is a Yjs type
 *   whose JSON passes (a Y.Text name), or list content;
 * - a map entry on a credits/splits Y.Array, list content in a track's Y.Map (readers never see
 *   either; the oracle checks only the keys of a track set whole);
 * - anything under notes but XmlElements with primitive attributes and XmlTexts of strings and
 *   formatting (the oracle does not check notes at all).
 */
const STRICTER = {
  splitTrackKey: 'tracks key that is empty or contains "."',
  splitFieldKey: 'track field key containing "."',
  xmlHookAsMap: 'Y.XmlHook as a track or entry',
  looseEntry: 'credit/split with extra keys, Yjs-typed values or list content',
  mapEntryInList: 'map entry on a credits/splits list',
  listInTrack: "list content in a track's map",
  foreignNotes: 'foreign content under notes',
} as const;

const isLive = (item: Y.Item) => !item.deleted;
const liveKeys = (type: AnyType) => [...type._map].filter(([, item]) => isLive(item)).map(([key]) => key);
const hasListContent = (type: AnyType) => {
  for (let item = type._start; item !== null; item = item.right) if (isLive(item)) return true;
  return false;
};

function stricterCases(doc: Y.Doc): Set<string> {
  const cases = new Set<string>();
  const tracks = doc.getMap<unknown>('tracks');
  for (const key of liveKeys(tracks)) {
    if (key === '' || key.includes('.')) cases.add(STRICTER.splitTrackKey);
    const track = tracks.get(key);
    if (track instanceof Y.XmlHook) cases.add(STRICTER.xmlHookAsMap);
    if (!(track instanceof Y.Map)) continue;
    if (hasListContent(track)) cases.add(STRICTER.listInTrack);
    for (const field of liveKeys(track)) {
      if (field.includes('.')) cases.add(STRICTER.splitFieldKey);
      const list = track.get(field);
      if ((field !== 'credits' && field !== 'splits') || !(list instanceof Y.Array)) continue;
      if (liveKeys(list).length > 0) cases.add(STRICTER.mapEntryInList);
      const schemaKeys = Object.keys((field === 'credits' ? creditSchema : splitSchema).shape);
      for (const entry of list.toArray()) {
        if (entry instanceof Y.XmlHook) cases.add(STRICTER.xmlHookAsMap);
        if (!(entry instanceof Y.Map)) continue;
        const keys = liveKeys(entry);
        if (
          hasListContent(entry) ||
          keys.some((k) => !schemaKeys.includes(k)) ||
          keys.some((k) => entry.get(k) instanceof Y.AbstractType || entry.get(k) instanceof Uint8Array)
        )
          cases.add(STRICTER.looseEntry);
      }
    }
  }
  if (!notesFitLayout(doc.getXmlFragment('notes'))) cases.add(STRICTER.foreignNotes);
  return cases;
}

function notesFitLayout(fragment: Y.XmlFragment): boolean {
  if (liveKeys(fragment).length > 0) return false;
  const pending: unknown[] = fragment.toArray();
  while (pending.length > 0) {
    const node = pending.pop();
    if (node instanceof Y.XmlText && node.constructor === Y.XmlText) {
      if (liveKeys(node).length > 0) return false;
      let chars = 0;
      for (const op of node.toDelta() as Array<{ insert: unknown }>) {
        if (typeof op.insert !== 'string') return false;
        chars += op.insert.length;
      }
      // Content toDelta leaves out (a JSON value inserted as if into a list) still takes positions.
      if (chars !== node.length) return false;
    } else if (node instanceof Y.XmlElement && node.constructor === Y.XmlElement) {
      const attributes = Object.values(node.getAttributes() as Record<string, unknown>);
      if (attributes.some((v) => !(v === null || ['string', 'number', 'boolean'].includes(typeof v))))
        return false;
      pending.push(...node.toArray());
    } else return false;
  }
  return true;
}

// --- Generators -----------------------------------------------------------------------------

type Edit = (doc: Y.Doc) => void;
const pickTrack = (doc: Y.Doc, i: number) => {
  const ids = orderedTrackIds(doc);
  return ids.length === 0 ? undefined : ids[i % ids.length];
};
const withTrack = (i: number, edit: (doc: Y.Doc, id: string) => void) => (doc: Y.Doc) => {
  const id = pickTrack(doc, i);
  if (id !== undefined) edit(doc, id);
};
const entryIds = (doc: Y.Doc, id: string, list: 'credits' | 'splits') => {
  const entries = doc.getMap<Y.Map<unknown>>('tracks').get(id)?.get(list);
  return entries instanceof Y.Array
    ? entries.toArray().flatMap((e) => (e instanceof Y.Map ? [String(e.get('id'))] : []))
    : [];
};

/** What honest clients do, label fields and status included (permissions decide those). */
const honestEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.string({ maxLength: 20 }).map((title) => (doc: Y.Doc) => setReleaseField(doc, 'title', title)),
  fc.string({ maxLength: 12 }).map((upc) => (doc: Y.Doc) => setReleaseField(doc, 'upc', upc)),
  fc.constantFrom(...RELEASE_STATUSES).map((s) => (doc: Y.Doc) => setReleaseField(doc, 'status', s)),
  fc
    .constantFrom(['Worldwide'], ['US', 'GB'])
    .map((t) => (doc: Y.Doc) => setReleaseField(doc, 'territories', [...t])),
  fc.string({ maxLength: 10 }).map((title) => (doc: Y.Doc) => void addTrack(doc, { title })),
  fc.nat().map((i) => withTrack(i, (doc, id) => removeTrack(doc, id))),
  fc.tuple(fc.nat(), fc.nat(4)).map(([i, to]) => withTrack(i, (doc, id) => moveTrack(doc, id, to))),
  fc
    .tuple(fc.nat(), fc.string({ maxLength: 12 }))
    .map(([i, isrc]) => withTrack(i, (doc, id) => setTrackField(doc, id, 'isrc', isrc))),
  fc
    .tuple(fc.nat(), fc.boolean())
    .map(([i, explicit]) => withTrack(i, (doc, id) => setTrackField(doc, id, 'explicit', explicit))),
  fc.nat().map((i) => withTrack(i, (doc, id) => void addCredit(doc, id, { name: 'Ada', role: 'Producer' }))),
  fc
    .tuple(fc.nat(), fc.double({ min: 0, max: 100, noNaN: true }))
    .map(([i, share]) =>
      withTrack(i, (doc, id) => void addSplit(doc, id, { party: 'Ada', role: 'Writer', share })),
    ),
  fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 8 })).map(([i, j, name]) =>
    withTrack(i, (doc, id) => {
      const ids = entryIds(doc, id, 'credits');
      if (ids.length > 0) updateTrackEntry(doc, id, 'credits', ids[j % ids.length]!, { name });
    }),
  ),
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]) =>
    withTrack(i, (doc, id) => {
      const ids = entryIds(doc, id, 'splits');
      if (ids.length > 0) removeTrackEntry(doc, id, 'splits', ids[j % ids.length]!);
    }),
  ),
  fc.string({ maxLength: 30 }).map((text) => (doc: Y.Doc) => replaceNotesText(doc, text)),
  fc.tuple(fc.nat(), fc.string({ maxLength: 5 }), fc.boolean()).map(([at, text, bold]) => (doc: Y.Doc) => {
    const paragraph = doc.getXmlFragment('notes').toArray()[0];
    if (!(paragraph instanceof Y.XmlElement)) return;
    let node = paragraph.get(0);
    if (!(node instanceof Y.XmlText)) {
      node = new Y.XmlText();
      paragraph.insert(0, [node]);
    }
    const target = node as Y.XmlText;
    target.insert(at % (target.length + 1), text, bold ? { bold: true } : undefined);
  }),
);

/** Where a raw write can land, found in the replica at the time of the write. */
const SPOTS = [
  'release',
  'tracks',
  'meta',
  'notes',
  'evil',
  'track',
  'credits',
  'splits',
  'entry',
  'paragraph',
  'text',
] as const;
type Spot = (typeof SPOTS)[number];

const listOf = (type: AnyType): unknown[] => Y.Array.prototype.toArray.call(type);
const typeAt = (value: unknown) => (value instanceof Y.AbstractType ? value : undefined);

function spotIn(doc: Y.Doc, spot: Spot, i: number): AnyType | undefined {
  if (spot === 'release' || spot === 'tracks' || spot === 'meta' || spot === 'notes' || spot === 'evil')
    return (doc.share.get(spot) ?? doc.get(spot)) as AnyType;
  if (spot === 'paragraph' || spot === 'text') {
    const notes = doc.share.get('notes');
    const paragraph = notes && typeAt(listOf(notes)[i % Math.max(1, notes._length)]);
    if (spot === 'paragraph' || paragraph === undefined) return paragraph;
    return typeAt(listOf(paragraph)[0]);
  }
  const tracks = doc.share.get('tracks');
  if (tracks === undefined) return undefined;
  const values = liveKeys(tracks).map((key) => Y.Map.prototype.get.call(tracks, key));
  const track = typeAt(values[i % Math.max(1, values.length)]);
  if (track === undefined || spot === 'track') return track;
  const list = typeAt(Y.Map.prototype.get.call(track, spot === 'entry' ? 'credits' : spot));
  if (list === undefined || spot !== 'entry') return list;
  return typeAt(listOf(list)[i % 3]);
}

const KEYS = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('title', 'position', 'credits', 'splits', 'isrc', 'explicit', 'upc'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('id', 'name', 'role', 'party', 'share', 'status', 'schemaVersion'),
  },
  { weight: 2, arbitrary: fc.constantFrom('abcdefgh1234', 'zzzzzzzzzzzz', 'ABCDEFGH', 'a'.repeat(41)) },
  { weight: 3, arbitrary: fc.constantFrom('aaaaaaaa.x', '', '..', 'abcdefgh.title', 'credits.x', 'x/y') },
  { weight: 1, arbitrary: fc.string({ maxLength: 5 }) },
);

type Made = () => unknown;
/** A value to write: JSON, or a Yjs type (sometimes shaped like the layout, sometimes not). */
const VALUES: fc.Arbitrary<Made> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => () => v),
  fc.constantFrom<Made>(
    () => 'text',
    () => 42,
    () => true,
    () => null,
    () => ['Worldwide'],
    () => new Uint8Array([1]),
    () => new Y.Array(),
    () => Y.Array.from(['x', new Y.Map()]),
    () => new Y.Text('x'),
    () => new Y.XmlText('x'),
    () => new Y.XmlElement('paragraph'),
    () => new Y.XmlFragment(),
    () => new Y.Map(),
    () => {
      const track = new Y.Map<unknown>();
      track.set('position', 'a5');
      track.set('title', 'Fresh');
      track.set('credits', new Y.Array());
      return track;
    },
    () => {
      const hook = new Y.XmlHook('hook');
      hook.set('position', 'a5');
      return hook;
    },
    () => {
      const credit = new Y.Map<unknown>();
      credit.set('id', 'c1');
      credit.set('name', 'Ada');
      credit.set('role', 'Producer');
      return credit;
    },
    () => {
      const credit = new Y.Map<unknown>();
      credit.set('id', 'c1');
      credit.set('name', new Y.Text('Ada'));
      credit.set('role', 'Producer');
      credit.set('extra', 1);
      return credit;
    },
    () => {
      const element = new Y.XmlElement('paragraph');
      element.insert(0, [new Y.XmlText('para')]);
      return element;
    },
  ),
);

type RawOp =
  | { kind: 'set'; spot: Spot; i: number; key: string; make: Made }
  | { kind: 'insert'; spot: Spot; i: number; at: number; make: Made }
  | { kind: 'delete'; spot: Spot; i: number; at: number };
const rawOp: fc.Arbitrary<RawOp> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    spot: fc.constantFrom(...SPOTS),
    i: fc.nat(),
    key: KEYS,
    make: VALUES,
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    spot: fc.constantFrom(...SPOTS),
    i: fc.nat(),
    at: fc.nat(),
    make: VALUES,
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    spot: fc.constantFrom(...SPOTS),
    i: fc.nat(),
    at: fc.nat(),
  }),
);

function applyRaw(doc: Y.Doc, op: RawOp): void {
  const target = spotIn(doc, op.spot, op.i);
  if (target === undefined) return;
  if (op.kind === 'set') {
    Y.Map.prototype.set.call(target, op.key, op.make());
  } else if (op.kind === 'insert') {
    Y.Array.prototype.insert.call(target, op.at % (target._length + 1), [op.make()]);
  } else {
    const keys = liveKeys(target);
    if (op.at % 2 === 0 && keys.length > 0) Y.Map.prototype.delete.call(target, keys[op.at % keys.length]!);
    else if (target._length > 0) Y.Array.prototype.delete.call(target, op.at % target._length, 1);
  }
}

const anyOp: fc.Arbitrary<{ honest?: Edit; raw?: RawOp }> = fc.oneof(
  honestEdit.map((honest) => ({ honest })),
  rawOp.map((raw) => ({ raw })),
);

const scenario = fc.record({
  seedTracks: fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
  baseEdits: fc.array(honestEdit, { maxLength: 6 }),
  status: fc.oneof(
    { weight: 4, arbitrary: fc.constant<ReleaseStatus>('draft') },
    { weight: 1, arbitrary: fc.constantFrom<ReleaseStatus>(...RELEASE_STATUSES) },
  ),
  ops: fc.array(anyOp, { minLength: 1, maxLength: 6 }),
  oneTransaction: fc.boolean(),
  ability: fc.constantFrom('admin', 'admin', 'manager', 'owner', 'editor', 'viewer'),
});

describe('inspectTransaction against inspectUpdate + shapeViolations + authorizeUpdate', { retry: 0 }, () => {
  it(`property (${NUM_RUNS} runs): same paths, isWrite and verdict, or refused by a listed stricter rule`, () => {
    fc.assert(
      fc.property(scenario, ({ seedTracks, baseEdits, status, ops, oneTransaction, ability: name }) => {
        const base = createSheet({ tracks: seedTracks.map((title) => ({ title })), notes: 'Hello\nWorld' });
        for (const edit of baseEdits) edit(base);
        setReleaseField(base, 'status', status);
        instantiateRoots(base);

        const replica = new Y.Doc();
        Y.applyUpdate(replica, Y.encodeStateAsUpdate(base));
        const before = Y.encodeStateVector(replica);
        const run = () => {
          for (const { honest, raw } of ops) {
            try {
              if (honest) honest(replica);
              else if (raw) applyRaw(replica, raw);
            } catch {
              // Honest helpers refuse to edit foreign content (SheetError); the attacker moves on.
            }
          }
        };
        if (oneTransaction) replica.transact(run);
        else run();
        const update = Y.encodeStateAsUpdate(replica, before);

        const ability = abilities[name]!;
        const oldInspection = inspectUpdate(base, update);
        const oldInvalid = shapeViolations(oldInspection.result, oldInspection.paths);
        const oldVerdict = authorizeUpdate(ability, base, update, RELEASE_ID);

        const server = new Y.Doc();
        instantiateRoots(server);
        Y.applyUpdate(server, Y.encodeStateAsUpdate(base));
        let captured: Y.Transaction | undefined;
        server.once('afterTransaction', (t: Y.Transaction) => {
          captured = t;
        });
        Y.applyUpdate(server, update, 'client');
        const transaction = captured!;
        const inspection = inspectTransaction(transaction);
        const verdict = authorizeTransaction(
          ability,
          RELEASE_ID,
          readReleaseFields(base).status,
          transaction,
        );

        expect(inspection.paths).toEqual(oldInspection.paths);
        expect(transactionWrites(transaction)).toBe(oldInspection.isWrite);
        // Every invalid path of the oracle is invalid here too, or a path within the same field
        // is: moving a track (`tracks.<id>`) makes the oracle re-check the whole track, while
        // the junk it finds there is named by the change that wrote it (`tracks.<id>.splits`).
        const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
        for (const path of oldInvalid)
          expect(
            inspection.invalid.filter((mine) => related(mine, path)),
            path,
          ).not.toEqual([]);

        if (verdict.allowed === oldVerdict.allowed) {
          if (!verdict.allowed && !oldVerdict.allowed) {
            expect(verdict.reason).toBe(oldVerdict.reason);
            if (verdict.reason !== 'invalid-value') expect(verdict.paths).toEqual(oldVerdict.paths);
          }
          if (verdict.allowed && oldVerdict.allowed) expect(verdict).toEqual(oldVerdict);
          return;
        }
        // Only ever stricter, only through a listed rule.
        expect(oldVerdict.allowed).toBe(true);
        expect(verdict).toMatchObject({ allowed: false, reason: 'invalid-value' });
        expect(stricterCases(server).size).toBeGreaterThan(0);
      }),
      { numRuns: NUM_RUNS, ...(seed === undefined ? {} : { seed }) },
    );
  });
});
