import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unlessConditionFails } from './conditional-write.js';
import type { StoreClient } from './dynamo-client.js';
import { epochSeconds, keys, TTL_ATTRIBUTE } from './table-layout.js';

/**
 * Keys of the counters (`table-layout.ts` lists the rest of the table): one item per limit and
 * subject, `LIMIT#<limit>#<subject>` / `META`, expiring by TTL an hour after its window.
 */
const TTL_AFTER_WINDOW_MS = 3600 * 1000;

/**
 * Request counters in DynamoDB, shared by every API process (the API runs as Lambda: a counter
 * in one process's memory would see a fraction of the requests). A window opens with a
 * subject's first request and lasts `windowMs`; at most `max` requests count in it. Every step
 * is a conditional write, so concurrent requests from several processes never count past `max`.
 */
export class LimitCounterStore {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  /** Counts one request, or answers the ms until the subject's full window ends. */
  async take(input: {
    limit: string;
    subject: string;
    nowMs: number;
    windowMs: number;
    max: number;
  }): Promise<{ isCounted: true } | { isCounted: false; retryAfterMs: number }> {
    const { nowMs, windowMs, max } = input;
    const key = { PK: keys.limitCounter(input.limit, input.subject), SK: keys.meta };
    const windowOpenedAfter = nowMs - windowMs;
    // Two tries: a window that ended between the steps below is reopened by the second.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const isCounted = await unlessConditionFails(
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET #count = #count + :one',
            ConditionExpression: 'windowStart > :openedAfter AND #count < :max',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':openedAfter': windowOpenedAfter, ':max': max },
          }),
        ),
      );
      if (isCounted) return { isCounted: true };
      const isOpened = await unlessConditionFails(
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...key,
              windowStart: nowMs,
              count: 1,
              [TTL_ATTRIBUTE]: epochSeconds(nowMs + windowMs + TTL_AFTER_WINDOW_MS),
            },
            ConditionExpression: 'attribute_not_exists(PK) OR windowStart <= :openedAfter',
            ExpressionAttributeValues: { ':openedAfter': windowOpenedAfter },
          }),
        ),
      );
      if (isOpened) return { isCounted: true };
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      const window = Item as { windowStart: number; count: number } | undefined;
      if (window && window.windowStart > windowOpenedAfter && window.count >= max) {
        return { isCounted: false, retryAfterMs: window.windowStart + windowMs - nowMs };
      }
    }
    return { isCounted: false, retryAfterMs: windowMs };
  }
}
