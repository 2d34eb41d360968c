import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreClient } from './dynamo-client.js';
import { queryAll, queryPrefix } from './query-all.js';
import { epochSeconds, keys } from './table-layout.js';

export interface StagedChunk {
  index: number;
  count: number;
  data: Uint8Array;
  stagedAt: number;
}

/** What the last chunk's handler needs to know about every partial message, without the bytes. */
export interface StagedSummary {
  messageId: string;
  /** Indexes present, or null for a message refused earlier (its late chunks are dropped). */
  indexes: number[] | null;
  count: number;
  bytes: number;
  stagedAt: number;
}

type StagedItem = StagedChunk & { PK: string; SK: string; expiresAt: number; size: number };

const REFUSED = 'REFUSED';
/** Marks a message one handler has delivered: its late duplicates are dropped quietly. */
const DONE = 'DONE';
const toBytes = (data: unknown) => new Uint8Array(data as ArrayBufferLike);
const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

/**
 * Chunks of large incoming messages. Each chunk may reach a different handler instance, so
 * partial messages wait here (shared/PROTOCOL.md) until the last chunk's handler finds them complete.
 */
export class StagingStore {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stages one chunk once (P5): a re-sent identical chunk is 'duplicate', a different one at
   * the same index is 'conflict'.
   */
  async stage(
    connectionId: string,
    messageId: string,
    chunk: StagedChunk,
    ttlMs: number,
  ): Promise<'staged' | 'duplicate' | 'conflict'> {
    const item: StagedItem = {
      ...chunk,
      size: chunk.data.length,
      PK: keys.connection(connectionId),
      SK: keys.stage(messageId, chunk.index),
      expiresAt: epochSeconds(chunk.stagedAt + ttlMs),
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(SK)',
        }),
      );
      return 'staged';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: item.PK, SK: item.SK }, ConsistentRead: true }),
    );
    const existing = Item as StagedItem | undefined;
    return existing && existing.count === chunk.count && sameBytes(toBytes(existing.data), chunk.data)
      ? 'duplicate'
      : 'conflict';
  }

  /** Every partial message of a connection, read without chunk bytes (cheap on each frame). */
  async summaries(connectionId: string): Promise<StagedSummary[]> {
    const items = await queryAll<{ SK: string; count?: number; size?: number; stagedAt?: number }>(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.connection(connectionId), ':prefix': 'STAGE#' },
        ProjectionExpression: 'SK, #count, #size, stagedAt',
        ExpressionAttributeNames: { '#count': 'count', '#size': 'size' }, // both reserved words
        ConsistentRead: true,
      },
    );
    const byMessage = new Map<string, StagedSummary>();
    for (const item of items) {
      const [, messageId = '', part = ''] = item.SK.split('#');
      const summary = byMessage.get(messageId) ?? {
        messageId,
        indexes: [],
        count: 0,
        bytes: 0,
        stagedAt: Number.POSITIVE_INFINITY,
      };
      if (part === REFUSED || part === DONE) summary.indexes = null;
      else if (summary.indexes) summary.indexes.push(Number(part));
      summary.count = Math.max(summary.count, item.count ?? 0);
      summary.bytes += item.size ?? 0;
      summary.stagedAt = Math.min(summary.stagedAt, item.stagedAt ?? 0);
      byMessage.set(messageId, summary);
    }
    return [...byMessage.values()];
  }

  /** The chunks of one message, with their bytes. */
  async list(connectionId: string, messageId: string): Promise<StagedChunk[]> {
    return (await this.listMessage(connectionId, messageId)).chunks;
  }

  /**
   * The chunks of one message, and whether it is closed (refused, or delivered by a handler):
   * a chunk staged after that must be deleted by whoever staged it.
   */
  async listMessage(
    connectionId: string,
    messageId: string,
  ): Promise<{ chunks: StagedChunk[]; isClosed: boolean }> {
    const items = await queryPrefix<StagedItem>(
      this.client,
      this.tableName,
      keys.connection(connectionId),
      keys.stagePrefix(messageId),
    );
    const isMarker = (item: StagedItem) => item.SK.endsWith(REFUSED) || item.SK.endsWith(DONE);
    return {
      chunks: items
        .filter((item) => !isMarker(item))
        .map(({ index, count, data, stagedAt }) => ({ index, count, data: toBytes(data), stagedAt })),
      isClosed: items.some(isMarker),
    };
  }

  /** Deletes one staged chunk (staged after its message was closed). */
  async deleteChunk(connectionId: string, messageId: string, index: number): Promise<void> {
    await this.deleteKeys(connectionId, [keys.stage(messageId, index)]);
  }

  /**
   * Refuses a message: leaves a marker, so the rest of its chunks are dropped on arrival instead
   * of being staged again (and refused a second time), then drops what is staged. The marker goes
   * first, with a conditional write: chunks of one message are handled at once by several
   * instances, and only the one that wrote it answers the client (false for the others). A chunk
   * staged meanwhile is deleted either here or by its own handler, which lists after staging.
   */
  async refuse(connectionId: string, messageId: string, now: number, ttlMs: number): Promise<boolean> {
    if (!(await this.putMarker(connectionId, messageId, REFUSED, now, ttlMs))) return false;
    const staged = await this.list(connectionId, messageId);
    await this.deleteKeys(
      connectionId,
      staged.map((chunk) => keys.stage(messageId, chunk.index)),
    );
    return true;
  }

  /**
   * Claims the completion of a fully staged message: chunks of one message may be handled at
   * once by several handler instances, and each may find them all staged. One conditional put
   * decides which one delivers it; the marker also drops late duplicates quietly.
   */
  claimCompletion(connectionId: string, messageId: string, now: number, ttlMs: number): Promise<boolean> {
    return this.putMarker(connectionId, messageId, DONE, now, ttlMs);
  }

  /** Puts a message's REFUSED or DONE marker unless it has one; true when this call put it. */
  private async putMarker(
    connectionId: string,
    messageId: string,
    marker: typeof REFUSED | typeof DONE,
    now: number,
    ttlMs: number,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: keys.connection(connectionId),
            SK: `${keys.stagePrefix(messageId)}${marker}`,
            stagedAt: now,
            expiresAt: epochSeconds(now + ttlMs),
          },
          // Each marker once: only the instance that puts it answers (refused) or delivers (done).
          ConditionExpression: 'attribute_not_exists(SK)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Every staged item of a connection, e.g. to clean up on disconnect. */
  async listAll(connectionId: string): Promise<Array<{ SK: string }>> {
    return queryPrefix<{ SK: string }>(this.client, this.tableName, keys.connection(connectionId), 'STAGE#');
  }

  async deleteKeys(connectionId: string, sortKeys: readonly string[]): Promise<void> {
    for (let i = 0; i < sortKeys.length; i += 25) {
      const requests = sortKeys
        .slice(i, i + 25)
        .map((SK) => ({ DeleteRequest: { Key: { PK: keys.connection(connectionId), SK } } }));
      await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
    }
  }

  async deleteMessage(connectionId: string, messageId: string, count: number): Promise<void> {
    await this.deleteKeys(
      connectionId,
      Array.from({ length: count }, (_, i) => keys.stage(messageId, i)),
    );
  }
}
