import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  DOC_ROOTS,
  fieldPath,
  metaMap,
  notesFragment,
  RELEASE_FIELDS,
  releaseMap,
  SCHEMA_VERSION,
  TRACK_POSITION_KEY,
  TRACK_SCALAR_FIELDS,
  type TrackListFieldName,
  tracksMap,
} from '../doc-layout.js';
import { isValidId } from '../domain/ids.js';
import {
  type Credit,
  EMPTY_RELEASE_FIELDS,
  EMPTY_TRACK_FIELDS,
  type ReleaseSheet,
  releaseFieldsSchema,
  releaseSheetSchema,
  type Split,
  type Track,
  trackScalarFieldsSchema,
} from '../domain/release-sheet.js';
import { deliveryReadiness, validateSheet } from '../validation/validate-sheet.js';
import { createSheet } from './create-sheet.js';
import { addCredit, addSplit } from './edit-contributors.js';
import { setTrackField } from './edit-tracks.js';
import { notesFitEditor } from './notes.js';
import { orderedTrackIds, readNotesText, readReleaseFields, readSheet, readTracks } from './read-sheet.js';
import { SheetError } from './sheet-error.js';
import { comparePositioned } from './track-order.js';

/**
 * The attacker's seat: a valid sheet plus foreign content written anywhere a Yjs update can put
 * it (unknown keys, keys no field path can name, values of any Yjs type or any JSON value,
 * nested, list content under map roots, unknown roots). Every reader must keep working and keep
 * the valid rest. Replay a failure with FC_SEED=<seed printed by fast-check>.
 */

// --- Foreign content, as a recipe: Yjs types integrate once, so each run materialises afresh.

type Foreign =
  | { kind: 'json'; value: unknown }
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'text' | 'xmlText'; text: string }
  | { kind: 'subdoc' }
  | { kind: 'map' | 'xmlHook'; name: string; entries: Array<[string, Foreign]> }
  | { kind: 'array' | 'xmlFragment'; items: Foreign[] }
  | { kind: 'xmlElement'; name: string; attrs: Array<[string, string]>; items: Foreign[] };

const KNOWN_KEYS = new Set<string>([
  ...RELEASE_FIELDS,
  ...TRACK_SCALAR_FIELDS,
  'credits',
  'splits',
  TRACK_POSITION_KEY,
  'schemaVersion',
  'id',
  'name',
  'role',
  'party',
  'share',
]);

const keyArb = fc.oneof(
  fc.constantFrom('', 'a.b', 'aaaaaaaa.x', 'tracks.x', '../x', '__proto__', 'constructor', 'toJSON', ' '),
  fc.string({ maxLength: 12 }),
  fc.nat({ max: 3000 }).map((n) => 'k'.repeat(n + 41)),
  // Keys that are valid ids: a foreign value under one is still not a track.
  fc.stringMatching(/^[0-9a-z]{8,16}$/),
);
/** Keys that name nothing the layout defines. */
const unknownKeyArb = keyArb.filter((key) => !KNOWN_KEYS.has(key));

const jsonArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, true, false, '', 0, -0, -1, 1.5),
  fc.double(),
  // A bigint is encodable inside a JSON value, though Yjs refuses one as a value of its own.
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => [n]),
  fc.nat({ max: 5000 }).map((n) => 'x'.repeat(n)),
  fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }),
);

