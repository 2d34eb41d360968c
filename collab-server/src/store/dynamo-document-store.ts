import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { instantiateRoots, randomId } from '@patchline/shared';
import * as Y from 'yjs';
import type { DocumentStore, LoadedDocument, ReleaseSummary } from './document-store.js';
import type { StoreClient } from './dynamo-client.js';
import { type Grant, grantFromItem } from './grant-store.js';
import { getItems, MAX_BATCH_GET_KEYS, putItem } from './hot-path.js';
import { queryAll, queryPrefix } from './query-all.js';
import { StoreError, StoreErrorReason } from './store-errors.js';
import { keys } from './table-layout.js';

export interface DocumentStoreLimits {
  /** Snapshot chunk size: below DynamoDB's 400 KB item limit with room for keys. */
  snapshotChunkBytes: number;
  /** Compact once the log holds this many updates… */
  compactAfterUpdates: number;
  /** …or this many bytes. */
  compactAfterBytes: number;
  /** Load retries when a compaction swaps the snapshot mid-read. */
  loadAttempts: number;
  /** How long one handler's claim on compacting a release lasts (it ends early on success). */
  compactionLeaseMs: number;
}

export const DEFAULT_DOCUMENT_STORE_LIMITS: DocumentStoreLimits = {
  snapshotChunkBytes: 300 * 1024,
  compactAfterUpdates: 100,
  compactAfterBytes: 256 * 1024,
  loadAttempts: 10,
  compactionLeaseMs: 30_000,
};

interface MetaItem {
  snapshotId?: string;
  snapshotChunks?: number;
  connectionsVersion?: number;
}
/** `readHead` stays one BatchGetItem, META being one of its keys. */
const MAX_HEAD_GRANTS = MAX_BATCH_GET_KEYS - 1;

/** What `readHead` reads. */
export interface ReleaseHead {
  snapshotId: string | null;
  snapshotChunks: number;
  /** Bumped by every new connection (ConnectionStore.put). */
  connectionsVersion: number;
  grants: ReadonlyMap<string, Grant | null>;
}

/** One accepted update of the log. */
export interface LogItem {
  key: string;
  data: Uint8Array;
}
interface BinaryItem {
  SK: string;
  data: Uint8Array;
}

const toBytes = (value: unknown): Uint8Array =>
  value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer);

/**
 * Documents as a snapshot plus an append-only log, without transactions (dynalite has none):
 * - ST1 an accepted update is one PutItem, durable before it is broadcast;
 * - ST2 loading reads META, the snapshot and the log, then re-reads META and retries if a
 *   compaction committed meanwhile (it may already have deleted log items we relied on);
 * - ST3 compaction writes a snapshot under a fresh id, swaps META with a conditional write,
 *   and only then deletes exactly the log items it folded in: updates written meanwhile stay
 *   in the log and are applied on the next load (Yjs updates are idempotent).
 */
