import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

type Item = Record<string, unknown>;

/**
 * Writes and batch reads every accepted update makes, through the low-level client with its
 * middleware cached (see dynamo-client.ts); queries go through query-all.ts the same way.
 */
export async function putItem(client: DynamoDBClient, tableName: string, item: Item): Promise<void> {
  await client.send(
    new PutItemCommand({ TableName: tableName, Item: marshall(item, { removeUndefinedValues: true }) }),
  );
}

/** BatchGetItem's limit on keys per request. */
export const MAX_BATCH_GET_KEYS = 100;

/**
 * Several items of one table by key, read consistently: one BatchGetItem per MAX_BATCH_GET_KEYS
 * keys, in parallel, each retrying what DynamoDB hands back unprocessed. Missing items are
 * absent from the result.
 */
export async function getItems(
  client: DynamoDBClient,
  tableName: string,
  keys: ReadonlyArray<Record<string, string>>,
): Promise<Item[]> {
  if (keys.length <= MAX_BATCH_GET_KEYS) return getBatch(client, tableName, keys);
  const batches = Array.from({ length: Math.ceil(keys.length / MAX_BATCH_GET_KEYS) }, (_, i) =>
    keys.slice(i * MAX_BATCH_GET_KEYS, (i + 1) * MAX_BATCH_GET_KEYS),
  );
  return (await Promise.all(batches.map((batch) => getBatch(client, tableName, batch)))).flat();
}

async function getBatch(
  client: DynamoDBClient,
  tableName: string,
  keys: ReadonlyArray<Record<string, string>>,
): Promise<Item[]> {
  const items: Item[] = [];
  let pending = keys.map((key) => marshall(key));
  while (pending.length > 0) {
    const result = await client.send(
      new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const item of result.Responses?.[tableName] ?? []) items.push(unmarshall(item));
    pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  return items;
}

/** Writes `item` unless an item with its key exists; false when one does. */
export async function putNewItem(client: DynamoDBClient, tableName: string, item: Item): Promise<boolean> {
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(item, { removeUndefinedValues: true }),
        ConditionExpression: 'attribute_not_exists(SK)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
