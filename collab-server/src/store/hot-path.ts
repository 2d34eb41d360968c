import {
  BatchGetItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

type Item = Record<string, unknown>;

/**
 * The requests every accepted update makes (log tail, release head, append, connection list),
 * sent through the low-level client with its middleware cached. Same items, same semantics as
 * the document client's commands: only the (un)marshalling is done here.
 */
export async function queryItems(
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
) {
  const items: Item[] = [];
  let startKey: QueryCommandInput['ExclusiveStartKey'];
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) items.push(unmarshall(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Items of one partition whose sort key starts with `prefix`, read consistently. */
export function queryPrefixItems(client: DynamoDBClient, tableName: string, pk: string, prefix: string) {
  return queryItems(client, {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: marshall({ ':pk': pk, ':prefix': prefix }),
    ConsistentRead: true,
  });
}

export async function putItem(client: DynamoDBClient, tableName: string, item: Item): Promise<void> {
  await client.send(
    new PutItemCommand({ TableName: tableName, Item: marshall(item, { removeUndefinedValues: true }) }),
  );
}

/**
 * Several items of one table by key, read consistently, in one BatchGetItem (retrying what
 * DynamoDB hands back unprocessed). Missing items are absent from the result.
 */
export async function getItems(
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
