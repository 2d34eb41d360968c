import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReleaseRole } from '@patchline/permissions';
import type { StoreClient } from './dynamo-client.js';
import { queryAll, queryPrefix } from './query-all.js';
import { GSI1, keys } from './table-layout.js';

/** How someone came to hold a role (shown in the members list). */
export type GrantSource = 'owner' | 'direct' | 'link';

export interface Grant {
  releaseId: string;
  userId: string;
  role: ReleaseRole;
  via: GrantSource;
  /** The share link redeemed, for `via: 'link'` (revoking the link removes the grant). */
  linkId?: string;
  /**
   * For `via: 'link'`: the direct grant the link upgraded (a viewer redeeming an editor link).
   * Revoking the link puts it back instead of removing the member.
   */
  directGrant?: Pick<Grant, 'role' | 'grantedBy' | 'createdAt'>;
  grantedBy: string;
  createdAt: string;
  /** Who the grantee is, as known when granted (for member lists without a directory call). */
  email?: string;
  name?: string;
}

type GrantItem = Grant & { PK: string; SK: string; GSI1PK: string; GSI1SK: string };
const toGrant = ({ PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, ...grant }: GrantItem): Grant => grant;

/** A grant from its stored item (read elsewhere, e.g. with a release's head). */
export const grantFromItem = (item: Record<string, unknown>): Grant => toGrant(item as unknown as GrantItem);

/** Per-release roles. Grant items sit in the release's partition, indexed by user in GSI1. */
export class GrantStore {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  async put(grant: Grant): Promise<void> {
    const item: GrantItem = {
      ...grant,
      PK: keys.release(grant.releaseId),
      SK: keys.grant(grant.userId),
      GSI1PK: keys.user(grant.userId),
      GSI1SK: keys.release(grant.releaseId),
    };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async get(releaseId: string, userId: string): Promise<Grant | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.grant(userId) },
        ConsistentRead: true,
      }),
    );
    return Item ? toGrant(Item as GrantItem) : null;
  }

  async listForRelease(releaseId: string): Promise<Grant[]> {
    const items = await queryPrefix<GrantItem>(
      this.client,
      this.tableName,
      keys.release(releaseId),
      keys.grantPrefix,
    );
    return items.map(toGrant);
  }

  /** Every grant a user holds (GSI1; eventually consistent, as GSIs are). */
  async listForUser(userId: string): Promise<Grant[]> {
    const items = await queryAll<GrantItem>(this.client, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'GSI1PK = :user',
      ExpressionAttributeValues: { ':user': keys.user(userId) },
    });
    return items.map(toGrant);
  }

  async delete(releaseId: string, userId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.grant(userId) },
      }),
    );
  }
}
