import { addTrack, createSheet, orderedTrackIds, removeTrack, setReleaseFields } from '@patchline/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SaveTracker } from '../lib/collab/save-tracker';

/** What a server sends after a client's sync step 1: its step 2 (what the client lacks) and step 1. */
function serverAnswers(tracker: SaveTracker, server: Y.Doc, client: Y.Doc) {
  tracker.noteServerUpdate(Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
  tracker.noteServerStateVector(Y.encodeStateVector(server));
}

function replica(of: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(of));
  return doc;
}

describe(SaveTracker.name, () => {
  it('reports local content as unsaved until the server is heard from', () => {
    const client = createSheet({ release: { title: 'Draft' } });
    const tracker = new SaveTracker(client);
    expect(tracker.hasUnsavedChanges()).toBe(true);
    expect(new SaveTracker(new Y.Doc()).hasUnsavedChanges()).toBe(false);
  });

  it('is saved once the server state vector covers a local edit', () => {
    const server = createSheet({ release: { title: 'Night Drive' } });
    const client = replica(server);
    const tracker = new SaveTracker(client);
    serverAnswers(tracker, server, client);
    expect(tracker.hasUnsavedChanges()).toBe(false);

    setReleaseFields(client, { title: 'Night Drive (Deluxe)' });
    expect(tracker.hasUnsavedChanges()).toBe(true);
    serverAnswers(tracker, server, client); // the update has not arrived yet
    expect(tracker.hasUnsavedChanges()).toBe(true);

    Y.applyUpdate(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)));
    serverAnswers(tracker, server, client);
    expect(tracker.hasUnsavedChanges()).toBe(false);
  });

  it('tracks deletions, which do not move the state vector', () => {
    const server = createSheet({ tracks: [{ title: 'One' }, { title: 'Two' }] });
    const client = replica(server);
    const tracker = new SaveTracker(client);
    serverAnswers(tracker, server, client);

    removeTrack(client, orderedTrackIds(client)[0]!);
    expect(Y.encodeStateVector(client)).toEqual(Y.encodeStateVector(server));
    expect(tracker.hasUnsavedChanges()).toBe(true);

    Y.applyUpdate(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)));
    serverAnswers(tracker, server, client);
    expect(tracker.hasUnsavedChanges()).toBe(false);
  });

  it('counts typing that landed in a paragraph the server had just removed (GC structs) as saved', () => {
    const server = new Y.Doc();
    const notesOf = (doc: Y.Doc) => doc.getXmlFragment('notes');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Liner notes')]);
    notesOf(server).insert(0, [paragraph]);
    const client = replica(server);
    const typist = replica(server);
    const tracker = new SaveTracker(client);
    serverAnswers(tracker, server, client);
    const relayed: Uint8Array[] = [];
    server.on('update', (update: Uint8Array) => relayed.push(update));

    // The typist types in the paragraph while the server replaces the notes (a restore), and
    // the typist's keystrokes reach the server after it: they land in a deleted paragraph.
    const typed: Uint8Array[] = [];
    typist.on('update', (update: Uint8Array) => typed.push(update));
    ((notesOf(typist).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(11, ', take two');
    server.transact(() => {
      notesOf(server).delete(0, 1);
      notesOf(server).insert(0, [new Y.XmlElement('paragraph')]);
    });
    for (const update of typed) Y.applyUpdate(server, update);

    // This client made no edit: what the server relayed is all it holds, so all of it is saved.
    for (const update of relayed) {
      Y.applyUpdate(client, update);
      tracker.noteServerUpdate(update);
    }
    expect(tracker.hasUnsavedChanges()).toBe(false);
  });

  it("counts a collaborator's update relayed by the server as saved content", () => {
    const server = createSheet();
    const client = replica(server);
    const other = replica(server);
    const tracker = new SaveTracker(client);
    serverAnswers(tracker, server, client);

    const before = Y.encodeStateVector(other);
    addTrack(other, { title: 'From a collaborator' });
    const update = Y.encodeStateAsUpdate(other, before);
    Y.applyUpdate(server, update);
    Y.applyUpdate(client, update); // what the provider does with the relayed update
    tracker.noteServerUpdate(update);
    expect(tracker.hasUnsavedChanges()).toBe(false);
  });
});

