import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { joinChunks, ProtocolErrorReason } from '@patchline/shared';
import type { StoreClient } from './dynamo-client.js';
import { queryPrefix } from './query-all.js';
import { epochSeconds, keys } from './table-layout.js';

/** One chunk frame of a message too big for a data frame (PROTOCOL.md, "Chunk frame"). */
export interface ChunkFrame {
  id: string;
  index: number;
  count: number;
  bytes: Uint8Array;
}

/** What the staging of one connection is held to (CollabLimits). */
export interface StagingLimits {
  maxMessageBytes: number;
  maxPendingMessages: number;
  maxStagedChunks: number;
  maxStagedBytes: number;
  /** A partial message with no new chunk for this long is dropped (and its chunks deleted). */
  chunkTimeoutMs: number;
}

/** Why a message was refused: a protocol rule (P5–P7) or a staging limit. */
export const StagingRefusal = {
  ...ProtocolErrorReason,
  tooManyPendingChunks: 'too-many-pending-chunks',
} as const;
export type StagingRefusal = (typeof StagingRefusal)[keyof typeof StagingRefusal];

export type StageOutcome =
  /** Staged; more chunks to come. */
  | { kind: 'pending' }
  /** This chunk completed the message (one handler gets this per message). */
  | { kind: 'complete'; message: Uint8Array }
  /** Nothing to do: a repeat, a chunk of a message closed or timed out, a refusal answered elsewhere. */
  | { kind: 'dropped' }
  /** The message is refused, its chunks deleted; this handler answers the client. */
  | { kind: 'refused'; reason: StagingRefusal; message: string };

/** One partial message in the tally. */
interface MessageEntry {
  /** The chunk count its chunks announce. */
  chunkCount: number;
  chunksIn: number;
  bytesIn: number;
  lastChunkAt: number;
}

/** Attribute names avoid DynamoDB's reserved words (`count`, `bytes`, …). */
interface Tally {
  stagedChunks?: number;
  stagedBytes?: number;
  [attribute: string]: unknown;
}

/** API Gateway ends a connection after 2 hours; whatever staging is left then expires with it. */
const STAGED_TTL_MS = 2 * 3600_000 + 600_000;
const entryName = (messageId: string) => `m_${messageId}`;
const closedName = (messageId: string) => `x_${messageId}`;
const toBytes = (data: unknown) => new Uint8Array(data as ArrayBufferLike);
const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

/**
 * Chunks of large incoming messages. Each chunk may reach a different handler instance, so
 * partial messages wait here (PROTOCOL.md, "Chunking and reassembly") until the handler of the
 * chunk that completes one reads them back. A connection's tally item (`STAGE#~`) counts what it
 * has staged, per partial message and in all, with conditional writes, so each chunk frame costs
 * a put of the chunk and one update of the tally whatever is staged; the chunks of a message are
 * read once, by the handler whose chunk completed it. A message is closed (delivered or refused)
 * by a marker in the tally that drops its late chunks quietly, and its chunks are deleted then,
 * as are those of a message left without a new chunk for `chunkTimeoutMs`, found stale in the
 * tally by the connection's next chunk (or deleted with the connection at `$disconnect`).
 */
