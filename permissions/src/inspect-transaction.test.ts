// biome-ignore-all lint/suspicious/noExplicitAny: Yjs types its parent links as AbstractType<any>.
import {
  addCredit,
  addTrack,
  createSheet,
  foreignContentIn,
  instantiateRoots,
  orderedTrackIds,
  type ReleaseStatus,
  readSheet,
  setReleaseField,
  setTrackField,
} from '@patchline/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AppAbility } from './app-ability.js';
import { authorizeUpdate } from './authorize-update.js';
import { defineAbilityFor } from './define-ability-for.js';
import { authorizeTransaction, inspectTransaction } from './inspect-transaction.js';

type AnyType = Y.AbstractType<any>;

const RELEASE_ID = 'rel-1';
const admin = defineAbilityFor({ sub: 'a1', groups: ['admins'] });
const editor = defineAbilityFor({ sub: 'u1', groups: [] }, [{ releaseId: RELEASE_ID, role: 'editor' }]);
const viewer = defineAbilityFor({ sub: 'u2', groups: [] }, [{ releaseId: RELEASE_ID, role: 'viewer' }]);

type Change = (doc: Y.Doc) => void;

/** Y.Map#set / Y.Array#insert on a type of another kind: what a hand-made update can carry. */
const mapSet = (type: AnyType, key: string, value: unknown) => Y.Map.prototype.set.call(type, key, value);
const listPush = (type: AnyType, values: unknown[]) => Y.Array.prototype.push.call(type, values);

/**
 * The server's document (typed roots, as loaded) and an attacker's replica synced to it. `send`
 * runs a change on the replica and applies it to the server document the way the server does,
 * capturing the transaction; `oracle` is what `authorizeUpdate` said about the same update.
 */
function setup() {
  const server = createSheet({
    release: { title: 'Night Drive' },
    tracks: [{ title: 'One' }, { title: 'Two' }],
    notes: 'Hello\nWorld',
  });
  instantiateRoots(server);
  const attacker = new Y.Doc();
  Y.applyUpdate(attacker, Y.encodeStateAsUpdate(server));
  const [first, second] = orderedTrackIds(server) as [string, string];

  const apply = (update: Uint8Array) => {
    let captured: Y.Transaction | undefined;
    server.once('afterTransaction', (transaction: Y.Transaction) => {
      captured = transaction;
    });
    Y.applyUpdate(server, update, 'client');
    if (captured === undefined) throw new Error('no transaction');
    return captured;
  };
  const send = (change: Change, ability: AppAbility = admin, status: ReleaseStatus = 'draft') => {
    const before = Y.encodeStateVector(attacker);
    change(attacker);
    const update = Y.encodeStateAsUpdate(attacker, before);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(server));
    const oracle = authorizeUpdate(ability, copy, update, RELEASE_ID);
    const transaction = apply(update);
    return {
      update,
      oracle,
      inspection: inspectTransaction(transaction),
      verdict: authorizeTransaction(ability, RELEASE_ID, status, transaction),
    };
  };
  return { server, attacker, first, second, send, apply };
}

const tracksOf = (doc: Y.Doc) => doc.getMap<unknown>('tracks');
const trackOf = (doc: Y.Doc, id: string) => tracksOf(doc).get(id) as Y.Map<unknown>;
const creditsOf = (doc: Y.Doc, id: string) => trackOf(doc, id).get('credits') as Y.Array<unknown>;
const notesOf = (doc: Y.Doc) => doc.getXmlFragment('notes');
const firstParagraph = (doc: Y.Doc) => notesOf(doc).get(0) as Y.XmlElement;

const refusedAsInvalid = (paths: string[]) => ({ allowed: false, reason: 'invalid-value', paths });

const hostileValues: Array<[string, () => unknown]> = [
  ['Y.Array', () => new Y.Array()],
  ['Y.Text', () => new Y.Text('x')],
  ['Y.XmlText', () => new Y.XmlText('x')],
  ['Y.XmlHook', () => new Y.XmlHook('hook')],
];

