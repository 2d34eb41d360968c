import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { instantiateRoots, randomId } from '@patchline/shared';
import * as Y from 'yjs';
import {
  type CommitRecord,
  type LoadedDocument,
  type LogRecord,
  type ReleaseSummary,
  seqOf,
} from './document-store.js';
import type { StoreClient } from './dynamo-client.js';
import { type Grant, grantFromItem } from './grant-store.js';
import { attributionItems } from './history-store.js';
import { getItems, MAX_BATCH_GET_KEYS, putNewItem } from './hot-path.js';
import { type LabelGroupRecord, recordFromItem } from './label-group-store.js';
import { queryAll, queryPrefix } from './query-all.js';
import { StoreError, StoreErrorReason } from './store-errors.js';
import { epochSeconds, keys } from './table-layout.js';

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
  snapshotSeq?: number;
  connectionsVersion?: number;
}
/** `readHead` stays one BatchGetItem: META, and a grant and a label-group record per user. */
const MAX_HEAD_USERS = Math.floor((MAX_BATCH_GET_KEYS - 1) / 2);
/** A commit records at most this many field paths (an import may touch thousands). */
export const MAX_RECORDED_PATHS = 200;
/**
 * How long a folded log item keeps its key (ST3): longer than any handler invocation can last
 * (Lambda stops one after 15 minutes at most), so no commit still under way can take its
 * sequence number again.
 */
const FOLDED_ITEM_LIFETIME_S = 3_600;

/** What `readHead` reads. */
export interface ReleaseHead {
  snapshotId: string | null;
  snapshotChunks: number;
  snapshotSeq: number;
  /** Bumped by every new connection (ConnectionStore.put). */
  connectionsVersion: number;
  grants: ReadonlyMap<string, Grant | null>;
  /** The label groups an admin set for each of the users (null: never set, the token's apply). */
  labelGroups: ReadonlyMap<string, LabelGroupRecord | null>;
}

/** One log item read after a sequence number: `data` is null when it was folded meanwhile. */
export interface LogItem extends LogRecord {
  data: Uint8Array | null;
}
interface StoredLogItem {
  SK: string;
  data?: Uint8Array;
  by?: string[];
  paths?: string[];
  /** `CommitRecord.values` as JSON (absent when none). */
  vals?: string;
  at?: number;
}

const toBytes = (value: unknown): Uint8Array =>
  value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer);

const seqOfKey = (key: string): number =>
  key.startsWith(keys.logPrefix) ? Number(key.slice(keys.logPrefix.length)) : 0;

function logItemOf(item: StoredLogItem): LogItem {
  const data = item.data === undefined ? null : toBytes(item.data);
  return {
    seq: seqOfKey(item.SK),
    key: item.SK,
    at: Number(item.at ?? 0),
    bytes: data?.length ?? 0,
    by: item.by ?? [],
    paths: item.paths ?? [],
    ...(item.vals ? { values: JSON.parse(item.vals) as Record<string, unknown> } : {}),
    data,
  };
}

/** A commit's recorded values as stored: JSON (any value, empty strings included), or nothing. */
export const storedValues = (values: Record<string, unknown> | undefined) =>
  values && Object.keys(values).length > 0 ? { vals: JSON.stringify(values) } : {};

/**
 * Documents as a snapshot plus a log of numbered commits, without transactions (dynalite has
 * none) (ARCHITECTURE.md, "Storage"):
 * - ST1 a commit is one conditional PutItem of log item `seq`, made by a writer that has read
 *   every item before `seq`: the first writer of a number wins, the others read what it stored
 *   and try the next one. So the log is one order of commits, each built on all before it, and
 *   a commit is durable before it is broadcast.
 * - ST2 loading reads META, the snapshot and the log after it, then re-reads META and retries
 *   if a compaction committed meanwhile (it may already have folded log items we relied on).
 * - ST3 compaction writes a snapshot of everything up to a sequence number under a fresh id and
 *   the folded items' records as attribution items (`HIST#`, kept for good: history-store.ts),
 *   swaps META with a conditional write, and only then folds those log items: each keeps its
 *   key and record but loses its update, and expires after FOLDED_ITEM_LIFETIME_S, so a
 *   number once used is never written again.
 */