export class StagingStore {
  /** Messages this process saw started, so their next chunk tries the "continue" write first. */
  private readonly started = new Set<string>();

  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  async stage(
    connectionId: string,
    frame: ChunkFrame,
    limits: StagingLimits,
    now: number,
  ): Promise<StageOutcome> {
    const put = await this.putChunk(connectionId, frame, now);
    if (put === 'duplicate') return { kind: 'dropped' };
    if (put === 'conflict') {
      return this.refuse(
        connectionId,
        frame,
        StagingRefusal.chunkConflict,
        `chunk ${frame.index} arrived twice with different content`,
        now,
      );
    }
    const counted = await this.count(connectionId, frame, limits, now);
    if (counted.kind !== 'counted') {
      if (counted.kind === 'closed') {
        // Refused or delivered while we staged: our chunk is one nobody else will delete.
        await this.deleteKeys(connectionId, [keys.stage(frame.id, frame.index)]);
        return { kind: 'dropped' };
      }
      return this.refuse(connectionId, frame, counted.reason, counted.message, now);
    }
    const { tally } = counted;
    await this.dropStale(connectionId, tally, limits, now);
    const entry = tally[entryName(frame.id)] as MessageEntry;
    if (
      entry.chunksIn === 1 &&
      pendingMessages(tally, now - limits.chunkTimeoutMs) > limits.maxPendingMessages
    ) {
      return this.refuse(
        connectionId,
        frame,
        StagingRefusal.tooManyPendingMessages,
        `more than ${limits.maxPendingMessages} messages in flight`,
        now,
      );
    }
    if (entry.chunksIn < entry.chunkCount) return { kind: 'pending' };
    // Only the write that counted the last chunk sees received = count: this handler delivers.
    const chunks = await queryPrefix<{ index: number; data: unknown }>(
      this.client,
      this.tableName,
      keys.connection(connectionId),
      keys.stagePrefix(frame.id),
    );
    // A refusal (a conflicting repeat of one chunk) may close it first: then it is not delivered.
    const isOurs = await this.close(connectionId, frame.id, entry, now);
    await this.deleteChunks(connectionId, frame.id, entry.chunkCount);
    this.started.delete(`${connectionId}:${frame.id}`);
    if (!isOurs) return { kind: 'dropped' };
    return {
      kind: 'complete',
      message: joinChunks(
        new Map(chunks.map((chunk) => [chunk.index, toBytes(chunk.data)])),
        entry.chunkCount,
      ),
    };
  }

  /** Deletes everything a connection staged (at `$disconnect`). */
  async deleteAll(connectionId: string): Promise<void> {
    const staged = await queryPrefix<{ SK: string }>(
      this.client,
      this.tableName,
      keys.connection(connectionId),
      keys.stagingPrefix,
    );
    await this.deleteKeys(
      connectionId,
      staged.map((item) => item.SK),
    );
  }

  /** Every staged item of a connection (chunks and the tally), for tests and cleanup checks. */
  listAll(connectionId: string): Promise<Array<{ SK: string }>> {
    return queryPrefix<{ SK: string }>(
      this.client,
      this.tableName,
      keys.connection(connectionId),
      keys.stagingPrefix,
    );
  }