/**
 * "The web status chip never says Saved for an edit the server did not store" (PROTOCOL.md,
 * "Refusals", "Client ids", "Out of order"): whatever the server answers after a refusal, its
 * state vector covers stored updates only, and the tracker must not read more into it.
 */
describe(`${SaveTracker.name}: edits the server did not store`, () => {
  function synced() {
    const server = createSheet({ release: { title: 'Night Drive' }, tracks: [{ title: 'One' }] });
    const client = replica(server);
    const tracker = new SaveTracker(client);
    serverAnswers(tracker, server, client);
    expect(tracker.hasUnsavedChanges()).toBe(false);
    return { server, client, tracker };
  }

  it('a refused edit (any reason: forbidden, too large, document full…) stays unsaved whatever the server answers', () => {
    const { server, client, tracker } = synced();
    setReleaseFields(client, { upc: '036000291452' });
    // Refused: nothing stored. The server's next answers (step 2 and step 1) know nothing of it.
    serverAnswers(tracker, server, client);
    expect(tracker.hasUnsavedChanges()).toBe(true);
    // Another person's stored edit, relayed, does not cover ours either.
    const other = replica(server);
    const before = Y.encodeStateVector(other);
    setReleaseFields(other, { genre: 'House' });
    const relayed = Y.encodeStateAsUpdate(other, before);
    Y.applyUpdate(server, relayed);
    Y.applyUpdate(client, relayed);
    tracker.noteServerUpdate(relayed);
    serverAnswers(tracker, server, client);
    expect(tracker.hasUnsavedChanges()).toBe(true);
  });

  it('a refused deletion stays unsaved', () => {
    const { server, client, tracker } = synced();
    removeTrack(client, orderedTrackIds(client)[0]!);
    serverAnswers(tracker, server, client);
    expect(tracker.hasUnsavedChanges()).toBe(true);
  });

  it('an edit the server answered with its sync step 1 (missing dependencies) is unsaved until all of it is stored', () => {
    const { server, client, tracker } = synced();
    const atStart = Y.encodeStateVector(client);
    setReleaseFields(client, { genre: 'Jazz' });
    const first = Y.encodeStateAsUpdate(client, atStart);
    const afterFirst = Y.encodeStateVector(client);
    setReleaseFields(client, { genre: 'Blues' });
    const second = Y.encodeStateAsUpdate(client, afterFirst);
    // The second update overtook the first: the server applies nothing and sends its step 1.
    tracker.noteServerStateVector(Y.encodeStateVector(server));
    expect(tracker.hasUnsavedChanges()).toBe(true);
    // The first is stored, the second still on its way: the step 1 covers the first only.
    Y.applyUpdate(server, first);
    tracker.noteServerStateVector(Y.encodeStateVector(server));
    expect(tracker.hasUnsavedChanges()).toBe(true);
    Y.applyUpdate(server, second);
    // Its answer to our next sync step 1 (the second edit's deletion travels in the step 2).
    serverAnswers(tracker, server, client);
    expect(tracker.hasUnsavedChanges()).toBe(false);
  });

  it("never counts edits after someone claimed this client's next clocks (clock squatting) as saved", () => {
    const { server, client, tracker } = synced();
    // A server that stored a squatter's claim would report our id's clock ahead of ours.
    const own = client.clientID;
    const claimed = new Map(Y.decodeStateVector(Y.encodeStateVector(server)));
    claimed.set(own, Y.getState(client.store, own) + 1_000);
    tracker.noteServerStateVector(encodeVector(claimed));
    setReleaseFields(client, { genre: 'Jazz' });
    // The server "has" those clocks already, so it would skip the edit; its vector still covers it.
    tracker.noteServerStateVector(encodeVector(claimed));
    serverAnswers(tracker, server, client);
    expect(tracker.hasUnsavedChanges()).toBe(true);
  });
});

const encodeVector = (vector: Map<number, number>): Uint8Array => Y.encodeStateVector(vector);
