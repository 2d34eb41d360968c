import * as Y from 'yjs';
import { type LoadedDocument, type LogRecord, seqOf } from '../store/document-store.js';
import type { LogItem, ReleaseHead } from '../store/dynamo-document-store.js';

/**
 * One release's document as a room holds it (ARCHITECTURE.md, "The room"): the stored state up
 * to log item `seq`, plus what the room itself applied and queued for storing.
 * Rule: its `doc` never holds pending structs, and it is replaced, never repaired, when
 * something refused or unstored was applied to it.
 */
export class RoomDocument {
  /** The log items applied on top of the snapshot, in order (what compaction folds). */
  log: LogRecord[];
  /** The last log item `doc` reflects: the next commit is `seq + 1`. */
  seq: number;
  /** Encoded size of `doc`, an upper bound: exact at load and compaction, plus what was applied since. */
  bytes: number;

  constructor(
    readonly doc: Y.Doc,
    public snapshotId: string | null,
    public snapshotSeq: number,
    log: readonly LogRecord[],
    bytes: number,
    readonly loadedAt: number,
  ) {
    this.log = [...log];
    this.seq = seqOf({ snapshotSeq, log });
    this.bytes = bytes;
  }

  static fromLoad(loaded: LoadedDocument, loadedAt: number): RoomDocument {
    // Exact once, at load; the room keeps it current from the updates it applies.
    const bytes = Y.encodeStateAsUpdate(loaded.doc).length;
    return new RoomDocument(loaded.doc, loaded.snapshotId, loaded.snapshotSeq, loaded.log, bytes, loadedAt);
  }

  get hasPending(): boolean {
    return this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
  }

  /** Notes this room's own commit, stored as log item `record.seq`. */
  record(record: LogRecord): void {
    this.log.push(record);
    this.seq = record.seq;
  }

  /**
   * Applies other processes' commits: the items numbered `seq + 1` onwards, in order, none folded.
   * False (nothing applied) when they do not continue this document's log.
   */
  applyTail(tail: readonly LogItem[]): boolean {
    const fresh = tail.filter((item) => item.seq > this.seq);
    if (fresh.length === 0) return true;
    if (fresh.some((item, i) => item.data === null || item.seq !== this.seq + 1 + i)) return false;
    const merged = Y.mergeUpdates(fresh.map((item) => item.data!));
    Y.applyUpdate(this.doc, merged);
    this.bytes += merged.length;
    for (const { data: _, ...record } of fresh) this.log.push(record);
    this.seq = fresh.at(-1)!.seq;
    return true;
  }

  /**
   * Another process compacted into `head`'s snapshot. When it folded nothing beyond `seq`, the
   * document is the same, only where it is stored moved; otherwise `state` (that snapshot) brings
   * in what it folded that this document had not seen.
   */
  moveToSnapshot(head: ReleaseHead, state: Uint8Array | null): void {
    if (head.snapshotSeq > this.seq) {
      if (state === null) throw new Error('a snapshot beyond the document needs its state');
      Y.applyUpdate(this.doc, state);
      this.seq = head.snapshotSeq;
      this.bytes = Math.max(this.bytes, state.length);
    }
    this.snapshotId = head.snapshotId;
    this.snapshotSeq = head.snapshotSeq;
    this.log = this.log.filter((record) => record.seq > head.snapshotSeq);
  }

  /** After this room's own compaction of `folded` into `snapshotId`. */
  compactedInto(
    snapshotId: string,
    folded: Pick<LoadedDocument, 'snapshotSeq' | 'log'>,
    stateBytes: number,
  ): void {
    const snapshotSeq = seqOf(folded);
    this.snapshotId = snapshotId;
    this.snapshotSeq = snapshotSeq;
    this.log = this.log.filter((record) => record.seq > snapshotSeq);
    this.bytes = stateBytes;
  }

  /** The document with the log items it reflects (a copy: a compaction folds only what it saw). */
  logView(): LoadedDocument {
    return { doc: this.doc, snapshotId: this.snapshotId, snapshotSeq: this.snapshotSeq, log: [...this.log] };
  }

  /** What compaction folds: the log and state as of now (the caller holds no unstored edits). */
  foldable(): LoadedDocument & { state: Uint8Array } {
    return { ...this.logView(), state: Y.encodeStateAsUpdate(this.doc) };
  }
}
