import type * as Y from 'yjs';

/** A release document as loaded from storage, with what compaction needs to know. */
export interface LoadedDocument {
  doc: Y.Doc;
  snapshotId: string | null;
  /** Sort keys of the log items applied on top of the snapshot. */
  updateKeys: string[];
  /** Bytes of each of those log items, in the order of `updateKeys`. */
  updateSizes: number[];
}

/** Summary fields mirrored into the release's metadata for listings. */
export interface ReleaseSummary {
  title?: string;
  displayArtist?: string;
  status?: string;
}

/**
 * Where release documents live. Every method is safe to call from several handler processes
 * at once (ST1–ST4 in dynamo-document-store.ts).
 */
export interface DocumentStore {
  /** The current document, or null when the release does not exist. */
  load(releaseId: string): Promise<LoadedDocument | null>;
  /** Appends one accepted update and refreshes the listing metadata (ST1). */
  append(releaseId: string, update: Uint8Array, summary?: ReleaseSummary): Promise<void>;
  /** Appends one accepted update; it is durable when the promise resolves with its log key (ST1). */
  appendUpdate(releaseId: string, update: Uint8Array): Promise<string>;
  /** Refreshes the listing metadata (`updatedAt`, mirrored fields). */
  touch(releaseId: string, summary?: ReleaseSummary): Promise<void>;
  /**
   * Folds the loaded log into a new snapshot and resolves with its id; null when another handler
   * won the race (ST3).
   */
  compact(releaseId: string, loaded: LoadedDocument): Promise<string | null>;
  /** Whether `loaded` has grown past the compaction thresholds. */
  needsCompaction(loaded: LoadedDocument, documentBytes?: number): boolean;
}
