import { BatchWriteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryPrefix } from './query-all.js';
import { epochSeconds, keys } from './table-layout.js';

export interface StagedChunk {
  index: number;
  count: number;
  data: Uint8Array;
  stagedAt: number;
}

type StagedItem = StagedChunk & { PK: string; SK: string; expiresAt: number };

/**
 * Chunks of large incoming messages. Each chunk may reach a different handler instance, so
 * partial messages wait here (DESIGN §4) until the last chunk's handler finds them complete.
 */
export class StagingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async stage(connectionId: string, messageId: string, chunk: StagedChunk, ttlMs: number): Promise<void> {
    const item: StagedItem = {
      ...chunk,
      PK: keys.connection(connectionId),
      SK: keys.stage(messageId, chunk.index),
      expiresAt: epochSeconds(chunk.stagedAt + ttlMs),
    };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async list(connectionId: string, messageId: string): Promise<StagedChunk[]> {
    const items = await queryPrefix<StagedItem>(
      this.client,
      this.tableName,
      keys.connection(connectionId),
      keys.stagePrefix(messageId),
    );
    return items.map(({ index, count, data, stagedAt }) => ({
      index,
      count,
      data: new Uint8Array(data),
      stagedAt,
    }));
  }

  /** Every staged chunk of a connection, e.g. to clean up on disconnect. */
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
