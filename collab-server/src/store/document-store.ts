import type * as Y from 'yjs';

/** Who made one commit and what it touched (ARCHITECTURE.md, "Storage"): small, kept when folded. */
export interface CommitRecord {
  /** User ids whose updates the commit holds (`system` for the server's own edits). */
  by: string[];
  /** Field paths it changed (PROTOCOL.md, "Field paths"), at most MAX_RECORDED_PATHS. */
  paths: string[];
  /** Small values of scalar fields among `paths` after the commit (`recordedValues`), if any. */
  values?: Record<string, unknown>;
}

/** One item of the log as stored. */
export interface LogRecord extends CommitRecord {
  /** Its sequence number; 0 for an item written before sequence numbers. */
  seq: number;
  key: string;
  /** Epoch ms of the commit. */
  at: number;
  /** Bytes of its update. */
  bytes: number;
}

/** A release document as loaded from storage, with what compaction needs to know. */
export interface LoadedDocument {
  doc: Y.Doc;
  snapshotId: string | null;
  /** The last sequence number the snapshot holds (0 when it holds none). */
  snapshotSeq: number;
  /** The log items applied on top of the snapshot, in order. */
  log: LogRecord[];
}

/** The last sequence number a loaded document reflects. */
export const seqOf = (loaded: { snapshotSeq: number; log: readonly LogRecord[] }): number =>
  Math.max(loaded.snapshotSeq, ...loaded.log.map((record) => record.seq));

/** Summary fields mirrored into the release's metadata for listings. */
export interface ReleaseSummary {
  title?: string;
  displayArtist?: string;
  status?: string;
}
