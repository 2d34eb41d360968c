import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys, type Stores } from './patchline-internals.js';

/** What one release's partition holds in DynamoDB, by kind of item. */
export interface StoredBytes {
  /** DynamoDB's billed item size, summed: attribute names plus values, keys included. */
  itemBytes: number;
  /** The binary `data` attributes alone (snapshot chunks and log updates). */
  dataBytes: number;
  items: Record<string, { count: number; itemBytes: number }>;
}

/**
 * Sums the item sizes of the release partition the way DynamoDB sizes items: UTF-8 names
 * and strings, raw binary, numbers at ~1 byte per 2 significant digits plus 1, booleans and
 * null 1 byte, lists and maps 3 bytes plus 1 per element.
 */
export async function measureStoredBytes(stores: Stores, releaseId: string): Promise<StoredBytes> {
  const result: StoredBytes = { itemBytes: 0, dataBytes: 0, items: {} };
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await stores.client.send(
      new QueryCommand({
        TableName: stores.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.release(releaseId) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const size = attributesSize(item);
      const kind = String(item.SK).split('#')[0] ?? 'other';
      result.items[kind] ??= { count: 0, itemBytes: 0 };
      const entry = result.items[kind];
      entry.count++;
      entry.itemBytes += size;
      result.itemBytes += size;
      if (item.data instanceof Uint8Array) result.dataBytes += item.data.length;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return result;
}

function attributesSize(attributes: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: unknown): number {
  if (value instanceof Uint8Array) return value.length;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number')
    return Math.ceil(String(Math.abs(value)).replace(/[.-]|e.*$/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueSize(v), 0);
  if (typeof value === 'object' && value) {
    const entries = Object.entries(value);
    return 3 + entries.reduce((sum, [name, v]) => sum + Buffer.byteLength(name) + valueSize(v) + 1, 0);
  }
  return 0;
}
