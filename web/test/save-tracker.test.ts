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
