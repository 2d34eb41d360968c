import { randomId, readReleaseFields, setReleaseField } from '@patchline/shared';
import { expect } from 'vitest';
import * as Y from 'yjs';
import { connectRelease, waitForDoc } from './release-client.js';
import type { TestStack } from './test-stack.js';

/** What DynamoDB holds for a release: its encoded state, the log keys and the snapshot id. */
export interface StoredState {
  state: Uint8Array;
  updateKeys: string[];
  snapshotId: string | null;
}

export async function storedState(stack: TestStack, releaseId: string): Promise<StoredState> {
  const loaded = await stack.stores.documents.load(releaseId);
  if (!loaded) throw new Error(`release ${releaseId} is not stored`);
  return {
    state: Y.encodeStateAsUpdate(loaded.doc),
    updateKeys: loaded.log.map((record) => record.key),
    snapshotId: loaded.snapshotId,
  };
}

/**
 * Two well-behaved clients (an editor and a manager, through the client factory) connected to
 * a release while a test misbehaves beside them. `proveServing` then shows the server still
 * serves the release: an edit from one is stored and reaches the other.
 */
export async function openBystanders(
  stack: TestStack,
  releaseId: string,
  tokens: { writer: string; reader: string },
) {
  const writer = connectRelease(stack.config.websocketUrl, releaseId, tokens.writer);
  const reader = connectRelease(stack.config.websocketUrl, releaseId, tokens.reader);
  await Promise.all([writer.whenSynced(), reader.whenSynced()]);
  return {
    writer,
    reader,
    async proveServing(): Promise<void> {
      const version = `Still serving ${randomId(8)}`;
      setReleaseField(writer.doc, 'version', version);
      await waitForDoc(reader.doc, (doc) => readReleaseFields(doc).version === version);
      // The server stores an update before it sends it on (ST1), so it is in DynamoDB by now.
      const stored = (await stack.stores.documents.load(releaseId))!.doc;
      expect(readReleaseFields(stored).version).toBe(version);
    },
  };
}
