import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreClient } from './dynamo-client.js';
import { keys } from './table-layout.js';

/** The owner of the Yjs client ids the server itself writes under (status changes, repairs). */
export const SYSTEM_OWNER = 'system';

/**
 * Which user each Yjs client id of a release belongs to (PROTOCOL.md, "Client ids"). A binding
 * is written once, by a conditional put, and never changes, so readers may keep it forever.
 */
export class ClientBindingStore {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  /** The user `clientId` is bound to in this release, or null when it is bound to no one. */
  async get(releaseId: string, clientId: number): Promise<string | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.client(clientId) },
        ConsistentRead: true,
      }),
    );
    return (Item?.userId as string | undefined) ?? null;
  }

  /** Binds `clientId` to `userId` unless it is bound already; resolves with its owner either way. */
  async bind(releaseId: string, clientId: number, userId: string): Promise<string> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: keys.release(releaseId),
            SK: keys.client(clientId),
            userId,
            boundAt: new Date().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return userId;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.get(releaseId, clientId)) ?? userId;
    }
  }
}
