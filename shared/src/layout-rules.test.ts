// biome-ignore-all lint/suspicious/noExplicitAny: Yjs types its parent links as AbstractType<any>.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { instantiateRoots } from './doc-layout.js';
import { dropForeignContent, foreignContentIn } from './layout-rules.js';
import { createSheet } from './sheet/create-sheet.js';
import { addCredit, addSplit } from './sheet/edit-contributors.js';
import { setReleaseField } from './sheet/edit-release.js';
import { addTrack, setTrackField } from './sheet/edit-tracks.js';
import { orderedTrackIds, readSheet, readTracks } from './sheet/read-sheet.js';

type AnyType = Y.AbstractType<any>;

/** Y.Map#set / Y.Array#push on a type of another kind: what a hand-made update can store. */
const mapSet = (type: AnyType, key: string, value: unknown) => Y.Map.prototype.set.call(type, key, value);
const listPush = (type: AnyType, values: unknown[]) => Y.Array.prototype.push.call(type, values);

function honestSheet(): { doc: Y.Doc; first: string; second: string } {
  const doc = createSheet({
    release: { title: 'Night Drive', territories: ['Worldwide'], releaseType: 'EP' },
    tracks: [{ title: 'One', explicit: true }, { title: 'Two' }],
    notes: 'Hello\n\nWorld',
  });
  const [first, second] = orderedTrackIds(doc) as [string, string];
  addCredit(doc, first, { name: 'Ada', role: 'Producer' });
  addSplit(doc, first, { party: 'Ada', role: 'Writer', share: 50 });
  const text = (doc.getXmlFragment('notes').get(0) as Y.XmlElement).get(0) as Y.XmlText;
  text.format(0, 3, { bold: true, link: { href: 'https://example.com' } });
  const heading = new Y.XmlElement('heading');
  heading.setAttribute('level', 2 as unknown as string);
  doc.getXmlFragment('notes').push([heading]);
  return { doc, first, second };
}

/** A stored document with junk everywhere the layout can be broken. */
function junkSheet() {
  const { doc, first, second } = honestSheet();
  const tracks = doc.getMap<unknown>('tracks');
  const track = tracks.get(first) as Y.Map<unknown>;
  const credits = track.get('credits') as Y.Array<unknown>;
  const release = doc.getMap<unknown>('release');
  const notes = doc.getXmlFragment('notes');
  const paragraph = notes.get(0) as Y.XmlElement;
  const text = paragraph.get(0) as Y.XmlText;
  const noPosition = new Y.Map<unknown>();
  noPosition.set('title', 'orphan');
  const badEntry = new Y.Map<unknown>();
  badEntry.set('id', 'c2');
  badEntry.set('name', 'Bob');
  const changes: Array<() => void> = [
    () => tracks.set('aaaaaaaa.x', new Y.Array()),
    () => tracks.set('', 'x'),
    () => tracks.set('zzzzzzzz1234', new Y.Text('not a track')),
    () => tracks.set('yyyyyyyy1234', noPosition),
    () => track.set('title', new Y.Array()),
    () => track.set('owner', 'me'),
    () => (tracks.get(second) as Y.Map<unknown>).set('explicit', 'yes'),
    () => credits.push(['Ada', 'Bob']),
    () => credits.push([badEntry]),
    () => credits.push([new Y.XmlHook('hook')]),
    () => mapSet(credits, 'x', 1),
    () => release.set('title', new Y.Array()),
    () => release.set('owner', 'me'),
    () => listPush(release, ['list content']),
    () => listPush(notes, [new Y.Map()]),
    () => mapSet(notes, 'k', 'v'),
    () => text.insertEmbed(1, { image: 'x' }),
    () => text.setAttribute('x', 'y'),
    () => paragraph.setAttribute('x', { a: 1 } as unknown as string),
    () => doc.getMap('meta').set('schemaVersion', 'one'),
    () => doc.getMap('evil').set('x', new Y.Map()),
  ];
  for (const change of changes) change();
  return { doc, count: changes.length };
}

describe(foreignContentIn.name, { retry: 0 }, () => {
  it('finds nothing in a sheet written by the sheet helpers', () => {
    const { doc, first } = honestSheet();
    setReleaseField(doc, 'parentalAdvisory', 'clean');
    setTrackField(doc, first, 'isrc', 'USRC17607839');
    addTrack(doc, { title: 'Three' });
    expect(foreignContentIn(doc)).toEqual([]);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(foreignContentIn(copy)).toEqual([]); // bare roots, as loaded
  });

  it('names each piece of junk once, by where it is', () => {
    const { doc, count } = junkSheet();
    const found = foreignContentIn(doc);
    expect(found).toHaveLength(count);
    expect(found).toEqual(
      expect.arrayContaining([
        'tracks["aaaaaaaa.x"]: key is not a track id',
        'tracks[""]: key is not a track id',
        'tracks.zzzzzzzz1234: holds a YText, not a Y.Map',
        'tracks.yyyyyyyy1234: track has no string position',
        'release.title: holds a YArray, not a plain value',
        'release.owner: not a release field',
        'release[0]: list content in a map',
        'evil.x: unknown root',
      ]),
    );
  });
});

