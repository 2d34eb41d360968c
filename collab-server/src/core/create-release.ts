import {
  createSheet,
  fieldPath,
  newReleaseId,
  RELEASE_FIELDS,
  readNotesText,
  readReleaseFields,
  readTracks,
  recordedValues,
  type SheetSeed,
  TRACK_SCALAR_FIELDS,
} from '@patchline/shared';
import type * as Y from 'yjs';
import { type ClientBindingStore, SYSTEM_OWNER } from '../store/client-binding-store.js';
import type { CommitRecord } from '../store/document-store.js';
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
  const createdBy = { ...creationRecord(doc), by: [input.ownerId], at: Date.parse(createdAt) };
  await deps.documents.create(releaseId, doc, createdBy, {
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

/**
 * What the seed set, recorded for its creator as history's first entry (README.md, "Version
 * history"): a field's history then starts with who created it with that value.
 */
function creationRecord(doc: Y.Doc): Omit<CommitRecord, 'by'> {
  const release = readReleaseFields(doc) as unknown as Record<string, unknown>;
  const releasePaths = RELEASE_FIELDS.filter((field) => field !== 'status' && !isEmpty(release[field])).map(
    (field) => fieldPath.release(field),
  );
  const tracks = readTracks(doc);
  const trackFieldPaths = tracks.flatMap((track) =>
    TRACK_SCALAR_FIELDS.filter((field) => !isEmpty(track[field])).map((field) =>
      fieldPath.trackField(track.id, field),
    ),
  );
  return {
    paths: [
      ...releasePaths,
      ...tracks.map((track) => fieldPath.track(track.id)),
      ...(readNotesText(doc) ? [fieldPath.notes] : []),
    ],
    values: recordedValues(doc, [...releasePaths, ...trackFieldPaths]),
  };
}

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