export class DynamoDocumentStore {
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
  /**
   * Stores a new release: its document as the first snapshot (sequence 0) and META. `createdBy`
   * is the seed's record, kept as history's first entry (`HIST#…0#…0`, history-store.ts).
   */
  async create(
    releaseId: string,
    doc: Y.Doc,
    createdBy: (CommitRecord & { at: number }) | null,
    meta: Record<string, unknown>,
  ): Promise<void> {
    const snapshotId = randomId(12);
    const chunks = await this.writeSnapshot(releaseId, snapshotId, Y.encodeStateAsUpdate(doc));
    if (createdBy && createdBy.paths.length > 0) {
      const record: LogRecord = {
        ...createdBy,
        paths: createdBy.paths.slice(0, MAX_RECORDED_PATHS),
        seq: 0,
        key: '',
        bytes: 0,
      };
      await this.writeBatches(
        attributionItems(keys.release(releaseId), [record]).map((Item) => ({ PutRequest: { Item } })),
      );
    }
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...meta,
            PK: keys.release(releaseId),
            SK: keys.meta,
            snapshotId,
            snapshotChunks: chunks,
            snapshotSeq: 0,
          },
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

  /** The current document, or null when the release does not exist (ST2). */
  async load(releaseId: string): Promise<LoadedDocument | null> {
    const pk = keys.release(releaseId);
    for (let attempt = 0; attempt < this.limits.loadAttempts; attempt++) {
      const meta = await this.readMeta(releaseId);
      if (!meta) return null;
      const snapshotSeq = meta.snapshotSeq ?? 0;
      const [snapshot, legacy, log] = await Promise.all([
        meta.snapshotId
          ? this.readSnapshot(releaseId, meta.snapshotId, meta.snapshotChunks ?? 0)
          : new Uint8Array(0),
        queryPrefix<StoredLogItem>(this.client, this.tableName, pk, keys.legacyUpdatePrefix),
        this.readLogAfter(releaseId, snapshotSeq),
      ]);
      const items = [...legacy.map(logItemOf), ...log];
      if (
        snapshot === null ||
        items.some((item) => item.data === null) ||
        (await this.readMeta(releaseId))?.snapshotId !== meta.snapshotId
      ) {
        // A compaction swapped the snapshot mid-read; back off a little so it can finish.
        await new Promise((resolve) => setTimeout(resolve, 5 * (attempt + 1)));
        continue;
      }
      const parts = [snapshot, ...items.map((item) => item.data!)].filter((part) => part.length > 0);
      const doc = new Y.Doc();
      instantiateRoots(doc);
      if (parts.length > 0) Y.applyUpdate(doc, parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts));
      return {
        doc,
        snapshotId: meta.snapshotId ?? null,
        snapshotSeq,
        log: items.map(({ data: _, ...record }) => record),
      };
    }
    throw new StoreError(StoreErrorReason.contention, `release ${releaseId} kept changing while loading`);
  }

  /**
   * Stores a commit as log item `seq` (ST1); false when another commit has that number. The
   * caller must have read every item before `seq`. Durable once this resolves with the record.
   */
  async appendAt(
    releaseId: string,
    seq: number,
    update: Uint8Array,
    commit: CommitRecord,
  ): Promise<LogRecord | null> {
    const record: LogRecord = {
      seq,
      key: keys.log(seq),
      at: this.now(),
      bytes: update.length,
      by: commit.by,
      paths: commit.paths.slice(0, MAX_RECORDED_PATHS),
      ...(commit.values ? { values: commit.values } : {}),
    };
    const isStored = await putNewItem(this.client.lowLevel, this.tableName, {
      PK: keys.release(releaseId),
      SK: record.key,
      data: update,
      at: record.at,
      by: record.by,
      paths: record.paths,
      ...storedValues(record.values),
    });
    return isStored ? record : null;
  }

  /**
   * Stores an update under the next free number, whatever the log holds (server code outside a
   * room: seeding, tests, benchmarks). Resolves with its sequence number.
   */
  async append(releaseId: string, update: Uint8Array): Promise<number> {
    for (;;) {
      const seq = (await this.lastSeq(releaseId)) + 1;
      if (await this.appendAt(releaseId, seq, update, { by: [], paths: [] })) {
        await this.touch(releaseId);
        return seq;
      }
    }
  }

  /**
   * Stores updates as the next log items, in batch writes without conditions: for seeding and
   * benchmarks only, where no room writes the release meanwhile (a concurrent commit could be
   * overwritten, and a reader would see the gaps of batches still in flight).
   */
  async appendAll(releaseId: string, updates: readonly Uint8Array[]): Promise<void> {
    const first = (await this.lastSeq(releaseId)) + 1;
    const at = this.now();
    await this.writeBatches(
      updates.map((update, i) => ({
        PutRequest: {
          Item: { PK: keys.release(releaseId), SK: keys.log(first + i), data: update, at, by: [], paths: [] },
        },
      })),
    );
    await this.touch(releaseId);
  }

  /**
   * The highest sequence number taken: the snapshot's, or the last item after it (folded items
   * are all at or below it). Read forwards from the snapshot: a store may keep folded items.
   */
  async lastSeq(releaseId: string): Promise<number> {
    const snapshotSeq = (await this.readMeta(releaseId))?.snapshotSeq ?? 0;
    const after = await queryAll<StoredLogItem>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :end',
      ExpressionAttributeValues: {
        ':pk': keys.release(releaseId),
        ':from': keys.log(snapshotSeq + 1),
        ':end': keys.logEnd,
      },
      ProjectionExpression: 'SK',
      ConsistentRead: true,
    });
    return after.length > 0 ? seqOfKey(after.at(-1)!.SK) : snapshotSeq;
  }

  /** Log items numbered above `seq`, in order; folded ones come back with `data: null`. */
  async readLogAfter(releaseId: string, seq: number): Promise<LogItem[]> {
    const items = await queryAll<StoredLogItem>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :end',
      ExpressionAttributeValues: {
        ':pk': keys.release(releaseId),
        ':from': keys.log(seq + 1),
        ':end': keys.logEnd,
      },
      ConsistentRead: true,
    });
    return items.map(logItemOf);
  }

  /**
   * The release's current snapshot, and the grants and label-group records of `userIds` (null
   * for none), in one consistent BatchGetItem; undefined when the release is gone.
   */
  async readHead(releaseId: string, userIds: readonly string[]): Promise<ReleaseHead | undefined> {
    const pk = keys.release(releaseId);
    const wanted = [...new Set(userIds)].slice(0, MAX_HEAD_USERS);
    const items = await getItems(this.client.lowLevel, this.tableName, [
      { PK: pk, SK: keys.meta },
      ...wanted.flatMap((userId) => [
        { PK: pk, SK: keys.grant(userId) },
        { PK: keys.user(userId), SK: keys.labelGroups },
      ]),
    ]);
    const meta = items.find((item) => item.PK === pk && item.SK === keys.meta) as MetaItem | undefined;
    if (!meta) return undefined;
    const grants = new Map<string, Grant | null>(wanted.map((userId) => [userId, null]));
    const labelGroups = new Map<string, LabelGroupRecord | null>(wanted.map((userId) => [userId, null]));
    for (const item of items) {
      if (item.SK === keys.labelGroups) {
        const record = recordFromItem(item);
        labelGroups.set(record.userId, record);
      } else if (item.SK !== keys.meta) {
        const grant = grantFromItem(item);
        grants.set(grant.userId, grant);
      }
    }
    return {
      snapshotId: meta.snapshotId ?? null,
      snapshotChunks: meta.snapshotChunks ?? 0,
      snapshotSeq: meta.snapshotSeq ?? 0,
      connectionsVersion: meta.connectionsVersion ?? 0,
      grants,
      labelGroups,
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
    const items = (await getItems(this.client.lowLevel, this.tableName, chunkKeys)) as unknown as Array<{
      SK: string;
      data: Uint8Array;
    }>;
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
  needsCompaction(loaded: Pick<LoadedDocument, 'log'>, documentBytes = 0): boolean {
    const scale = Math.max(1, documentBytes / this.limits.compactAfterBytes);
    return (
      loaded.log.length >= this.limits.compactAfterUpdates * scale ||
      loaded.log.reduce((sum, record) => sum + record.bytes, 0) >= this.limits.compactAfterBytes * scale
    );
  }

  /**
   * Folds `loaded.log` into a new snapshot (ST3) and resolves with its id; null when another
   * handler won the race. `loaded.state`, when given, is the document's state encoded when the
   * log was taken: exactly what the snapshot must hold (a room's document may move on meanwhile).
   */
  async compact(releaseId: string, loaded: LoadedDocument & { state?: Uint8Array }): Promise<string | null> {
    const state = loaded.state ?? Y.encodeStateAsUpdate(loaded.doc);
    if (!(await this.claimCompaction(releaseId, loaded.snapshotId))) return null;
    const snapshotId = randomId(12);
    const chunks = await this.writeSnapshot(releaseId, snapshotId, state);
    const snapshotSeq = seqOf(loaded);
    // Before the swap: once META moves on, nothing reads these log items' records again
    // (a race's loser writes the same records under other keys; readers merge by seq).
    await this.writeBatches(
      attributionItems(
        keys.release(releaseId),
        loaded.log.filter((record) => record.seq > 0),
      ).map((Item) => ({ PutRequest: { Item } })),
    );
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(releaseId), SK: keys.meta },
          UpdateExpression:
            'SET snapshotId = :new, snapshotChunks = :chunks, snapshotSeq = :seq, compactedAt = :now REMOVE compactingUntil',
          ConditionExpression:
            loaded.snapshotId === null ? 'attribute_not_exists(snapshotId)' : 'snapshotId = :old',
          ExpressionAttributeValues: {
            ':new': snapshotId,
            ':chunks': chunks,
            ':seq': snapshotSeq,
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
    const expiresAt = epochSeconds(this.now()) + FOLDED_ITEM_LIFETIME_S;
    await this.writeBatches(
      loaded.log.map((record) =>
        record.seq === 0
          ? // Written before sequence numbers: no number to keep taken.
            { DeleteRequest: { Key: { PK: pk, SK: record.key } } }
          : {
              PutRequest: {
                Item: {
                  PK: pk,
                  SK: record.key,
                  at: record.at,
                  by: record.by,
                  paths: record.paths,
                  ...storedValues(record.values),
                  expiresAt,
                },
              },
            },
      ),
    );
    if (loaded.snapshotId) {
      const old = await queryPrefix<StoredLogItem>(
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
        ProjectionExpression: 'snapshotId, snapshotChunks, snapshotSeq',
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

  private deleteKeys(pk: string, sortKeys: readonly string[]): Promise<void> {
    return this.writeBatches(sortKeys.map((sk) => ({ DeleteRequest: { Key: { PK: pk, SK: sk } } })));
  }

  private writeBatches(writes: readonly Record<string, unknown>[]): Promise<void> {
    return writeBatches(this.client, this.tableName, writes);
  }
}

const WRITE_BATCH_ITEMS = 10;

/**
 * Writes in batches of WRITE_BATCH_ITEMS, one batch after another. The store serves the
 * release's editors meanwhile, and takes a batch's items all at once (dynalite does): updates
 * that arrive behind a batch of 25, BatchWriteItem's maximum, wait out all of it. DynamoDB
 * bills per item, so smaller batches cost only requests.
 */
export async function writeBatches(
  client: StoreClient,
  tableName: string,
  writes: readonly Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < writes.length; i += WRITE_BATCH_ITEMS) {
    let requests: Record<string, unknown>[] | undefined = writes.slice(i, i + WRITE_BATCH_ITEMS);
    // BatchWrite may hand back unprocessed items under load; retry them until done.
    while (requests && requests.length > 0) {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = result.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined;
    }
  }
}

function joinBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
