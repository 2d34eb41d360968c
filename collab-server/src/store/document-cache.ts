import * as Y from 'yjs';
import type { LoadedDocument } from './document-store.js';
import type { DynamoDocumentStore, LogItem, ReleaseHead } from './dynamo-document-store.js';
import type { Grant } from './grant-store.js';
import { keys } from './table-layout.js';

export interface DocumentCacheOptions {
  /**
   * How far back of the newest log key seen each refresh reads again. A log key carries the
   * writer's clock at the start of its PutItem, so an update can become visible after one with
   * a later key; this covers that put latency and the clock skew between handler instances.
   */
  overlapMs: number;
  /** An entry older than this is reloaded in full, whatever a refresh would find. */
  maxAgeMs: number;
}

export const DEFAULT_DOCUMENT_CACHE_OPTIONS: DocumentCacheOptions = { overlapMs: 1_000, maxAgeMs: 10_000 };

/** A cached document with the grants of the users its caller asked about (null for none). */
export interface CachedRelease extends LoadedDocument {
  grants: ReadonlyMap<string, Grant | null>;
  /** The release's connection count version, read with the grants. */
  connectionsVersion: number;
}

interface Entry {
  doc: Y.Doc;
  snapshotId: string | null;
  /** Log keys applied to `doc` on top of the snapshot, with their sizes. */
  applied: Map<string, number>;
  /**
   * Log keys already in the snapshot another process compacted into, which the tail may still
   * show until that process deletes them: neither applied again nor counted towards compaction.
   */
  folded: Set<string>;
  newestKey: string;
  loadedAt: number;
  /** The refresh in progress, and the one queued behind it with the users its callers asked about. */
  running?: Promise<CachedRelease | null>;
  queued?: Promise<CachedRelease | null>;
  queuedUsers?: Set<string>;
}

/**
 * The documents this handler process has seen, kept between invocations so that an update costs
 * a read of the log's tail instead of the whole release (snapshot, log, two META reads and a
 * Yjs rebuild). Lambda keeps module state between invocations of a warm instance, and so do the
 * local gateway's workers; a cold instance just starts empty.
 *
 * A refresh also reads the grants of its callers' users, with the snapshot id in one request:
 * every update needs both, fresh (a role change applies to the next message).
 *
 * Consistency: a refresh reads the log after the newest key it has seen (less `overlapMs`) and,
 * at the same time, the snapshot id: two requests in parallel rather than one after the other,
 * on every update. If the id changed, the entry applies the new snapshot (`moveToSnapshot`). A
 * compaction that swapped the snapshot after the id was read and deleted log items before the
 * tail was read would hide those items from this one refresh (the next one sees the new id); an
 * update built on them is then answered as a missing dependency, which the client resends. An
 * update whose PutItem took longer than `overlapMs` may be missed by a tail read the same way:
 * the handler's view lags until the full reload after `maxAgeMs`; storage is unaffected, because
 * compaction deletes only keys it folded in. Opening a release (sync step 1) always loads in
 * full, and hands what it loaded to the cache (`adopt`); a join resync reads through the cache.
 *
 * The returned `doc` is shared by every invocation of this process: callers must not modify it,
 * and report their own stored updates with `appended`.
 */
export class DocumentCache {
  private readonly entries = new Map<string, Entry>();
  private readonly options: DocumentCacheOptions;

