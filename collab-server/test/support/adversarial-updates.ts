// biome-ignore-all lint/suspicious/noExplicitAny: Yjs types its parent links as AbstractType<any>.
import {
  addTrack,
  metaMap,
  notesFragment,
  RELEASE_STATUSES,
  releaseMap,
  replaceNotesText,
  setReleaseField,
  tracksMap,
} from '@patchline/shared';
import fc from 'fast-check';
import * as Y from 'yjs';
import { gcClaim } from '../../src/room/update-structure.test.js';

/**
 * Adversarial Yjs updates for property tests of the room (PROTOCOL.md, "Updates: what the server
 * stores and relays", "Refusals", "Client ids", "Out of order", "Limits"). An `AttackSpec` is
 * plain data (fast-check generates and shrinks it); `buildAttack` turns it into the updates an
 * attacker sends, built on a document state the attacker has seen. Ideas borrowed from
 * permissions/src/inspect-transaction.property.test.ts (any key, any Yjs type, anywhere).
 */

/** What a value written in the wrong place is made of. */
export const VALUE_KINDS = [
  'Y.Array',
  'Y.Map',
  'Y.Text',
  'Y.XmlText',
  'Y.XmlElement',
  'Y.XmlFragment',
  'Y.XmlHook',
  'Y.Doc',
  'string',
  'long-string',
  'number',
  'object',
  'json-array',
  'null',
  'binary',
] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

/** Where a junk value is written. */
export const PLACES = [
  'root-map',
  'root-list',
  'tracks',
  'track',
  'credits',
  'notes',
  'notes-attribute',
  'text-embed',
] as const;
export type Place = (typeof PLACES)[number];

/** A UPC nobody honest sets (setReleaseField skips a value equal to the current one). */
export const FORGED_UPC = '999999999993';

export const LABEL_FIELDS = ['upc', 'label', 'catalogNumber', 'pLine', 'cLine'] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];

export type AttackSpec =
  /** Any key and any Yjs type or JSON anywhere; `withLegit` adds an allowed edit to the same transaction. */
  | { kind: 'junk'; place: Place; root: string; key: string; value: ValueKind; withLegit: boolean }
  /** A label-only field (AB16) set or deleted by someone who is not label staff. */
  | { kind: 'label'; field: LabelField; value: string; remove: boolean }
  /** `release.status` or `meta.*` written by a document update (AB18). */
  | { kind: 'status'; value: string }
  | { kind: 'meta'; value: number; remove: boolean }
  /** `GC` structs: clocks claimed without content (PROTOCOL.md, "Client ids"). */
  | { kind: 'gc'; target: 'victim-next' | 'victim-overlap' | 'seed-next' | 'unbound'; length: number }
  /** Content under a client id bound to someone else, at its next clock. */
  | { kind: 'foreign'; target: 'victim' | 'seed'; edit: 'genre' | 'upc' | 'track' | 'junk' }
  /** A struct of the attacker's own, re-sent at the same client and clock with other content. */
  | { kind: 'resend-own'; forged: 'upc' | 'junk-track' | 'genre'; reverse: boolean }
  /** An honest person's stored struct re-sent at its client and clock with other content. */
  | { kind: 'resend-victim'; value: string }
  /** A chain of updates of one document, sent last first. */
  | { kind: 'chain'; steps: Array<'genre' | 'track' | 'label' | 'junk'>; reverse: boolean }
  /** Deletions (with a small allowed edit, so that an accepted one shows). */
  | { kind: 'delete'; what: 'track' | 'upc' | 'status' | 'title' | 'notes' | 'meta' | 'credits' }
  /** What an editor may do (accepted from an editor, refused from a viewer). */
  | { kind: 'allowed'; value: string }
  /** Larger than `maxUpdateBytes` (PROTOCOL.md, "Limits"). */
  | { kind: 'oversized' };

