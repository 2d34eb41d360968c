import {
  addCredit,
  addSplit,
  addTrack,
  createSheet,
  moveTrack,
  removeTrack,
  replaceNotesText,
  setReleaseField,
  setTrackField,
  updateTrackEntry,
} from '@patchline/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fieldsTouchedBy, inspectUpdate } from './fields-touched-by.js';
import { UpdateDecodeError } from './update-errors.js';

/** A seeded sheet plus a replica whose next edit we capture as one update. */
function setup() {
  const stored = createSheet({
    release: { title: 'Night Drive' },
    tracks: [{ title: 'One' }, { title: 'Two' }],
  });
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(stored));
  const [first, second] = [...replica.getMap('tracks').keys()].sort();
  const edit = (change: (doc: Y.Doc) => void): Uint8Array => {
    const before = Y.encodeStateVector(replica);
    change(replica);
    return Y.encodeStateAsUpdate(replica, before);
  };
  /** The paths of one edit; the stored doc then takes the edit, as a server would. */
  const touched = (change: (doc: Y.Doc) => void): string[] => {
    const update = edit(change);
    const paths = fieldsTouchedBy(stored, update);
    Y.applyUpdate(stored, update);
    return paths;
  };
  return { stored, replica, edit, touched, first: first!, second: second! };
}

describe(fieldsTouchedBy.name, () => {
  it('AB20: names the release field a scalar edit sets', () => {
    const { stored, edit } = setup();
    expect(
      fieldsTouchedBy(
        stored,
        edit((doc) => setReleaseField(doc, 'upc', '036000291452')),
      ),
    ).toEqual(['release.upc']);
  });

  it('names each field of a multi-field transaction', () => {
    const { stored, edit } = setup();
    const update = edit((doc) =>
      doc.transact(() => {
        setReleaseField(doc, 'title', 'Night Drive (Deluxe)');
        setReleaseField(doc, 'label', 'Nightshift Records');
      }),
    );
    expect(fieldsTouchedBy(stored, update)).toEqual(['release.label', 'release.title']);
  });

  it('reports track field edits as tracks.<id>.<field>', () => {
    const { stored, edit, first } = setup();
    expect(
      fieldsTouchedBy(
        stored,
        edit((doc) => setTrackField(doc, first, 'isrc', 'USRC17607839')),
      ),
    ).toEqual([`tracks.${first}.isrc`]);
  });

  it('reports add, remove and move as tracks.<id>', () => {
    const { touched, first, second } = setup();
    let added = '';
    expect(touched((doc) => (added = addTrack(doc, { title: 'Three' })))).toEqual([`tracks.${added}`]);
    expect(touched((doc) => removeTrack(doc, first))).toEqual([`tracks.${first}`]);
    expect(touched((doc) => moveTrack(doc, second, 1))).toEqual([`tracks.${second}`]);
  });

  it('reports credit and split edits as the list field', () => {
    const { touched, first } = setup();
    let creditId = '';
    expect(
      touched((doc) => (creditId = addCredit(doc, first, { name: 'Ada Lane', role: 'Producer' }))),
    ).toEqual([`tracks.${first}.credits`]);
    expect(touched((doc) => updateTrackEntry(doc, first, 'credits', creditId, { role: 'Mixer' }))).toEqual([
      `tracks.${first}.credits`,
    ]);
    expect(touched((doc) => addSplit(doc, first, { party: 'Ada', role: 'Writer', share: 100 }))).toEqual([
      `tracks.${first}.splits`,
    ]);
  });

  it('reports rich-text edits as notes', () => {
    const { stored, edit } = setup();
    expect(
      fieldsTouchedBy(
        stored,
        edit((doc) => replaceNotesText(doc, 'Mastered at 14 LUFS')),
      ),
    ).toEqual(['notes']);
  });

  it('gives content outside the layout a path no rule allows', () => {
    const { stored, edit } = setup();
    const paths = fieldsTouchedBy(
      stored,
      edit((doc) => doc.getMap('backdoor').set('x', 1)),
    );
    expect(paths).toEqual(['unknown:backdoor/x']);
  });

  it('leaves the stored document untouched', () => {
    const { stored, edit } = setup();
    const before = Y.encodeStateAsUpdate(stored);
    fieldsTouchedBy(
      stored,
      edit((doc) => setReleaseField(doc, 'title', 'Changed')),
    );
    expect(Y.encodeStateAsUpdate(stored)).toEqual(before);
  });

  it('sees a re-sent update as no write', () => {
    const { stored, edit } = setup();
    const update = edit((doc) => setReleaseField(doc, 'title', 'Changed'));
    Y.applyUpdate(stored, update);
    expect(inspectUpdate(stored, update)).toMatchObject({ paths: [], isWrite: false });
  });

  it('refuses corrupt bytes with a typed error', () => {
    const { stored, edit } = setup();
    const update = edit((doc) => setReleaseField(doc, 'title', 'Changed'));
    for (const corrupt of [
      new Uint8Array([255, 255, 255, 255, 255]),
      update.subarray(0, update.length - 3),
    ]) {
      expect(() => fieldsTouchedBy(stored, corrupt)).toThrow(UpdateDecodeError);
    }
  });

  it('refuses an update built on changes the server lacks', () => {
    const { stored, edit } = setup();
    edit((doc) => setReleaseField(doc, 'title', 'Unseen'));
    const dependent = edit((doc) => setReleaseField(doc, 'title', 'Depends on unseen'));
    expect(() => fieldsTouchedBy(stored, dependent)).toThrowError(
      expect.objectContaining({ reason: 'missing-dependencies' }),
    );
  });
});
