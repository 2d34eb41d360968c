import { clearDocument, IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

/**
 * Offline copy of a release sheet in IndexedDB (y-indexeddb), so edits made without a network
 * survive a closed tab and sync on the next visit (README.md, "The web app"). One store per user and
 * release: another account signing in on the same browser never inherits someone's edits.
 */
export const offlineStoreName = (sub: string, releaseId: string) => `patchline:${sub}:${releaseId}`;

/** Give up waiting for IndexedDB after this long and go online without it (a blocked database). */
const LOAD_TIMEOUT_MS = 3_000;

export interface OfflineStore {
  /** Resolves once stored edits are in the document (or IndexedDB is unusable). */
  whenLoaded: Promise<void>;
  /** Stops writing to the store and keeps its content. */
  close(): Promise<void>;
  /** Stops writing and deletes the store: for a document replaced after a refused edit. */
  discard(): Promise<void>;
}

const isIndexedDbAvailable = () => typeof indexedDB !== 'undefined';

export function openOfflineStore(name: string, doc: Y.Doc): OfflineStore {
  if (!isIndexedDbAvailable()) {
    return { whenLoaded: Promise.resolve(), close: async () => {}, discard: async () => {} };
  }
  let persistence: IndexeddbPersistence | null = null;
  try {
    persistence = new IndexeddbPersistence(name, doc);
  } catch {
    persistence = null;
  }
  const loaded = persistence ? persistence.whenSynced.then(() => undefined) : Promise.resolve();
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, LOAD_TIMEOUT_MS));
  return {
    whenLoaded: Promise.race([loaded, timeout]),
    close: async () => {
      await persistence?.destroy().catch(() => undefined);
    },
    discard: async () => {
      await persistence?.destroy().catch(() => undefined);
      await Promise.resolve(clearDocument(name)).catch(() => undefined);
    },
  };
}
