import { createSheet, newReleaseId, readReleaseFields, type SheetSeed } from '@patchline/shared';
import { type ClientBindingStore, SYSTEM_OWNER } from '../store/client-binding-store.js';
import type { DynamoDocumentStore } from '../store/dynamo-document-store.js';
import type { GrantStore } from '../store/grant-store.js';
import { ALL_RELEASES_KEY, keys } from '../store/table-layout.js';

export interface CreateReleaseDeps {
  documents: DynamoDocumentStore;
  grants: GrantStore;
  clientBindings: ClientBindingStore;
  now?: () => number;
}

/**
 * Creates a release: its seeded document (once, on the server, so no two peers seed it), its
 * metadata, and the creator's owner grant. Returns the new id.
 */
export async function createRelease(
  deps: CreateReleaseDeps,
  input: { ownerId: string; ownerEmail?: string; ownerName?: string; seed?: SheetSeed; releaseId?: string },
): Promise<string> {
  const releaseId = input.releaseId ?? newReleaseId();
  const createdAt = new Date((deps.now ?? Date.now)()).toISOString();
  const doc = createSheet(input.seed);
  const fields = readReleaseFields(doc);
  await deps.documents.create(releaseId, doc, {
    releaseId,
    title: fields.title,
    displayArtist: fields.displayArtist,
    status: fields.status,
    ownerId: input.ownerId,
    createdAt,
    updatedAt: createdAt,
    // Every release is in GSI1 under one key, so label staff can list them all.
    GSI1PK: ALL_RELEASES_KEY,
    GSI1SK: keys.release(releaseId),
  });
  // The seed was written under the document's client id: the system's, so nobody can extend it.
  await deps.clientBindings.bind(releaseId, doc.clientID, SYSTEM_OWNER);
  await deps.grants.put({
    releaseId,
    userId: input.ownerId,
    role: 'owner',
    via: 'owner',
    grantedBy: input.ownerId,
    createdAt,
  });
  return releaseId;
}