describe(inspectTransaction.name, { retry: 0 }, () => {
  describe('track keys no field path can name', () => {
    for (const key of ['aaaaaaaa.x', '', '..', 'a'.repeat(41), 'abcdefgh/x', 'ABCDEFGH']) {
      it(`refuses tracks[${JSON.stringify(key)}] holding a Y.Array, which the old inspector let through when it split the path`, () => {
        const { send } = setup();
        const { inspection, verdict } = send((doc) => tracksOf(doc).set(key, new Y.Array()));
        expect(inspection.paths).toEqual([`tracks.${key}`]);
        expect(verdict).toMatchObject(refusedAsInvalid([`tracks.${key}`]));
      });
    }

    it('the old inspector allowed "aaaaaaaa.x" and "" (the bug this replaces)', () => {
      for (const key of ['aaaaaaaa.x', '', '..']) {
        const { send } = setup();
        expect(send((doc) => tracksOf(doc).set(key, new Y.Array())).oracle).toMatchObject({ allowed: true });
      }
    });

    it('refuses a valid-looking track stored under a dotted key even with a track inside', () => {
      const { send } = setup();
      const { verdict } = send((doc) => {
        const track = new Y.Map<unknown>();
        track.set('position', 'a0');
        tracksOf(doc).set('abcdefgh.title', track);
      });
      expect(verdict).toMatchObject(refusedAsInvalid(['tracks.abcdefgh.title']));
    });
  });

  describe('Yjs types where plain values belong', () => {
    for (const [name, make] of hostileValues) {
      it(`refuses a ${name} as a track`, () => {
        const { send } = setup();
        const { verdict } = send((doc) => tracksOf(doc).set('abcdefgh1234', make()));
        expect(verdict).toMatchObject(refusedAsInvalid(['tracks.abcdefgh1234']));
      });

      it(`refuses a ${name} as a release field`, () => {
        const { send } = setup();
        const { verdict } = send((doc) => doc.getMap('release').set('title', make()));
        expect(verdict).toMatchObject(refusedAsInvalid(['release.title']));
      });

      it(`refuses a ${name} as a track field`, () => {
        const { send, first } = setup();
        const { verdict } = send((doc) => trackOf(doc, first).set('title', make()));
        expect(verdict).toMatchObject(refusedAsInvalid([`tracks.${first}.title`]));
      });

      it(`refuses a ${name} inside credits`, () => {
        const { send, first } = setup();
        const { verdict } = send((doc) => creditsOf(doc, first).push([make()]));
        expect(verdict).toMatchObject(refusedAsInvalid([`tracks.${first}.credits`]));
      });
    }

    it('refuses a Y.Array as the credits list of an existing track, and a Y.Map as the list', () => {
      const { send, first } = setup();
      expect(send((doc) => trackOf(doc, first).set('credits', new Y.Map())).verdict).toMatchObject(
        refusedAsInvalid([`tracks.${first}.credits`]),
      );
    });

    it('refuses a credits entry that is a string, and one with an extra key', () => {
      const { send, first } = setup();
      expect(send((doc) => creditsOf(doc, first).push(['Ada'])).verdict).toMatchObject(
        refusedAsInvalid([`tracks.${first}.credits`]),
      );
      const { send: send2, first: first2 } = setup();
      const entry = new Y.Map<unknown>();
      const result = send2((doc) => {
        entry.set('id', 'c1');
        entry.set('name', 'Ada');
        entry.set('role', 'Producer');
        entry.set('junk', new Y.Array());
        creditsOf(doc, first2).push([entry]);
      });
      expect(result.oracle).toMatchObject({ allowed: true });
      expect(result.verdict).toMatchObject(refusedAsInvalid([`tracks.${first2}.credits`]));
    });

    it('refuses a map entry on the credits list (readers never see it)', () => {
      const { send, first } = setup();
      const { verdict } = send((doc) => mapSet(creditsOf(doc, first), 'x', new Y.Text('x')));
      expect(verdict).toMatchObject(refusedAsInvalid([`tracks.${first}.credits`]));
    });

    it('refuses a field edit of a credit that breaks the credit', () => {
      const { send, attacker, first } = setup();
      // An honest credit first, synced to both sides.
      const { verdict: added } = send((doc) => addCredit(doc, first, { name: 'Ada', role: 'Producer' }));
      expect(added).toMatchObject({ allowed: true });
      const entry = creditsOf(attacker, first).get(0) as Y.Map<unknown>;
      expect(send(() => entry.set('name', 42)).verdict).toMatchObject(
        refusedAsInvalid([`tracks.${first}.credits`]),
      );
    });

    it('refuses a track field that is not one, and a track without a position', () => {
      const { send, first, second } = setup();
      expect(send((doc) => trackOf(doc, first).set('owner', 'me')).verdict).toMatchObject(
        refusedAsInvalid([`tracks.${first}.owner`]),
      );
      expect(send((doc) => trackOf(doc, second).delete('position')).verdict).toMatchObject(
        refusedAsInvalid([`tracks.${second}`]),
      );
    });

    it('refuses a wrongly typed plain value (the rules of the old inspector)', () => {
      const { send, first } = setup();
      expect(send((doc) => doc.getMap('release').set('title', 42)).verdict).toMatchObject(
        refusedAsInvalid(['release.title']),
      );
      expect(send((doc) => trackOf(doc, first).set('explicit', 'yes')).verdict).toMatchObject(
        refusedAsInvalid([`tracks.${first}.explicit`]),
      );
    });
  });

  describe('notes', () => {
    it('allows editing only the notes text (path notes)', () => {
      const { send } = setup();
      const { verdict, inspection } = send((doc) => {
        const text = firstParagraph(doc).get(0) as Y.XmlText;
        text.insert(5, ', there', { bold: true });
        text.format(0, 2, { italic: true });
      }, editor);
      expect(inspection).toEqual({ paths: ['notes'], invalid: [] });
      expect(verdict).toEqual({ allowed: true, paths: ['notes'], isWrite: true });
    });

    it('allows new paragraphs with attributes and nested elements', () => {
      const { send } = setup();
      const { verdict } = send((doc) => {
        const heading = new Y.XmlElement('heading');
        heading.setAttribute('level', 2 as unknown as string);
        const list = new Y.XmlElement('bulletList');
        const item = new Y.XmlElement('listItem');
        item.insert(0, [new Y.XmlText('point')]);
        list.insert(0, [item]);
        heading.insert(0, [new Y.XmlText('Title')]);
        notesOf(doc).insert(1, [heading, list]);
      }, editor);
      expect(verdict).toMatchObject({ allowed: true, paths: ['notes'] });
    });

    const notesAttacks: Array<[string, Change]> = [
      ['a Y.Map in the fragment', (doc) => listPush(notesOf(doc), [new Y.Map()])],
      ['a Y.Map in a paragraph', (doc) => listPush(firstParagraph(doc), [new Y.Map()])],
      ['a Y.Text in the fragment', (doc) => listPush(notesOf(doc), [new Y.Text('x')])],
      [
        'a Y.Array deep inside a new paragraph',
        (doc) => {
          const outer = new Y.XmlElement('paragraph');
          const inner = new Y.XmlElement('span');
          outer.insert(0, [inner]);
          notesOf(doc).insert(0, [outer]);
          listPush(inner, [new Y.Array()]);
        },
      ],
      ['a plain value in the fragment', (doc) => listPush(notesOf(doc), ['text'])],
      ['a map entry on the fragment', (doc) => mapSet(notesOf(doc), 'k', 'v')],
      ['an embed in text', (doc) => (firstParagraph(doc).get(0) as Y.XmlText).insertEmbed(0, { image: 'x' })],
      [
        'a Y.Map embedded in text',
        (doc) => (firstParagraph(doc).get(0) as Y.XmlText).insertEmbed(0, new Y.Map() as unknown as object),
      ],
      ['an attribute on text', (doc) => (firstParagraph(doc).get(0) as Y.XmlText).setAttribute('x', 'y')],
      ['an object attribute', (doc) => firstParagraph(doc).setAttribute('x', { a: 1 } as unknown as string)],
    ];
    for (const [name, change] of notesAttacks) {
      it(`refuses ${name}`, () => {
        const { send } = setup();
        const result = send(change, editor);
        expect(result.inspection.paths).toEqual(['notes']);
        expect(result.verdict).toMatchObject(refusedAsInvalid(['notes']));
        expect(result.oracle).toMatchObject({ allowed: true });
      });
    }
  });

  describe('roots', () => {
    it('refuses unknown roots', () => {
      const { send } = setup();
      const { inspection, verdict } = send((doc) => {
        doc.getMap('evil').set('x', 1);
        doc.getArray('worse').push([new Y.Map()]);
      });
      expect(inspection).toEqual({
        paths: ['unknown:evil/x', 'unknown:worse/[]'],
        invalid: ['unknown:evil/x', 'unknown:worse/[]'],
      });
      expect(verdict).toMatchObject({ allowed: false, reason: 'forbidden-field' });
    });

    it('refuses list content in the release map (array-style insert)', () => {
      const { send } = setup();
      const fresh = () => {
        // The attacker's replica has not touched `release` as a map yet, so it can make it a list.
        const { send: sendFresh } = setup();
        return sendFresh((doc) => doc.getArray('release').push(['x']));
      };
      expect(fresh().inspection).toEqual({ paths: ['unknown:release/[]'], invalid: ['unknown:release/[]'] });
      expect(fresh().verdict).toMatchObject({ allowed: false, reason: 'forbidden-field' });
      expect(send((doc) => listPush(tracksOf(doc), [new Y.Map()])).inspection.invalid).toEqual([
        'unknown:tracks/[]',
      ]);
    });

    it('judges a server root of the wrong type as invalid', () => {
      const server = new Y.Doc();
      server.getArray('release');
      let captured: Y.Transaction | undefined;
      server.once('afterTransaction', (t: Y.Transaction) => {
        captured = t;
      });
      const attacker = new Y.Doc();
      attacker.getMap('release').set('title', 'x');
      Y.applyUpdate(server, Y.encodeStateAsUpdate(attacker));
      expect(inspectTransaction(captured!)).toEqual({ paths: ['release.title'], invalid: ['release.title'] });
    });
  });

  describe('deletions and re-sends', () => {
    it('allows deleting a track (path tracks.<id>)', () => {
      const { send, first, server } = setup();
      const { verdict } = send((doc) => tracksOf(doc).delete(first), editor);
      expect(verdict).toEqual({ allowed: true, paths: [`tracks.${first}`], isWrite: true });
      expect(orderedTrackIds(server)).not.toContain(first);
    });

    it('allows a track edited and deleted in one update', () => {
      const { send, first } = setup();
      const { verdict } = send((doc) =>
        doc.transact(() => {
          trackOf(doc, first).set('title', new Y.Array());
          tracksOf(doc).delete(first);
        }),
      );
      expect(verdict).toMatchObject({ allowed: true });
    });

    it('an update the server already has is no write: allowed even for a viewer', () => {
      const { send, apply, first } = setup();
      const { update, verdict } = send((doc) => setTrackField(doc, first, 'isrc', 'USRC17607839'));
      expect(verdict).toMatchObject({ allowed: true, isWrite: true });
      const again = apply(update);
      expect(inspectTransaction(again)).toEqual({ paths: [], invalid: [] });
      expect(authorizeTransaction(viewer, RELEASE_ID, 'draft', again)).toEqual({
        allowed: true,
        paths: [],
        isWrite: false,
      });
    });

    it('a new map re-sent for an existing tracks.<id> is checked whole, though only tracks→id changed', () => {
      const { send, first } = setup();
      const { inspection, verdict } = send((doc) => {
        const track = new Y.Map<unknown>();
        track.set('position', 'a0');
        track.set('title', 'fine');
        track.set('credits', new Y.Array());
        tracksOf(doc).set(first, track);
        (track.get('credits') as Y.Array<unknown>).push([new Y.Text('junk')]);
      });
      expect(inspection.paths).toEqual([`tracks.${first}`]);
      expect(verdict).toMatchObject(refusedAsInvalid([`tracks.${first}`]));
    });

    it('a valid track re-sent for an existing tracks.<id> is allowed', () => {
      const { send, first, server } = setup();
      const { verdict } = send((doc) => {
        const track = new Y.Map<unknown>();
        track.set('position', 'a0');
        track.set('title', 'Replaced');
        tracksOf(doc).set(first, track);
      }, editor);
      expect(verdict).toEqual({ allowed: true, paths: [`tracks.${first}`], isWrite: true });
      expect(readSheet(server).tracks.find((t) => t.id === first)?.title).toBe('Replaced');
    });
  });

  describe('only what changed is checked', () => {
    it('junk already stored elsewhere does not refuse an unrelated edit; a changed list is checked whole', () => {
      const { server, attacker, send, first, second } = setup();
      // Junk stored before the layout was enforced (not yet repaired by dropForeignContent).
      const before = Y.encodeStateVector(server);
      server.transact(() => {
        listPush(notesOf(server), [new Y.Map()]);
        (firstParagraph(server).get(0) as Y.XmlText).insertEmbed(0, { image: 'x' });
        creditsOf(server, second).push(['junk']);
      });
      Y.applyUpdate(attacker, Y.encodeStateAsUpdate(server, before));
      expect(foreignContentIn(server)).toHaveLength(3);

      expect(send((doc) => setTrackField(doc, first, 'title', 'Fine'), editor).verdict).toMatchObject({
        allowed: true,
      });
      expect(
        send((doc) => (firstParagraph(doc).get(0) as Y.XmlText).insert(3, 'typed'), editor).verdict,
      ).toMatchObject({ allowed: true, paths: ['notes'] });
      expect(
        send((doc) => notesOf(doc).insert(0, [new Y.XmlElement('paragraph')]), editor).verdict,
      ).toMatchObject({ allowed: true, paths: ['notes'] });
      // The credits list of `second` changes, so all of it is checked, junk included.
      expect(
        send((doc) => addCredit(doc, second, { name: 'Ada', role: 'Producer' }), editor).verdict,
      ).toMatchObject(refusedAsInvalid([`tracks.${second}.credits`]));
    });

    it("junk written right after the writer's own older text is seen", () => {
      const { send, attacker } = setup();
      const text = () => firstParagraph(attacker).get(0) as Y.XmlText;
      expect(send(() => text().insert(0, 'ab'), editor).verdict).toMatchObject({ allowed: true });
      // Right after the writer's own item: new content is found by clock, and an item Yjs merged
      // into an older one of the same writer still counts as new (it ends after the transaction began).
      const { verdict } = send(() => Y.Array.prototype.insert.call(text(), 2, ['junk']), editor);
      expect(verdict).toMatchObject(refusedAsInvalid(['notes']));
    });
  });

  describe('permissions', () => {
    it('honest team edits by an editor are allowed; label fields are forbidden', () => {
      const { send, first } = setup();
      expect(
        send((doc) => {
          addTrack(doc, { title: 'Three' });
          addCredit(doc, first, { name: 'Ada', role: 'Producer' });
          setReleaseField(doc, 'title', 'New');
        }, editor).verdict,
      ).toMatchObject({ allowed: true });
      expect(send((doc) => setReleaseField(doc, 'upc', '036000291452'), editor).verdict).toMatchObject({
        allowed: false,
        reason: 'forbidden-field',
        paths: ['release.upc'],
      });
    });

    it('a viewer writing is read-only; an editor cannot write an approved release', () => {
      const { send, first } = setup();
      expect(send((doc) => setTrackField(doc, first, 'isrc', 'X'), viewer).verdict).toMatchObject({
        allowed: false,
        reason: 'read-only',
      });
      expect(send((doc) => setTrackField(doc, first, 'isrc', 'Y'), editor, 'approved').verdict).toMatchObject(
        {
          allowed: false,
          reason: 'read-only',
        },
      );
    });

    it('refuses an update with missing dependencies (its structs would land with a later update)', () => {
      const { server, attacker } = setup();
      const unseen = new Y.Doc();
      Y.applyUpdate(unseen, Y.encodeStateAsUpdate(attacker));
      setReleaseField(unseen, 'title', 'first');
      const before = Y.encodeStateVector(unseen);
      setReleaseField(unseen, 'title', 'second');
      const update = Y.encodeStateAsUpdate(unseen, before);
      let captured: Y.Transaction | undefined;
      server.once('afterTransaction', (t: Y.Transaction) => {
        captured = t;
      });
      Y.applyUpdate(server, update);
      expect(authorizeTransaction(admin, RELEASE_ID, 'draft', captured!)).toMatchObject({
        allowed: false,
        reason: 'missing-dependencies',
      });
    });

    it('the verdict does not need the whole document to be clean-read: foreignContentIn agrees', () => {
      const { send, server, first } = setup();
      send((doc) => trackOf(doc, first).set('title', new Y.Text('x')));
      expect(foreignContentIn(server)).toEqual([`tracks.${first}.title: holds a YText, not a plain value`]);
    });
  });
});