const KEYS = [
  '',
  'a.b',
  '..',
  '.',
  'k'.repeat(300),
  'title',
  'upc',
  'status',
  'position',
  'credits',
  'splits',
  'schemaVersion',
  'aaaaaaaa',
  'aaaaaaaa.x',
  '__proto__',
  'constructor',
];
const ROOTS = ['release', 'tracks', 'notes', 'meta', 'x', '', 'a.b', 'Release', 'r'.repeat(200)];

export const keyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

const shortText = fc.string({ minLength: 1, maxLength: 10 });

export const attackArb: fc.Arbitrary<AttackSpec> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('junk' as const),
      place: fc.constantFrom(...PLACES),
      root: fc.constantFrom(...ROOTS),
      key: keyArb,
      value: fc.constantFrom(...VALUE_KINDS),
      withLegit: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('label' as const),
      field: fc.constantFrom(...LABEL_FIELDS),
      value: shortText,
      remove: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      value: fc.constantFrom(...RELEASE_STATUSES, 'hacked'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('meta' as const), value: fc.integer(), remove: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('gc' as const),
      target: fc.constantFrom(
        'victim-next' as const,
        'victim-overlap' as const,
        'seed-next' as const,
        'unbound' as const,
      ),
      length: fc.integer({ min: 1, max: 1000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('foreign' as const),
      target: fc.constantFrom('victim' as const, 'seed' as const),
      edit: fc.constantFrom('genre' as const, 'upc' as const, 'track' as const, 'junk' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('resend-own' as const),
      forged: fc.constantFrom('upc' as const, 'junk-track' as const, 'genre' as const),
      reverse: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resend-victim' as const), value: shortText }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('chain' as const),
      steps: fc.array(
        fc.constantFrom('genre' as const, 'track' as const, 'label' as const, 'junk' as const),
        {
          minLength: 2,
          maxLength: 4,
        },
      ),
      reverse: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      what: fc.constantFrom(
        'track' as const,
        'upc' as const,
        'status' as const,
        'title' as const,
        'notes' as const,
        'meta' as const,
        'credits' as const,
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('allowed' as const), value: shortText }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'oversized' as const }) },
);

/** What the attacker knows when it builds an attack. */
export interface AttackContext {
  /** A document state the attacker has seen (an encoded update). */
  base: Uint8Array;
  /**
   * Client ids bound to other people (content of theirs was stored), each with its next clock in
   * `base`. Empty when there is none yet.
   */
  victims: ReadonlyArray<{ clientId: number }>;
  /** Encoded states of the document just before a stored honest edit of a victim (same client, next clock). */
  victimHistory: ReadonlyArray<{ clientId: number; before: Uint8Array }>;
  /** The id the release was seeded under (bound to the system). */
  seedClient: number;
  /** A deterministic source of choices (fast-check's `fc.Random` adapted, or a seeded generator). */
  pick: (n: number) => number;
}

/** One update to send, and the attacker-owned client id its content is written under (if any). */
export interface AttackMessage {
  update: Uint8Array;
  ownClient: number | null;
}

/** A document holding `state`, writing under `clientId` (a fresh random id when not given). */
export function docAt(state: Uint8Array, clientId?: number): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  // Set after loading: Yjs gives a document a new id when an update it receives holds its own.
  if (clientId !== undefined) doc.clientID = clientId;
  return doc;
}

/** The update one local edit produces. */
export function updateOf(doc: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.transact(() => edit(doc));
  return Y.encodeStateAsUpdate(doc, before);
}

export function makeValue(kind: ValueKind): unknown {
  switch (kind) {
    case 'Y.Array': {
      const array = new Y.Array<unknown>();
      array.push(['x']);
      return array;
    }
    case 'Y.Map': {
      const map = new Y.Map<unknown>();
      map.set('k', 'v');
      return map;
    }
    case 'Y.Text':
      return new Y.Text('junk');
    case 'Y.XmlText':
      return new Y.XmlText('junk');
    case 'Y.XmlElement':
      return new Y.XmlElement('script');
    case 'Y.XmlFragment':
      return new Y.XmlFragment();
    case 'Y.XmlHook':
      return new Y.XmlHook('hook');
    case 'Y.Doc':
      return new Y.Doc();
    case 'string':
      return 'junk';
    case 'long-string':
      return 'L'.repeat(5000);
    case 'number':
      return 42;
    case 'object':
      return { nested: { deep: [1, 2, 3] } };
    case 'json-array':
      return ['a', 1];
    case 'null':
      return null;
    case 'binary':
      return new Uint8Array([1, 2, 3]);
  }
}