export class DynamoDocumentStore implements DocumentStore {
  readonly limits: DocumentStoreLimits;

  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
    limits: Partial<DocumentStoreLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_DOCUMENT_STORE_LIMITS, ...limits };
  }

  /** Writes a new release's first snapshot and metadata; fails if the release exists. */
  async create(releaseId: string, doc: Y.Doc, meta: Record<string, unknown>): Promise<void> {
    const snapshotId = randomId(12);
    const chunks = await this.writeSnapshot(releaseId, snapshotId, Y.encodeStateAsUpdate(doc));
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...meta, PK: keys.release(releaseId), SK: keys.meta, snapshotId, snapshotChunks: chunks },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      await this.deleteSnapshot(releaseId, snapshotId, chunks);
      if (error instanceof ConditionalCheckFailedException) {
        throw new StoreError(StoreErrorReason.alreadyExists, `release ${releaseId} exists`);
      }
      throw error;
    }
  }

  async load(releaseId: string): Promise<LoadedDocument | null> {
    for (let attempt = 0; attempt < this.limits.loadAttempts; attempt++) {
      const meta = await this.readMeta(releaseId);
      if (!meta) return null;
      const [snapshot, updates] = await Promise.all([
        meta.snapshotId
          ? this.readSnapshot(releaseId, meta.snapshotId, meta.snapshotChunks ?? 0)
          : new Uint8Array(0),
        queryPrefix<BinaryItem>(this.client, this.tableName, keys.release(releaseId), keys.updatePrefix),
      ]);
      if (snapshot === null || (await this.readMeta(releaseId))?.snapshotId !== meta.snapshotId) {
        // A compaction swapped the snapshot mid-read; back off a little so it can finish.
        await new Promise((resolve) => setTimeout(resolve, 5 * (attempt + 1)));
        continue;
      }

      const parts = [snapshot, ...updates.map((u) => toBytes(u.data))].filter((part) => part.length > 0);
      const doc = new Y.Doc();
      instantiateRoots(doc);
      if (parts.length > 0) Y.applyUpdate(doc, parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts));
      return {
        doc,
        snapshotId: meta.snapshotId ?? null,
        updateKeys: updates.map((u) => u.SK),
        updateSizes: updates.map((u) => toBytes(u.data).length),
      };
    }
    throw new StoreError(StoreErrorReason.contention, `release ${releaseId} kept changing while loading`);
  }

  async append(releaseId: string, update: Uint8Array, summary: ReleaseSummary = {}): Promise<void> {
    await this.appendUpdate(releaseId, update);
    await this.touch(releaseId, summary);
  }

  /**
   * The durable part of `append` (ST1): once this resolves the update may be broadcast.
   * Resolves with the log item's sort key.
   */
  async appendUpdate(releaseId: string, update: Uint8Array): Promise<string> {
    const sortKey = keys.update(this.now(), randomId(8));
    await putItem(this.client.lowLevel, this.tableName, {
      PK: keys.release(releaseId),
      SK: sortKey,
      data: update,
    });
    return sortKey;
  }

  /** Log items whose sort key is above `afterKey`, oldest first (no META, no snapshot). */
  async readLogAfter(releaseId: string, afterKey: string): Promise<LogItem[]> {
    const items = await queryAll<BinaryItem>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :after AND :end',
      ExpressionAttributeValues: {
        ':pk': keys.release(releaseId),
        ':after': afterKey,
        ':end': keys.updateLogEnd,
      },
      ConsistentRead: true,
    });
    return items
      .filter((item) => item.SK !== afterKey)
      .map((item) => ({ key: item.SK, data: toBytes(item.data) }));
  }

  /**
   * The release's current snapshot id (null before the first compaction) and the grants of
   * `userIds` (null for none), in one consistent BatchGetItem; undefined when the release is gone.
   */
  async readHead(releaseId: string, userIds: readonly string[]): Promise<ReleaseHead | undefined> {
    const pk = keys.release(releaseId);
    const wanted = [...new Set(userIds)].slice(0, MAX_HEAD_GRANTS);
    const items = await getItems(this.client.lowLevel, this.tableName, [
      { PK: pk, SK: keys.meta },
      ...wanted.map((userId) => ({ PK: pk, SK: keys.grant(userId) })),
    ]);
    const meta = items.find((item) => item.SK === keys.meta) as MetaItem | undefined;
    if (!meta) return undefined;
    const grants = new Map<string, Grant | null>(wanted.map((userId) => [userId, null]));
    for (const item of items) {
      if (item.SK !== keys.meta) {
        const grant = grantFromItem(item);
        grants.set(grant.userId, grant);
      }
    }
    return {
      snapshotId: meta.snapshotId ?? null,
      snapshotChunks: meta.snapshotChunks ?? 0,
      connectionsVersion: meta.connectionsVersion ?? 0,
      grants,
    };
  }

  /**
   * A snapshot's state, its chunks read by key; null when any chunk is gone (a later compaction
   * replaced the snapshot and deleted it).
   */
  async readSnapshot(releaseId: string, snapshotId: string, chunks: number): Promise<Uint8Array | null> {
    if (chunks < 1) return null;
    const pk = keys.release(releaseId);
    const chunkKeys = Array.from({ length: chunks }, (_, i) => ({
      PK: pk,
      SK: keys.snapshotChunk(snapshotId, i),
    }));
    const items = (await getItems(
      this.client.lowLevel,
      this.tableName,
      chunkKeys,
    )) as unknown as BinaryItem[];
    if (items.length !== chunks) return null;
    items.sort((a, b) => (a.SK < b.SK ? -1 : 1));
    return joinBytes(items.map((item) => toBytes(item.data)));
  }

  /** Mirrors `updatedAt` and summary fields into the release metadata (listings only). */
  async touch(releaseId: string, summary: ReleaseSummary = {}): Promise<void> {
    const fields = Object.entries({ ...summary, updatedAt: new Date(this.now()).toISOString() }).filter(
      ([, v]) => v !== undefined,
    );
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.meta },
        UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:v${i}`, value])),
      }),
    );
  }

  /**
   * Whether the log should be folded. A compaction rewrites the whole document, so the number of
   * updates it waits for grows with the document (one more `compactAfterUpdates` per
   * `compactAfterBytes` of document): the cost of compacting, spread over the updates that led
   * to it, stays the same per update whatever the document's size. `documentBytes` defaults to
   * none (a small document).
   */
  needsCompaction(loaded: LoadedDocument, documentBytes = 0): boolean {
    const scale = Math.max(1, documentBytes / this.limits.compactAfterBytes);
    return (
      loaded.updateKeys.length >= this.limits.compactAfterUpdates * scale ||
      loaded.updateSizes.reduce((sum, size) => sum + size, 0) >= this.limits.compactAfterBytes * scale
    );
  }

  /**
   * `loaded.state`, when given, is the document's state encoded when `updateKeys` were taken: a
   * room whose document moves on meanwhile passes it, so the snapshot holds exactly those keys.
   */
  async compact(releaseId: string, loaded: LoadedDocument & { state?: Uint8Array }): Promise<string | null> {
    const state = loaded.state ?? Y.encodeStateAsUpdate(loaded.doc);
    if (!(await this.claimCompaction(releaseId, loaded.snapshotId))) return null;
    const snapshotId = randomId(12);
    const chunks = await this.writeSnapshot(releaseId, snapshotId, state);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(releaseId), SK: keys.meta },
          UpdateExpression:
            'SET snapshotId = :new, snapshotChunks = :chunks, compactedAt = :now REMOVE compactingUntil',
          ConditionExpression:
            loaded.snapshotId === null ? 'attribute_not_exists(snapshotId)' : 'snapshotId = :old',
          ExpressionAttributeValues: {
            ':new': snapshotId,
            ':chunks': chunks,
            ':now': new Date(this.now()).toISOString(),
            ...(loaded.snapshotId === null ? {} : { ':old': loaded.snapshotId }),
          },
        }),
      );
    } catch (error) {
      await this.deleteSnapshot(releaseId, snapshotId, chunks);
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
    const pk = keys.release(releaseId);
    await this.deleteKeys(pk, loaded.updateKeys);
    if (loaded.snapshotId) {
      const old = await queryPrefix<BinaryItem>(
        this.client,
        this.tableName,
        pk,
        keys.snapshotPrefix(loaded.snapshotId),
      );
      await this.deleteKeys(
        pk,
        old.map((item) => item.SK),
      );
    }
    return snapshotId;
  }

  /**
   * Takes a short lease on compacting this release, so under load one handler encodes and writes
   * a snapshot while the others skip, instead of all writing one and all but one deleting it.
   * Fails fast when the snapshot already moved on. The lease expires by itself if its holder dies.
   */
  private async claimCompaction(releaseId: string, snapshotId: string | null): Promise<boolean> {
    const now = this.now();
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(releaseId), SK: keys.meta },
          UpdateExpression: 'SET compactingUntil = :until',
          ConditionExpression: `(attribute_not_exists(compactingUntil) OR compactingUntil < :now) AND ${
            snapshotId === null ? 'attribute_not_exists(snapshotId)' : 'snapshotId = :old'
          }`,
          ExpressionAttributeValues: {
            ':until': now + this.limits.compactionLeaseMs,
            ':now': now,
            ...(snapshotId === null ? {} : { ':old': snapshotId }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async readMeta(releaseId: string): Promise<MetaItem | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.meta },
        ConsistentRead: true,
        ProjectionExpression: 'snapshotId, snapshotChunks',
      }),
    );
    return (Item as MetaItem | undefined) ?? null;
  }

  private async writeSnapshot(releaseId: string, snapshotId: string, state: Uint8Array): Promise<number> {
    const size = this.limits.snapshotChunkBytes;
    const count = Math.max(1, Math.ceil(state.length / size));
    const items = Array.from({ length: count }, (_, i) => ({
      PK: keys.release(releaseId),
      SK: keys.snapshotChunk(snapshotId, i),
      data: state.subarray(i * size, (i + 1) * size),
    }));
    // One chunk per PutItem: a batch of 300 KB items would exceed BatchWrite's 16 MB only at
    // 50+ chunks, but single puts keep the failure unit small and ordering simple.
    for (const item of items)
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
    return count;
  }

  private async deleteSnapshot(releaseId: string, snapshotId: string, chunks: number): Promise<void> {
    const pk = keys.release(releaseId);
    await this.deleteKeys(
      pk,
      Array.from({ length: chunks }, (_, i) => keys.snapshotChunk(snapshotId, i)),
    );
  }

  /**
   * Deletes in batches of DELETE_BATCH_ITEMS, one batch after another. The store serves the
   * release's editors meanwhile, and takes a batch's items all at once (dynalite does): updates
   * that arrive behind a batch of 25, BatchWriteItem's maximum, wait out all of it. DynamoDB
   * bills per item, so smaller batches cost only requests.
   */
  private async deleteKeys(pk: string, sortKeys: readonly string[]): Promise<void> {
    for (let i = 0; i < sortKeys.length; i += DELETE_BATCH_ITEMS) {
      let requests: Record<string, unknown>[] | undefined = sortKeys
        .slice(i, i + DELETE_BATCH_ITEMS)
        .map((sk) => ({ DeleteRequest: { Key: { PK: pk, SK: sk } } }));
      // BatchWrite may hand back unprocessed items under load; retry them until done.
      while (requests && requests.length > 0) {
        const result = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = result.UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined;
      }
    }
  }
}

const DELETE_BATCH_ITEMS = 10;

function joinBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
