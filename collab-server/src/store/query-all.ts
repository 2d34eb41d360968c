import { type QueryCommandInput as LowLevelQueryInput, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { StoreClient } from './dynamo-client.js';

/**
 * All items of a Query, following pagination (a page stops at 1 MB). Takes the document
 * client's input (plain values) but sends it through the low-level client, whose middleware
 * is cached (see dynamo-client.ts): every update lists connections and reads the log's tail.
 */
export async function queryAll<T = Record<string, unknown>>(
  client: StoreClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<T[]> {
  const { ExpressionAttributeValues: values, ...rest } = input;
  const request: LowLevelQueryInput = {
    ...rest,
    ...(values ? { ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }) } : {}),
  };
  const items: T[] = [];
  let startKey: LowLevelQueryInput['ExclusiveStartKey'];
  do {
    const page = await client.lowLevel.send(new QueryCommand({ ...request, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) items.push(unmarshall(item) as T);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Items of one partition whose sort key starts with `prefix`, read consistently. */
export function queryPrefix<T = Record<string, unknown>>(
  client: StoreClient,
  tableName: string,
  pk: string,
  prefix: string,
): Promise<T[]> {
  return queryAll<T>(client, {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ConsistentRead: true,
  });
}