  /** Stores one chunk once (P5): the same chunk again is 'duplicate', another at its index 'conflict'. */
  private async putChunk(
    connectionId: string,
    frame: ChunkFrame,
    now: number,
  ): Promise<'staged' | 'duplicate' | 'conflict'> {
    const Key = { PK: keys.connection(connectionId), SK: keys.stage(frame.id, frame.index) };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...Key,
            index: frame.index,
            count: frame.count,
            data: frame.bytes,
            stagedAt: now,
            expiresAt: epochSeconds(now + STAGED_TTL_MS),
          },
          ConditionExpression: 'attribute_not_exists(SK)',
        }),
      );
      return 'staged';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }),
    );
    return Item && Item.count === frame.count && sameBytes(toBytes(Item.data), frame.bytes)
      ? 'duplicate'
      : 'conflict';
  }

  /**
   * Counts a staged chunk in the tally, within the limits, and answers the tally as it stands
   * after. A message is started by its first counted chunk and continued by the others: one
   * conditional write each, tried in the likelier order; when both fail, the tally says why.
   */
  private async count(
    connectionId: string,
    frame: ChunkFrame,
    limits: StagingLimits,
    now: number,
  ): Promise<
    | { kind: 'counted'; tally: Tally }
    | { kind: 'closed' }
    | { kind: 'refused'; reason: StagingRefusal; message: string }
  > {
    const size = frame.bytes.length;
    const Key = { PK: keys.connection(connectionId), SK: keys.stagingTally };
    const room = {
      ':one': 1,
      ':size': size,
      ':maxChunks': limits.maxStagedChunks,
      ':bytesRoom': limits.maxStagedBytes - size,
    };
    const startWrite = {
      UpdateExpression:
        'SET #m = :entry, stagedChunks = if_not_exists(stagedChunks, :zero) + :one, ' +
        'stagedBytes = if_not_exists(stagedBytes, :zero) + :size, expiresAt = :expiresAt',
      ConditionExpression:
        'attribute_not_exists(#m) AND attribute_not_exists(#x) AND (attribute_not_exists(stagedChunks) ' +
        'OR (stagedChunks < :maxChunks AND stagedBytes <= :bytesRoom))',
      ExpressionAttributeNames: { '#m': entryName(frame.id), '#x': closedName(frame.id) },
      ExpressionAttributeValues: {
        ...room,
        ':zero': 0,
        ':entry': {
          chunkCount: frame.count,
          chunksIn: 1,
          bytesIn: size,
          lastChunkAt: now,
        } satisfies MessageEntry,
        ':expiresAt': epochSeconds(now + STAGED_TTL_MS),
      },
    };
    const continueWrite = {
      UpdateExpression:
        'SET #m.chunksIn = #m.chunksIn + :one, #m.bytesIn = #m.bytesIn + :size, #m.lastChunkAt = :now, ' +
        'stagedChunks = stagedChunks + :one, stagedBytes = stagedBytes + :size',
      ConditionExpression:
        'attribute_exists(#m) AND #m.chunkCount = :count AND #m.bytesIn <= :messageRoom AND ' +
        '#m.lastChunkAt >= :fresh AND stagedChunks < :maxChunks AND stagedBytes <= :bytesRoom',
      ExpressionAttributeNames: { '#m': entryName(frame.id) },
      ExpressionAttributeValues: {
        ...room,
        ':now': now,
        ':count': frame.count,
        ':messageRoom': limits.maxMessageBytes - size,
        ':fresh': now - limits.chunkTimeoutMs,
      },
    };
    const startedKey = `${connectionId}:${frame.id}`;
    const writes = this.started.has(startedKey) ? [continueWrite, startWrite] : [startWrite, continueWrite];
    for (let round = 0; round < 5; round++) {
      for (const write of writes) {
        try {
          const { Attributes } = await this.client.send(
            new UpdateCommand({ TableName: this.tableName, Key, ReturnValues: 'ALL_NEW', ...write }),
          );
          if (this.started.size >= 10_000) this.started.clear();
          this.started.add(startedKey);
          return { kind: 'counted', tally: Attributes as Tally };
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      // Neither write applied: find out why from the tally as it is now.
      const tally = await this.readTally(connectionId);
      if (tally[closedName(frame.id)] !== undefined) return { kind: 'closed' };
      const entry = tally[entryName(frame.id)] as MessageEntry | undefined;
      if (entry && entry.chunkCount !== frame.count)
        return { kind: 'refused', reason: StagingRefusal.chunkConflict, message: 'chunk count changed' };
      if (entry && entry.lastChunkAt < now - limits.chunkTimeoutMs) {
        // Timed out before this chunk came: dropped (the writer sends every chunk at once).
        await this.dropStale(connectionId, tally, limits, now);
        return { kind: 'closed' };
      }
      if (entry && entry.bytesIn + size > limits.maxMessageBytes) {
        return {
          kind: 'refused',
          reason: StagingRefusal.messageTooLarge,
          message: `message exceeds ${limits.maxMessageBytes} bytes; nothing was stored`,
        };
      }
      if (
        (tally.stagedChunks ?? 0) >= limits.maxStagedChunks ||
        (tally.stagedBytes ?? 0) + size > limits.maxStagedBytes
      ) {
        return {
          kind: 'refused',
          reason: StagingRefusal.tooManyPendingChunks,
          message: `more than ${limits.maxStagedChunks} chunks or ${limits.maxStagedBytes} bytes in flight`,
        };
      }
      // The tally moved between our writes (chunks counted at once by other handlers): again.
    }
    throw new Error(`staging tally of ${connectionId} kept changing`);
  }

  /**
   * Refuses a message: closes it in the tally (with what it had counted taken off), deletes its
   * chunks, and answers the client unless another handler closed it first (then quietly).
   */
  private async refuse(
    connectionId: string,
    frame: ChunkFrame,
    reason: StagingRefusal,
    message: string,
    now: number,
  ): Promise<StageOutcome> {
    for (let round = 0; round < 5; round++) {
      const tally = await this.readTally(connectionId);
      if (tally[closedName(frame.id)] !== undefined) {
        await this.deleteKeys(connectionId, [keys.stage(frame.id, frame.index)]);
        return { kind: 'dropped' };
      }
      const entry = tally[entryName(frame.id)] as MessageEntry | undefined;
      if (await this.close(connectionId, frame.id, entry ?? null, now)) {
        await this.deleteChunks(connectionId, frame.id, Math.max(entry?.chunkCount ?? 0, frame.count));
        this.started.delete(`${connectionId}:${frame.id}`);
        return { kind: 'refused', reason, message };
      }
    }
    throw new Error(`staging tally of ${connectionId} kept changing`);
  }

  /**
   * Marks a message closed and takes what its entry counted off the totals, if the entry is
   * still `seen` (null: none); false when it changed meanwhile or the message was closed.
   */
  private async close(
    connectionId: string,
    messageId: string,
    seen: MessageEntry | null,
    now: number,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.connection(connectionId), SK: keys.stagingTally },
          UpdateExpression: seen
            ? 'SET #x = :now, stagedChunks = stagedChunks - :chunks, stagedBytes = stagedBytes - :bytes REMOVE #m'
            : 'SET #x = :now, expiresAt = :expiresAt',
          ConditionExpression: seen
            ? 'attribute_not_exists(#x) AND #m.chunksIn = :chunks AND #m.bytesIn = :bytes'
            : 'attribute_not_exists(#x) AND attribute_not_exists(#m)',
          ExpressionAttributeNames: { '#x': closedName(messageId), '#m': entryName(messageId) },
          ExpressionAttributeValues: seen
            ? { ':now': now, ':chunks': seen.chunksIn, ':bytes': seen.bytesIn }
            : { ':now': now, ':expiresAt': epochSeconds(now + STAGED_TTL_MS) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Drops what the tally shows timed out: partial messages with no new chunk for
   * `chunkTimeoutMs` (their chunks deleted) and markers of messages closed that long ago.
   */
  private async dropStale(
    connectionId: string,
    tally: Tally,
    limits: StagingLimits,
    now: number,
  ): Promise<void> {
    const oldest = now - limits.chunkTimeoutMs;
    for (const [name, value] of Object.entries(tally)) {
      if (name.startsWith('m_') && (value as MessageEntry).lastChunkAt < oldest) {
        const messageId = name.slice(2);
        const entry = value as MessageEntry;
        if (await this.close(connectionId, messageId, entry, now))
          await this.deleteChunks(connectionId, messageId, entry.chunkCount);
      }
    }
    const oldMarkers = Object.entries(tally)
      .filter(([name, closedAt]) => name.startsWith('x_') && Number(closedAt) < oldest)
      .map(([name]) => name);
    if (oldMarkers.length === 0) return;
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.connection(connectionId), SK: keys.stagingTally },
          UpdateExpression: `REMOVE ${oldMarkers.map((_, i) => `#x${i}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: Object.fromEntries(oldMarkers.map((name, i) => [`#x${i}`, name])),
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  private async readTally(connectionId: string): Promise<Tally> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.connection(connectionId), SK: keys.stagingTally },
        ConsistentRead: true,
      }),
    );
    return (Item ?? {}) as Tally;
  }

  private deleteChunks(connectionId: string, messageId: string, count: number): Promise<void> {
    return this.deleteKeys(
      connectionId,
      Array.from({ length: count }, (_, i) => keys.stage(messageId, i)),
    );
  }

  private async deleteKeys(connectionId: string, sortKeys: readonly string[]): Promise<void> {
    for (let i = 0; i < sortKeys.length; i += 25) {
      const requests = sortKeys
        .slice(i, i + 25)
        .map((SK) => ({ DeleteRequest: { Key: { PK: keys.connection(connectionId), SK } } }));
      let pending: Record<string, unknown>[] | undefined = requests;
      while (pending && pending.length > 0) {
        const { UnprocessedItems } = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }),
        );
        pending = UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined;
      }
    }
  }
}

/** Partial messages in a tally that got a chunk since `oldest`. */
const pendingMessages = (tally: Tally, oldest: number) =>
  Object.entries(tally).filter(
    ([name, entry]) => name.startsWith('m_') && (entry as MessageEntry).lastChunkAt >= oldest,
  ).length;