const { foreign } = fc.letrec<{ foreign: Foreign }>((tie) => ({
  foreign: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonArb.map((value): Foreign => ({ kind: 'json', value })),
    fc.uint8Array({ maxLength: 8 }).map((bytes): Foreign => ({ kind: 'binary', bytes })),
    fc.record({
      kind: fc.constantFrom('text' as const, 'xmlText' as const),
      text: fc.string({ maxLength: 20 }),
    }),
    fc.constant<Foreign>({ kind: 'subdoc' }),
    fc.record({
      kind: fc.constantFrom('map' as const, 'xmlHook' as const),
      name: fc.string({ maxLength: 8 }),
      entries: fc.array(fc.tuple(keyArb, tie('foreign')), { maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constantFrom('array' as const, 'xmlFragment' as const),
      items: fc.array(tie('foreign'), { maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('xmlElement' as const),
      name: fc.string({ maxLength: 8 }),
      attrs: fc.array(fc.tuple(keyArb, fc.string({ maxLength: 8 })), { maxLength: 2 }),
      items: fc.array(tie('foreign'), { maxLength: 3 }),
    }),
  ),
}));

/** Foreign content that is not a notes node (XmlElement/XmlText would be legitimate notes). */
const nonNotesForeign = foreign.filter((f) => f.kind !== 'xmlElement' && f.kind !== 'xmlText');

function make(f: Foreign): unknown {
  switch (f.kind) {
    case 'json':
      return f.value;
    case 'binary':
      return Uint8Array.from(f.bytes);
    case 'text':
      return new Y.Text(f.text);
    case 'xmlText':
      return new Y.XmlText(f.text);
    case 'subdoc':
      return new Y.Doc();
    case 'map':
    case 'xmlHook': {
      const map: Y.Map<unknown> = f.kind === 'map' ? new Y.Map<unknown>() : new Y.XmlHook(f.name);
      for (const [key, value] of f.entries) map.set(key, make(value));
      return map;
    }
    case 'array': {
      const array = new Y.Array<unknown>();
      array.push(f.items.map(make));
      return array;
    }
    case 'xmlFragment': {
      const fragment = new Y.XmlFragment();
      fragment.insert(0, f.items.map(make) as never);
      return fragment;
    }
    case 'xmlElement': {
      const element = new Y.XmlElement(f.name);
      for (const [key, value] of f.attrs) element.setAttribute(key, value);
      element.insert(0, f.items.map(make) as never);
      return element;
    }
  }
}

/** What `map.get` returns for the content `f` wrote, for checking a field's fallback. */
const plainValueOf = (f: Foreign): unknown =>
  f.kind === 'json' ? f.value : f.kind === 'binary' ? f.bytes : { yjsType: f.kind };

// --- Where the attacker writes it.

type Op =
  | { at: 'tracks'; key: string; value: Foreign }
  | { at: 'release'; key: string; value: Foreign }
  | { at: 'meta'; key: string; value: Foreign }
  | { at: 'track'; track: number; key: string; value: Foreign }
  | { at: 'list'; track: number; list: TrackListFieldName; index: number; value: Foreign }
  | { at: 'entry'; track: number; list: TrackListFieldName; entry: number; key: string; value: Foreign }
  | { at: 'notes'; paragraph: number | null; index: number; value: Foreign }
  | { at: 'root'; name: string; as: 'map'; entries: Array<[string, Foreign]> }
  | { at: 'root'; name: string; as: 'array' | 'xmlFragment'; items: Foreign[] }
  | { at: 'root'; name: string; as: 'text' | 'xmlText'; text: string };

const listArb = fc.constantFrom<TrackListFieldName>('credits', 'splits');
const rootNameArb = fc.oneof(fc.constantFrom(...Object.values(DOC_ROOTS)), keyArb);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ at: fc.constant('tracks' as const), key: unknownKeyArb, value: foreign }),
  fc.record({
    at: fc.constant('release' as const),
    key: fc.oneof(fc.constantFrom(...RELEASE_FIELDS), unknownKeyArb),
    value: foreign,
  }),
  fc.record({
    at: fc.constant('meta' as const),
    key: fc.oneof(fc.constant('schemaVersion'), unknownKeyArb),
    value: foreign,
  }),
  fc.record({
    at: fc.constant('track' as const),
    track: fc.nat(),
    key: fc.oneof(
      fc.constantFrom(...TRACK_SCALAR_FIELDS, 'credits', 'splits', TRACK_POSITION_KEY),
      unknownKeyArb,
    ),
    value: foreign,
  }),
  fc.record({
    at: fc.constant('list' as const),
    track: fc.nat(),
    list: listArb,
    index: fc.nat(),
    value: foreign,
  }),
  fc.record({
    at: fc.constant('entry' as const),
    track: fc.nat(),
    list: listArb,
    entry: fc.nat(),
    key: fc.oneof(fc.constantFrom('id', 'name', 'role', 'party', 'share'), unknownKeyArb),
    value: foreign,
  }),
  fc.record({
    at: fc.constant('notes' as const),
    paragraph: fc.option(fc.nat(), { nil: null }),
    index: fc.nat(),
    value: nonNotesForeign,
  }),
  fc.record({
    at: fc.constant('root' as const),
    name: rootNameArb,
    as: fc.constant('map' as const),
    entries: fc.array(fc.tuple(unknownKeyArb, foreign), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    at: fc.constant('root' as const),
    name: rootNameArb,
    as: fc.constantFrom('array' as const, 'xmlFragment' as const),
    items: fc.array(nonNotesForeign, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    at: fc.constant('root' as const),
    name: rootNameArb,
    as: fc.constantFrom('text' as const, 'xmlText' as const),
    text: fc.string({ minLength: 1, maxLength: 10 }),
  }),
);

// --- The valid sheet underneath.

const textArb = fc.string({ maxLength: 12 });
const seedArb = fc.record({
  release: fc.record({
    title: textArb,
    displayArtist: textArb,
    upc: fc.constantFrom('', '036000291452', '123'),
    territories: fc.subarray(['Worldwide', 'US', 'FR']),
  }),
  tracks: fc.array(
    fc.record({
      fields: fc.record({
        title: textArb,
        isrc: fc.constantFrom('', 'USRC17607839', 'bad'),
        duration: fc.constantFrom('', 'PT3M25S', 'PT0S'),
        explicit: fc.boolean(),
      }),
      credits: fc.array(fc.record({ name: textArb, role: textArb }), { maxLength: 2 }),
      splits: fc.array(
        fc.record({
          party: textArb,
          role: textArb,
          share: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
        }),
        { maxLength: 2 },
      ),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  notes: fc.array(
    fc.string({ maxLength: 12 }).filter((line) => !line.includes('\n')),
    { minLength: 1, maxLength: 3 },
  ),
});

type Seed = typeof seedArb extends fc.Arbitrary<infer T> ? T : never;

function validDoc(seed: Seed): Y.Doc {
  const doc = createSheet({
    release: seed.release,
    tracks: seed.tracks.map((track) => track.fields),
    notes: seed.notes.join('\n'),
  });
  const ids = orderedTrackIds(doc);
  seed.tracks.forEach((track, i) => {
    for (const credit of track.credits) addCredit(doc, ids[i]!, credit);
    for (const split of track.splits) addSplit(doc, ids[i]!, split);
  });
  return doc;
}

// --- Writing the ops, and what the valid rest must read as afterwards.

interface Expected {
  sheet: ReleaseSheet;
  /** Track ids a foreign Y.Map under a valid id key may add (an empty track, as the layout reads it). */
  extraTrackIds: Set<string>;
  /** Per track: lists replaced by foreign content, and entries whose known fields were overwritten. */
  replacedLists: Map<string, Map<TrackListFieldName, Foreign>>;
  touchedEntries: Set<string>;
  notesTouched: boolean;
}

type AnySchema = { safeParse(v: unknown): { success: boolean; data?: unknown } };
/** The field's schema, if `key` names a field (own keys only: "__proto__" names none). */
const schemaOf = (shape: object, key: string): AnySchema | undefined =>
  Object.hasOwn(shape, key) ? (shape as Record<string, AnySchema>)[key] : undefined;

const fallbackOf = (schema: AnySchema, value: unknown, empty: unknown) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : empty;
};

function applyOps(doc: Y.Doc, ops: readonly Op[]): Expected {
  const clean = readSheet(doc);
  const sheet = structuredClone(clean);
  const expected: Expected = {
    sheet,
    extraTrackIds: new Set(),
    replacedLists: new Map(),
    touchedEntries: new Set(),
    notesTouched: false,
  };
  const ids = clean.tracks.map((track) => track.id);
  const trackOf = (n: number) => {
    const id = ids[n % ids.length]!;
    return { id, map: tracksMap(doc).get(id)!, expected: sheet.tracks.find((t) => t.id === id)! };
  };
  for (const op of ops) {
    switch (op.at) {
      case 'tracks':
        tracksMap(doc).set(op.key, make(op.value) as never);
        if (isValidId(op.key) && op.value.kind === 'map') expected.extraTrackIds.add(op.key);
        break;
      case 'release': {
        releaseMap(doc).set(op.key, make(op.value));
        const schema = schemaOf(releaseFieldsSchema.shape, op.key);
        if (schema) {
          (sheet.release as Record<string, unknown>)[op.key] = fallbackOf(
            schema,
            plainValueOf(op.value),
            (EMPTY_RELEASE_FIELDS as Record<string, unknown>)[op.key],
          );
        }
        break;
      }
      case 'meta': {
        metaMap(doc).set(op.key, make(op.value));
        if (op.key === 'schemaVersion') {
          const value = plainValueOf(op.value);
          sheet.schemaVersion = Number.isSafeInteger(value) ? (value as number) : SCHEMA_VERSION;
        }
        break;
      }
      case 'track': {
        const track = trackOf(op.track);
        track.map.set(op.key, make(op.value));
        const schema = schemaOf(trackScalarFieldsSchema.shape, op.key);
        const value = plainValueOf(op.value);
        if (schema) {
          (track.expected as Record<string, unknown>)[op.key] = fallbackOf(
            schema,
            value,
            (EMPTY_TRACK_FIELDS as Record<string, unknown>)[op.key],
          );
        } else if (op.key === TRACK_POSITION_KEY) {
          track.expected.position = typeof value === 'string' ? value : '';
        } else if (op.key === 'credits' || op.key === 'splits') {
          const replaced = expected.replacedLists.get(track.id) ?? new Map();
          replaced.set(op.key, op.value);
          expected.replacedLists.set(track.id, replaced);
        }
        break;
      }
      case 'list': {
        const list = trackOf(op.track).map.get(op.list);
        if (list instanceof Y.Array) list.insert(op.index % (list.length + 1), [make(op.value)]);
        break;
      }
      case 'entry': {
        const list = trackOf(op.track).map.get(op.list);
        if (!(list instanceof Y.Array) || list.length === 0) break;
        const entry = list.get(op.entry % list.length);
        if (!(entry instanceof Y.Map)) break;
        if (KNOWN_KEYS.has(op.key)) expected.touchedEntries.add(String(entry.get('id')));
        entry.set(op.key, make(op.value));
        break;
      }
      case 'notes': {
        const fragment = notesFragment(doc);
        const blocks = fragment.toArray();
        const paragraph = op.paragraph === null ? null : blocks[op.paragraph % blocks.length];
        const parent = paragraph instanceof Y.XmlElement ? paragraph : fragment;
        parent.insert(op.index % (parent.length + 1), [make(op.value)] as never);
        expected.notesTouched = true;
        break;
      }
      case 'root': {
        // Another client's update naming the root with a type of its choosing.
        const other = new Y.Doc();
        if (op.as === 'map') {
          const map = other.getMap(op.name);
          for (const [key, value] of op.entries) map.set(key, make(value));
          if (op.name === DOC_ROOTS.tracks) {
            for (const [key, value] of op.entries) {
              if (isValidId(key) && value.kind === 'map') expected.extraTrackIds.add(key);
            }
          }
        } else if (op.as === 'array' || op.as === 'xmlFragment') {
          const list = op.as === 'array' ? other.getArray(op.name) : other.getXmlFragment(op.name);
          list.insert(0, op.items.map(make) as never);
          if (op.name === DOC_ROOTS.notes) expected.notesTouched = true;
        } else if (op.as === 'text' || op.as === 'xmlText') {
          (op.as === 'text' ? other.getText(op.name) : other.get(op.name, Y.XmlText)).insert(0, op.text);
          if (op.name === DOC_ROOTS.notes) expected.notesTouched = true;
        }
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
        break;
      }
    }
  }
  return expected;
}

function expectListKept<T extends Credit | Split>(
  actual: readonly T[],
  original: readonly T[],
  touched: Set<string>,
): void {
  const kept = original.filter((entry) => !touched.has(entry.id));
  const keptIds = new Set(kept.map((entry) => entry.id));
  expect(actual.filter((entry) => keptIds.has(entry.id))).toEqual(kept);
  expect(actual.length).toBeLessThanOrEqual(original.length);
}

function expectValidRestKept(actual: ReleaseSheet, expected: Expected): void {
  expect(actual.schemaVersion).toEqual(expected.sheet.schemaVersion);
  expect(actual.release).toEqual(expected.sheet.release);
  expect(actual.notes).toBe(expected.sheet.notes);

  const expectedIds = new Set(expected.sheet.tracks.map((track) => track.id));
  for (const track of actual.tracks) {
    expect(isValidId(track.id)).toBe(true);
    if (!expectedIds.has(track.id)) expect(expected.extraTrackIds).toContain(track.id);
  }
  const byId = new Map(actual.tracks.map((track) => [track.id, track]));
  for (const want of expected.sheet.tracks) {
    const got = byId.get(want.id);
    expect(got).toBeDefined();
    const { credits, splits, ...scalars } = want;
    const { credits: gotCredits, splits: gotSplits, ...gotScalars } = got as Track;
    expect(gotScalars).toEqual(scalars);
    const replaced = expected.replacedLists.get(want.id);
    for (const [list, gotList, wantList] of [
      ['credits', gotCredits, credits],
      ['splits', gotSplits, splits],
    ] as const) {
      const replacement = replaced?.get(list);
      if (replacement === undefined)
        expectListKept<Credit | Split>(gotList, wantList, expected.touchedEntries);
      else if (replacement.kind !== 'array') expect(gotList).toEqual([]);
    }
  }
  const order = [...actual.tracks].sort(comparePositioned).map((track) => track.id);
  expect(actual.tracks.map((track) => track.id)).toEqual(order);
}

const seedFromEnv = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };

describe('reading a document with foreign content', () => {
  it('never throws, and every reader keeps the valid rest (property, 1000 documents)', () => {
    fc.assert(
      fc.property(seedArb, fc.array(opArb, { minLength: 1, maxLength: 10 }), (seed, ops) => {
        const doc = validDoc(seed);
        const expected = applyOps(doc, ops);

        const sheet = readSheet(doc);
        expectValidRestKept(sheet, expected);
        expect(readReleaseFields(doc)).toEqual(sheet.release);
        expect(readTracks(doc)).toEqual(sheet.tracks);
        expect(readNotesText(doc)).toBe(sheet.notes);
        expect(notesFitEditor(doc)).toBe(!expected.notesTouched);

        // What export.json sends must satisfy its response schema, and survive JSON.
        expect(releaseSheetSchema.safeParse(sheet).success).toBe(true);
        expect(releaseSheetSchema.safeParse(JSON.parse(JSON.stringify(sheet))).success).toBe(true);

        // Validation (the editor's problems, the server's submit check) names only real fields.
        const problems = validateSheet(sheet);
        const trackPaths = new Set(sheet.tracks.map((track) => fieldPath.track(track.id)));
        for (const problem of problems) {
          if (problem.path.startsWith('tracks.')) {
            expect(trackPaths).toContain(problem.path.split('.').slice(0, 2).join('.'));
          }
        }
        const readiness = deliveryReadiness(sheet);
        expect(readiness.blocking.length + readiness.warnings.length).toBe(problems.length);
      }),
      { numRuns: 1000, ...seedFromEnv },
    );
  });

  it('skips the track a single foreign Y.Array under "aaaaaaaa.x" or "" would otherwise break', () => {
    const doc = createSheet({ release: { title: 'Kept' }, tracks: [{ title: 'One' }], notes: 'n' });
    tracksMap(doc).set('aaaaaaaa.x', new Y.Array() as never);
    tracksMap(doc).set('', new Y.Array() as never);
    tracksMap(doc).set('bbbbbbbbbb', new Y.Text('not a track') as never);
    const sheet = readSheet(doc);
    expect(sheet.release.title).toBe('Kept');
    expect(sheet.tracks.map((track) => track.title)).toEqual(['One']);
    expect(() => deliveryReadiness(sheet)).not.toThrow();
    // What is not read as a track cannot be edited as one either.
    expect(() => setTrackField(doc, 'aaaaaaaa.x', 'title', 'x')).toThrow(SheetError);
    expect(() => setTrackField(doc, 'bbbbbbbbbb', 'title', 'x')).toThrow(SheetError);
  });

  it('reads credits stored as plain JSON or under a non-array as absent', () => {
    const doc = createSheet({ tracks: [{ title: 'One' }] });
    const [id] = orderedTrackIds(doc);
    const track = tracksMap(doc).get(id!)!;
    (track.get('credits') as Y.Array<unknown>).push([{ id: 'x', name: 'Plain', role: 'JSON' }]);
    addCredit(doc, id!, { name: 'Real', role: 'Producer' });
    track.set('splits', new Y.Map());
    const [read] = readSheet(doc).tracks;
    expect(read!.credits.map((credit) => credit.name)).toEqual(['Real']);
    expect(read!.splits).toEqual([]);
  });

  it('reads deeply nested notes without recursion and skips non-notes nodes', () => {
    const doc = createSheet({ notes: 'first' });
    // Built top down, each element inserted into an integrated parent, as updates would build it.
    doc.transact(() => {
      let parent: Y.XmlElement | Y.XmlFragment = notesFragment(doc);
      for (let i = 0; i < 20_000; i++) {
        const child: Y.XmlElement = new Y.XmlElement('blockquote');
        parent.insert(parent.length, [child]);
        parent = child;
      }
      parent.insert(0, [new Y.XmlText('deep')]);
    });
    notesFragment(doc).push([new Y.Map() as never, 'plain' as never]);
    expect(readNotesText(doc)).toBe('first\ndeep');
    expect(notesFitEditor(doc)).toBe(false);
  });
});
