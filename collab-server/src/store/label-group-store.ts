import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreClient } from './dynamo-client.js';
import { keys } from './table-layout.js';

/**
 * A person's label groups as Patchline last set them (README.md, "Security model"). The admin
 * route writes it when it changes someone's groups; from then on it, not the groups an ID token
 * carries, decides that person's label-wide access, on the very next request or message.
 */
export interface LabelGroupRecord {
  userId: string;
  groups: string[];
  /** Epoch seconds: ID tokens issued before this are refused (the person was signed out then). */
  tokensValidFrom: number;
}

export class LabelGroupStore {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string): Promise<LabelGroupRecord | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.user(userId), SK: keys.labelGroups },
        ConsistentRead: true,
      }),
    );
    return Item ? recordFromItem(Item) : null;
  }

  async put(record: LabelGroupRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { PK: keys.user(record.userId), SK: keys.labelGroups, ...record },
      }),
    );
  }
}

/** A record from its stored item (read elsewhere, e.g. with a release's head). */
export function recordFromItem(item: Record<string, unknown>): LabelGroupRecord {
  return {
    userId: String(item.userId),
    groups: Array.isArray(item.groups) ? item.groups.filter((g): g is string => typeof g === 'string') : [],
    tokensValidFrom: Number(item.tokensValidFrom ?? 0),
  };
}

/**
 * The groups that decide a person's label-wide access: the record's when Patchline set them, else
 * the ID token's (nobody changed them through Patchline since the token was issued).
 */
export const effectiveGroups = (
  identity: { groups: readonly string[] },
  record: LabelGroupRecord | null,
): string[] => [...(record ? record.groups : identity.groups)];