  constructor(
    private readonly store: DynamoDocumentStore,
    options: Partial<DocumentCacheOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_DOCUMENT_CACHE_OPTIONS, ...options };
  }

  /**
   * The current document, or null when the release does not exist, with `userId`'s grant in
   * `grants`. Every update stored before this call (within `overlapMs` of put latency) is in it,
   * and the grant is read after the call. Concurrent calls for one release share refreshes: one
   * runs, and the callers arriving meanwhile share the next one, which starts after theirs
   * arrived and reads all their users' grants.
   */
  load(releaseId: string, userId?: string): Promise<CachedRelease | null> {
    const users = userId === undefined ? [] : [userId];
    const entry = this.entries.get(releaseId);
    if (!entry || this.now() - entry.loadedAt > this.options.maxAgeMs) return this.reload(releaseId, users);
    if (!entry.running) return this.startRefresh(releaseId, entry, users);
    if (!entry.queued) {
      const queuedUsers = new Set<string>();
      const next = () => {
        entry.queued = undefined;
        entry.queuedUsers = undefined;
        return this.startRefresh(releaseId, entry, [...queuedUsers]);
      };
      entry.queuedUsers = queuedUsers;
      entry.queued = entry.running.then(next, next);
    }
    for (const user of users) entry.queuedUsers!.add(user);
    return entry.queued;
  }

  /** Records an update this process stored under `key`, so the next refresh need not read it. */
  appended(releaseId: string, key: string, update: Uint8Array): void {
    const entry = this.entries.get(releaseId);
    if (!entry || entry.applied.has(key)) return;
    Y.applyUpdate(entry.doc, update);
    record(entry, key, update.length);
  }

  /**
   * Keeps a document this process loaded in full anyway (a client opening the release), so the
   * first update after it needs only a refresh. An entry already held stays: it may have a
   * refresh running.
   */
  adopt(releaseId: string, loaded: LoadedDocument): void {
    const entry = this.entries.get(releaseId);
    if (entry && this.now() - entry.loadedAt <= this.options.maxAgeMs) return;
    this.evictStale();
    this.entries.set(releaseId, entryOf(loaded, this.now()));
  }

  /**
   * Compacts through the store and, when this process won, moves its entry onto the new snapshot
   * itself: the document did not change, only where it is stored, so no reload is due.
   */
  async compact(releaseId: string, loaded: LoadedDocument): Promise<string | null> {
    const snapshotId = await this.store.compact(releaseId, loaded);
    const entry = this.entries.get(releaseId);
    if (snapshotId !== null && entry?.snapshotId === loaded.snapshotId) {
      entry.snapshotId = snapshotId;
      for (const key of loaded.updateKeys) entry.applied.delete(key);
      // Deleted by the compaction just now; a tail read racing it must not apply them again.
      entry.folded = new Set(loaded.updateKeys);
    }
    return snapshotId;
  }

  /** The cached document as it stands, without reading anything (undefined when not cached). */
  peek(releaseId: string): Y.Doc | undefined {
    return this.entries.get(releaseId)?.doc;
  }

  private startRefresh(releaseId: string, entry: Entry, users: string[]): Promise<CachedRelease | null> {
    const running = this.refresh(releaseId, entry, users).finally(() => {
      if (entry.running === running) entry.running = undefined;
    });
    entry.running = running;
    return running;
  }

  private async reload(releaseId: string, users: string[]): Promise<CachedRelease | null> {
    // The grants need not come with this snapshot: both reads start after the call.
    const [loaded, head] = await Promise.all([
      this.store.load(releaseId),
      this.store.readHead(releaseId, users),
    ]);
    if (!loaded || !head) {
      this.entries.delete(releaseId);
      return null;
    }
    this.evictStale();
    const entry = entryOf(loaded, this.now());
    this.entries.set(releaseId, entry);
    return cachedRelease(entry, head);
  }

  /**
   * Drops entries past `maxAgeMs`: the next load of those releases reloads them in full anyway,
   * so a warm process handling many releases keeps only the ones in use.
   */
  private evictStale(): void {
    const now = this.now();
    for (const [releaseId, entry] of this.entries) {
      if (now - entry.loadedAt > this.options.maxAgeMs) this.entries.delete(releaseId);
    }
  }

  /** Releases held in memory (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  private async refresh(releaseId: string, entry: Entry, users: string[]): Promise<CachedRelease | null> {
    const [tail, head] = await Promise.all([
      this.store.readLogAfter(releaseId, this.overlapStart(entry)),
      this.store.readHead(releaseId, users),
    ]);
    if (head === undefined) {
      this.entries.delete(releaseId);
      return null;
    }
    if (this.entries.get(releaseId) !== entry) return this.reload(releaseId, users);
    if (head.snapshotId !== entry.snapshotId && !(await this.moveToSnapshot(releaseId, entry, head, tail))) {
      return this.reload(releaseId, users);
    }
    const fresh = tail.filter((item) => !entry.applied.has(item.key) && !entry.folded.has(item.key));
    if (fresh.length > 0) {
      Y.applyUpdate(entry.doc, Y.mergeUpdates(fresh.map((item) => item.data)));
      for (const item of fresh) record(entry, item.key, item.data.length);
    }
    return cachedRelease(entry, head);
  }

  /**
   * Another process compacted: the document is the same, only where it is stored moved. Applying
   * the new snapshot (one read) brings in whatever it folded that this entry had not seen. Log
   * keys the tail no longer shows are gone. Those it still shows but the snapshot holds are being
   * deleted by the compacting process: counting them would make this process compact again after
   * half the updates, so they are set aside as `folded`. The rest stay for this process's own
   * compactions to delete. (Older unfolded keys forgotten here stay in the log, where the next
   * full load finds them.) False when the snapshot cannot be read; the caller reloads.
   */
  private async moveToSnapshot(
    releaseId: string,
    entry: Entry,
    head: ReleaseHead,
    tail: readonly LogItem[],
  ): Promise<boolean> {
    if (head.snapshotId === null) return false;
    const state = await this.store.readSnapshot(releaseId, head.snapshotId, head.snapshotChunks);
    if (state === null || this.entries.get(releaseId) !== entry) return false;
    Y.applyUpdate(entry.doc, state);
    entry.snapshotId = head.snapshotId;
    const live = new Set(tail.map((item) => item.key));
    const snapshotState = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state));
    entry.folded = new Set();
    for (const item of tail) {
      if (isCoveredBy(item.data, snapshotState)) entry.folded.add(item.key);
    }
    for (const key of entry.applied.keys()) {
      if (!live.has(key) || entry.folded.has(key)) entry.applied.delete(key);
    }
    return true;
  }

  /** The log key `overlapMs` before the newest one seen (keys start with their epoch ms). */
  private overlapStart(entry: Entry): string {
    if (entry.newestKey === '') return keys.updatePrefix;
    const epochMs = Number(entry.newestKey.slice(keys.updatePrefix.length).split('#')[0]);
    return keys.update(Math.max(0, epochMs - this.options.overlapMs), '');
  }
}

function entryOf(loaded: LoadedDocument, loadedAt: number): Entry {
  return {
    doc: loaded.doc,
    snapshotId: loaded.snapshotId,
    applied: new Map(loaded.updateKeys.map((key, i) => [key, loaded.updateSizes[i]!])),
    folded: new Set(),
    // The log comes back in key order.
    newestKey: loaded.updateKeys.at(-1) ?? '',
    loadedAt,
  };
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

/** Notes a log item as applied to the entry's document. */
function record(entry: Entry, key: string, size: number): void {
  entry.applied.set(key, size);
  if (key > entry.newestKey) entry.newestKey = key;
}

function cachedRelease(entry: Entry, head: ReleaseHead): CachedRelease {
  return { ...view(entry), grants: head.grants, connectionsVersion: head.connectionsVersion };
}

/** What the caller may keep: the key list is a copy, so compaction deletes only what it saw. */
function view(entry: Entry): LoadedDocument {
  return {
    doc: entry.doc,
    snapshotId: entry.snapshotId,
    updateKeys: [...entry.applied.keys()],
    updateSizes: [...entry.applied.values()],
  };
}