describe(dropForeignContent.name, { retry: 0 }, () => {
  it('removes all junk in one transaction, after which the sheet reads and nothing is foreign', () => {
    const { doc, count } = junkSheet();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    expect(dropForeignContent(doc)).toBe(count);
    expect(updates).toHaveLength(1);
    expect(foreignContentIn(doc)).toEqual([]);
    expect(dropForeignContent(doc)).toBe(0);
    const sheet = readSheet(doc);
    expect(sheet.release.title).toBe(''); // the wrongly typed title reads as empty
    expect(sheet.tracks.map((track) => track.title)).toEqual(['', 'Two']);
    expect(sheet.tracks[0]?.credits).toEqual([expect.objectContaining({ name: 'Ada', role: 'Producer' })]);
    expect(sheet.tracks[1]?.explicit).toBe(false);
    expect(sheet.notes).toBe('Hello\n\nWorld\n');
    // A replica that receives the repair agrees.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    expect(foreignContentIn(replica)).toEqual([]);
    expect(readSheet(replica)).toEqual(sheet);
  });

  it('copes with notes nested far deeper than a recursive walk could', () => {
    const { doc } = honestSheet();
    let parent: Y.XmlElement | Y.XmlFragment = doc.getXmlFragment('notes');
    doc.transact(() => {
      for (let depth = 0; depth < 20_000; depth++) {
        const child: Y.XmlElement = new Y.XmlElement('div');
        parent.insert(0, [child]);
        parent = child;
      }
      listPush(parent, [new Y.Array()]);
    });
    expect(foreignContentIn(doc)).toHaveLength(1);
    expect(dropForeignContent(doc)).toBe(1);
    expect(foreignContentIn(doc)).toEqual([]);
  });

  it('property: any junk stored anywhere is found without throwing and fully repaired', () => {
    const junkValue = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom('Map', 'Array', 'Text', 'XmlText', 'XmlElement', 'XmlFragment', 'XmlHook', 'bytes'),
    );
    const make = (value: unknown): unknown => {
      switch (value) {
        case 'Map': {
          const map = new Y.Map();
          map.set('k', new Y.Array());
          return map;
        }
        case 'Array':
          return Y.Array.from([1, new Y.Text('x')]);
        case 'Text':
          return new Y.Text('x');
        case 'XmlText':
          return new Y.XmlText('x');
        case 'XmlElement':
          return new Y.XmlElement('p');
        case 'XmlFragment':
          return new Y.XmlFragment();
        case 'XmlHook':
          return new Y.XmlHook('h');
        case 'bytes':
          return new Uint8Array([1, 2]);
        default:
          return value;
      }
    };
    const spots = fc.constantFrom(
      'root:release',
      'root:tracks',
      'root:meta',
      'root:notes',
      'root:other',
      'track',
      'credits',
      'entry',
      'paragraph',
      'text',
    );
    const key = fc.oneof(
      fc.constantFrom('title', 'position', 'credits', 'id', 'name', 'abcdefgh1234', 'a.b', ''),
      fc.string({ maxLength: 6 }),
    );
    const write = fc.record({ spot: spots, key, asList: fc.boolean(), value: junkValue });
    fc.assert(
      fc.property(fc.array(write, { minLength: 1, maxLength: 8 }), (writes) => {
        const { doc, first } = honestSheet();
        instantiateRoots(doc);
        for (const { spot, key, asList, value } of writes) {
          const track = doc.getMap<unknown>('tracks').get(first);
          const credits = track instanceof Y.Map ? track.get('credits') : undefined;
          const entry = credits instanceof Y.Array ? credits.get(0) : undefined;
          const paragraph = doc.getXmlFragment('notes').get(0);
          const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : undefined;
          const target = {
            'root:release': doc.share.get('release'),
            'root:tracks': doc.share.get('tracks'),
            'root:meta': doc.share.get('meta'),
            'root:notes': doc.share.get('notes'),
            'root:other': doc.getMap('other'),
            track,
            credits,
            entry,
            paragraph,
            text,
          }[spot];
          if (!(target instanceof Y.AbstractType)) continue;
          if (asList) listPush(target, [make(value)]);
          else mapSet(target, key, make(value));
        }
        expect(() => foreignContentIn(doc)).not.toThrow();
        dropForeignContent(doc);
        expect(foreignContentIn(doc)).toEqual([]);
        expect(() => readSheet(doc)).not.toThrow();
        const tracks = doc.getMap<Y.Map<unknown>>('tracks');
        for (const track of readTracks(doc))
          expect(typeof tracks.get(track.id)?.get('position')).toBe('string');
      }),
      { numRuns: 300, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
    );
  });
});
