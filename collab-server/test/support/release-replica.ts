import { setReleaseField } from '@patchline/shared';
import * as Y from 'yjs';
import { createRelease } from '../../src/core/create-release.js';
import type { Stores } from '../../src/store/create-stores.js';
import { DynamoDocumentStore } from '../../src/store/dynamo-document-store.js';

/**
 * A fresh release plus a replica of its document: `edit` changes the replica and returns the
 * Yjs update, which a test appends as a handler would; the replica is what storage must hold.
 */
export async function releaseWithReplica(stores: Stores, title = 'Start') {
  const releaseId = await createRelease(stores, { ownerId: 'owner-1', seed: { release: { title } } });
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate((await stores.documents.load(releaseId))!.doc));
  const edit = (change: (doc: Y.Doc) => void): Uint8Array => {
    const before = Y.encodeStateVector(replica);
    change(replica);
    return Y.encodeStateAsUpdate(replica, before);
  };
  return { releaseId, replica, edit };
}

/** An edit for `releaseWithReplica`: sets the release's genre. */
export const setGenre = (value: string) => (doc: Y.Doc) => setReleaseField(doc, 'genre', value);

/** The document store of another handler process: its own instance on the same table. */
export const documentsOfAnotherProcess = (stores: Stores) =>
  new DynamoDocumentStore(stores.client, stores.tableName);