const liveTracks = (doc: Y.Doc): Y.Map<unknown>[] =>
  [...tracksMap(doc).values()].filter((track): track is Y.Map<unknown> => track instanceof Y.Map);

function firstOf<T>(values: T[], pick: (n: number) => number): T | undefined {
  return values.length === 0 ? undefined : values[pick(values.length)];
}

/** Writes junk `value` at `place` of `doc` (inside a transaction of the caller). */
function writeJunk(
  doc: Y.Doc,
  place: Place,
  root: string,
  key: string,
  kind: ValueKind,
  pick: (n: number) => number,
) {
  const value = makeValue(kind) as any;
  switch (place) {
    case 'root-map':
      doc.getMap(root).set(key, value);
      return;
    case 'root-list':
      doc.getArray(root).insert(0, [value]);
      return;
    case 'tracks':
      tracksMap(doc).set(key, value);
      return;
    case 'track': {
      const track = firstOf(liveTracks(doc), pick);
      if (track) track.set(key, value);
      else tracksMap(doc).set(key, value);
      return;
    }
    case 'credits': {
      const credits = firstOf(liveTracks(doc), pick)?.get('credits');
      if (credits instanceof Y.Array) credits.insert(0, [value]);
      else tracksMap(doc).set(key, value);
      return;
    }
    case 'notes':
      notesFragment(doc).insert(0, [value]);
      return;
    case 'notes-attribute': {
      const element = notesFragment(doc)
        .toArray()
        .find((node): node is Y.XmlElement => node instanceof Y.XmlElement);
      if (element) element.setAttribute(key || 'k', value);
      else notesFragment(doc).insert(0, [value]);
      return;
    }
    case 'text-embed': {
      const paragraph = notesFragment(doc)
        .toArray()
        .find((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.length > 0);
      const text = paragraph?.get(0);
      if (text instanceof Y.XmlText)
        text.insertEmbed(0, value instanceof Y.AbstractType ? value : { embed: value });
      else notesFragment(doc).insert(0, [value]);
      return;
    }
  }
}

/** An edit an editor may make, with a recognisable value. */
const allowedEdit = (value: string) => (doc: Y.Doc) => setReleaseField(doc, 'genre', value.slice(0, 100));

/** The updates of one attack, in the order the attacker sends them. */
export function buildAttack(spec: AttackSpec, context: AttackContext): AttackMessage[] {
  const { base, pick } = context;
  const own = (edit: (doc: Y.Doc) => void): AttackMessage => {
    const doc = docAt(base);
    return { update: updateOf(doc, edit), ownClient: doc.clientID };
  };
  const victim = firstOf([...context.victims], pick);
  switch (spec.kind) {
    case 'junk':
      return [
        own((doc) => {
          if (spec.withLegit) allowedEdit('with junk')(doc);
          writeJunk(doc, spec.place, spec.root, spec.key, spec.value, pick);
        }),
      ];
    case 'label':
      return [
        own((doc) => {
          if (spec.remove) releaseMap(doc).delete(spec.field);
          else setReleaseField(doc, spec.field, spec.value);
          allowedEdit('label')(doc);
        }),
      ];
    case 'status':
      return [own((doc) => releaseMap(doc).set('status', spec.value))];
    case 'meta':
      return [
        own((doc) => {
          if (spec.remove) metaMap(doc).delete('schemaVersion');
          else metaMap(doc).set('schemaVersion', spec.value);
        }),
      ];
    case 'gc': {
      if (spec.target === 'unbound') {
        const unbound = 1 + pick(0x7ffffffe);
        return [{ update: gcClaim(unbound, 0, spec.length), ownClient: null }];
      }
      const target = spec.target === 'seed-next' || !victim ? context.seedClient : victim.clientId;
      const next = Y.getState(docAt(base).store, target);
      const clock = spec.target === 'victim-overlap' ? Math.max(0, next - 1) : next;
      return [{ update: gcClaim(target, clock, spec.length + (clock < next ? 1 : 0)), ownClient: null }];
    }
    case 'foreign': {
      const target = spec.target === 'seed' || !victim ? context.seedClient : victim.clientId;
      const doc = docAt(base, target);
      const update = updateOf(doc, (d) => {
        if (spec.edit === 'genre') setReleaseField(d, 'genre', 'impostor');
        else if (spec.edit === 'upc') setReleaseField(d, 'upc', FORGED_UPC);
        else if (spec.edit === 'track') addTrack(d, { title: 'impostor' });
        else tracksMap(d).set('..', new Y.Array() as never);
      });
      return [{ update, ownClient: null }];
    }
    case 'resend-own': {
      // Same client, same clocks from 0: the first is an allowed edit, the twin differs.
      const first = docAt(base);
      const twin = docAt(base, first.clientID);
      const original = updateOf(first, allowedEdit('first'));
      const forged = updateOf(twin, (doc) => {
        if (spec.forged === 'upc') setReleaseField(doc, 'upc', FORGED_UPC);
        else if (spec.forged === 'junk-track') tracksMap(doc).set('a.b', new Y.Array() as never);
        else setReleaseField(doc, 'title', 'forged');
        allowedEdit('second')(doc);
      });
      const messages = [
        { update: original, ownClient: first.clientID },
        { update: forged, ownClient: first.clientID },
      ];
      return spec.reverse ? messages.reverse() : messages;
    }
    case 'resend-victim': {
      const past = firstOf([...context.victimHistory], pick);
      if (!past) return [own(allowedEdit(spec.value))];
      // The victim's own next clock in that state is a stored struct of theirs: other content.
      const doc = docAt(past.before, past.clientId);
      const update = updateOf(doc, (d) => {
        setReleaseField(d, 'upc', FORGED_UPC);
        setReleaseField(d, 'genre', spec.value.slice(0, 100));
      });
      return [{ update, ownClient: null }];
    }
    case 'chain': {
      const doc = docAt(base);
      const messages = spec.steps.map((step, index) => ({
        update: updateOf(doc, (d) => {
          if (step === 'genre') allowedEdit(`chain ${index}`)(d);
          else if (step === 'track') addTrack(d, { title: `chain ${index}` });
          else if (step === 'label') setReleaseField(d, 'label', `chain ${index}`);
          else tracksMap(d).set('', new Y.Text('x') as never);
        }),
        ownClient: doc.clientID,
      }));
      return spec.reverse ? messages.reverse() : messages;
    }
    case 'delete':
      return [
        own((doc) => {
          if (spec.what === 'track') {
            const key = firstOf([...tracksMap(doc).keys()], pick);
            if (key !== undefined) tracksMap(doc).delete(key);
          } else if (spec.what === 'upc' || spec.what === 'status' || spec.what === 'title') {
            releaseMap(doc).delete(spec.what);
          } else if (spec.what === 'notes') {
            const notes = notesFragment(doc);
            notes.delete(0, notes.length);
          } else if (spec.what === 'meta') {
            metaMap(doc).delete('schemaVersion');
          } else {
            const track = firstOf(liveTracks(doc), pick);
            track?.delete('credits');
          }
          allowedEdit(`after delete ${spec.what}`)(doc);
        }),
      ];
    case 'allowed':
      return [own(allowedEdit(spec.value))];
    case 'oversized':
      // 380 KB of text: over maxUpdateBytes (360 KB).
      return [own((doc) => replaceNotesText(doc, 'p'.repeat(380 * 1024)))];
  }
}
