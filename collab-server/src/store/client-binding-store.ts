import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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

  /**
   * Claims the clocks `[start, end)` of a bound client id for one stored update (PROTOCOL.md,
   * "Client ids"): succeeds only when nothing at or after `start` was claimed, so two handler
   * processes can never both store different content at one clock. False when another claim got
   * there first.
   */
  async claimClocks(releaseId: string, claim: ClockClaim, now: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(releaseId), SK: keys.client(claim.clientId) },
          UpdateExpression: 'SET nextClock = :end, claimedAt = :now',
          ConditionExpression:
            'attribute_exists(userId) AND (attribute_not_exists(nextClock) OR nextClock <= :start)',
          ExpressionAttributeValues: { ':start': claim.start, ':end': claim.end, ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Gives back a claim whose update was not stored, unless a later claim followed it. */
  async releaseClocks(releaseId: string, claim: ClockClaim): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(releaseId), SK: keys.client(claim.clientId) },
          UpdateExpression: 'SET nextClock = :start',
          ConditionExpression: 'nextClock = :end',
          ExpressionAttributeValues: { ':start': claim.start, ':end': claim.end },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** A client id's claim: the next clock claimed and when, or null when none was made. */
  async readClaim(
    releaseId: string,
    clientId: number,
  ): Promise<{ nextClock: number; claimedAt: number } | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.client(clientId) },
        ConsistentRead: true,
      }),
    );
    if (typeof Item?.nextClock !== 'number') return null;
    return { nextClock: Item.nextClock, claimedAt: Number(Item.claimedAt ?? 0) };
  }

  /**
   * Moves a client id's claim back to `storedClock` when it still is what was read: a claim left
   * by a handler that died between claiming and storing (nothing stored past `storedClock`).
   */
  async resetClaim(
    releaseId: string,
    clientId: number,
    seen: { nextClock: number; claimedAt: number },
    storedClock: number,
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(releaseId), SK: keys.client(clientId) },
          UpdateExpression: 'SET nextClock = :stored',
          ConditionExpression: 'nextClock = :next AND claimedAt = :at',
          ExpressionAttributeValues: {
            ':stored': storedClock,
            ':next': seen.nextClock,
            ':at': seen.claimedAt,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

/** The clocks `[start, end)` of one client id that one stored update writes. */
export interface ClockClaim {
  clientId: number;
  start: number;
  end: number;
}
