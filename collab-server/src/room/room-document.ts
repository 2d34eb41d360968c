import * as Y from 'yjs';
import type { LoadedDocument } from '../store/document-store.js';
import type { LogItem, ReleaseHead } from '../store/dynamo-document-store.js';
import { keys } from '../store/table-layout.js';

/**
 * One release's document as a room holds it (ARCHITECTURE.md, "The room"): the stored state
 * plus what the room itself applied and queued for storing, with the log keys it reflects.
 * Rule: its `doc` never holds pending structs, and it is replaced, never repaired, when
 * something refused or unstored was applied to it.
 */
export class RoomDocument {
  /** Log keys applied to `doc` on top of the snapshot, with their sizes. */
  readonly applied = new Map<string, number>();
  /**
   * Log keys already in the snapshot another process compacted into, which the tail may still
   * show until that process deletes them: neither applied again nor counted towards compaction.
   */
  folded = new Set<string>();
  newestKey: string;
  /** Encoded size of `doc`, an upper bound: exact at load and compaction, plus what was applied since. */
  bytes: number;

  constructor(
    readonly doc: Y.Doc,
    public snapshotId: string | null,
    loaded: Pick<LoadedDocument, 'updateKeys' | 'updateSizes'>,
    bytes: number,
    readonly loadedAt: number,
  ) {
    for (const [i, key] of loaded.updateKeys.entries()) this.applied.set(key, loaded.updateSizes[i]!);
    // The log comes back in key order.
    this.newestKey = loaded.updateKeys.at(-1) ?? '';
    this.bytes = bytes;
  }

  static fromLoad(loaded: LoadedDocument, loadedAt: number): RoomDocument {
    // Exact once, at load; the room keeps it current from the updates it applies.
    const bytes = Y.encodeStateAsUpdate(loaded.doc).length;
    return new RoomDocument(loaded.doc, loaded.snapshotId, loaded, bytes, loadedAt);
  }

  get hasPending(): boolean {
    return this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
  }

  /** Notes a log item as reflected in `doc`. */
  record(key: string, size: number): void {
    this.applied.set(key, size);
    if (key > this.newestKey) this.newestKey = key;
  }

  /** Applies stored log items this document has not seen (other processes' commits). */
  applyTail(tail: readonly LogItem[]): void {
    const fresh = tail.filter((item) => !this.applied.has(item.key) && !this.folded.has(item.key));
    if (fresh.length === 0) return;
    const merged = Y.mergeUpdates(fresh.map((item) => item.data));
    Y.applyUpdate(this.doc, merged);
    this.bytes += merged.length;
    for (const item of fresh) this.record(item.key, item.data.length);
  }

  /**
   * Another process compacted: the document is the same, only where it is stored moved. Applying
   * the new snapshot brings in whatever it folded that this document had not seen. Log keys the
   * tail no longer shows are gone; those it still shows but the snapshot holds are being deleted
   * by the compacting process and are set aside as `folded` (counting them would make this
   * process compact again after half the updates).
   */
  moveToSnapshot(head: ReleaseHead, state: Uint8Array, tail: readonly LogItem[]): void {
    Y.applyUpdate(this.doc, state);
    this.snapshotId = head.snapshotId;
    const live = new Set(tail.map((item) => item.key));
    const snapshotState = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state));
    this.folded = new Set();
    for (const item of tail) if (isCoveredBy(item.data, snapshotState)) this.folded.add(item.key);
    for (const key of [...this.applied.keys()]) {
      if (!live.has(key) || this.folded.has(key)) this.applied.delete(key);
    }
    this.bytes = Math.max(this.bytes, state.length);
  }

  /** After this room's own compaction into `snapshotId` of exactly `foldedKeys`. */
  compactedInto(snapshotId: string, foldedKeys: readonly string[], stateBytes: number): void {
    this.snapshotId = snapshotId;
    for (const key of foldedKeys) this.applied.delete(key);
    // Deleted by the compaction just now; a tail read racing it must not apply them again.
    this.folded = new Set(foldedKeys);
    this.bytes = stateBytes;
  }

  /** The log key `overlapMs` before the newest one seen (keys start with their epoch ms). */
  tailStart(overlapMs: number): string {
    if (this.newestKey === '') return keys.updatePrefix;
    const epochMs = Number(this.newestKey.slice(keys.updatePrefix.length).split('#')[0]);
    return keys.update(Math.max(0, epochMs - overlapMs), '');
  }

  /** The document with the log keys it reflects (copies: a compaction deletes only what it saw). */
  logView(): LoadedDocument {
    return {
      doc: this.doc,
      snapshotId: this.snapshotId,
      updateKeys: [...this.applied.keys()],
      updateSizes: [...this.applied.values()],
    };
  }

  /** What compaction folds: the keys and state as of now (the caller holds no unstored edits). */
  foldable(): LoadedDocument & { state: Uint8Array } {
    return { ...this.logView(), state: Y.encodeStateAsUpdate(this.doc) };
  }
}

/**
 * Whether a snapshot with this state vector already holds every insertion of `update`. Updates
 * that only delete carry no clock range, so they never count as covered: at worst such a log
 * item is kept, counted and applied again (Yjs ignores what it has).
 */
function isCoveredBy(update: Uint8Array, snapshotState: Map<number, number>): boolean {
  const { to } = Y.parseUpdateMeta(update);
  if (to.size === 0) return false;
  for (const [client, clock] of to) if ((snapshotState.get(client) ?? 0) < clock) return false;
  return true;
}
