import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ShareableRole } from '@patchline/permissions';
import { unlessConditionFails } from './conditional-write.js';
import type { StoreClient } from './dynamo-client.js';
import { queryPrefix } from './query-all.js';
import { keys } from './table-layout.js';

export interface ShareLink {
  linkId: string;
  releaseId: string;
  role: ShareableRole;
  /** SHA-256 of the token, hex. The token itself is shown once and never stored. */
  tokenHash: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  /** Null on links made before every link had a limit; the service applies its default. */
  maxUses: number | null;
  uses: number;
  revokedAt: string | null;
}

type LinkItem = ShareLink & { PK: string; SK: string };
// Absent attributes, not NULLs, stand for "unlimited" and "not revoked", so conditions can use
// attribute_not_exists().
const toLink = ({ PK: _pk, SK: _sk, ...link }: LinkItem): ShareLink => ({
  ...link,
  maxUses: link.maxUses ?? null,
  revokedAt: link.revokedAt ?? null,
});

export class ShareLinkStore {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  async create(link: ShareLink): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...link,
          maxUses: link.maxUses ?? undefined,
          revokedAt: link.revokedAt ?? undefined,
          PK: keys.release(link.releaseId),
          SK: keys.link(link.linkId),
        },
      }),
    );
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: keys.token(link.tokenHash),
          SK: keys.meta,
          releaseId: link.releaseId,
          linkId: link.linkId,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async get(releaseId: string, linkId: string): Promise<ShareLink | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.link(linkId) },
        ConsistentRead: true,
      }),
    );
    return Item ? toLink(Item as LinkItem) : null;
  }

  async findByTokenHash(tokenHash: string): Promise<ShareLink | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.token(tokenHash), SK: keys.meta },
        ConsistentRead: true,
      }),
    );
    if (!Item) return null;
    return this.get(Item.releaseId as string, Item.linkId as string);
  }

  async listForRelease(releaseId: string): Promise<ShareLink[]> {
    return (
      await queryPrefix<LinkItem>(this.client, this.tableName, keys.release(releaseId), keys.linkPrefix)
    ).map(toLink);
  }

  /**
   * Counts one use, atomically refusing a revoked, expired or used-up link: two people redeeming
   * the last use at once cannot both get in. `maxUsesWithoutLimit` bounds links stored without
   * a limit of their own.
   */
  async consumeUse(
    releaseId: string,
    linkId: string,
    nowIso: string,
    maxUsesWithoutLimit: number,
  ): Promise<boolean> {
    return unlessConditionFails(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(releaseId), SK: keys.link(linkId) },
          UpdateExpression: 'SET #uses = #uses + :one',
          ConditionExpression:
            'attribute_exists(PK) AND attribute_not_exists(revokedAt) AND expiresAt > :now AND ((attribute_not_exists(maxUses) AND #uses < :fallback) OR #uses < maxUses)',
          ExpressionAttributeNames: { '#uses': 'uses' },
          ExpressionAttributeValues: { ':one': 1, ':now': nowIso, ':fallback': maxUsesWithoutLimit },
        }),
      ),
    );
  }

  /** Gives back a use counted for a redemption that then gave nobody access. */
  async refundUse(releaseId: string, linkId: string): Promise<void> {
    await unlessConditionFails(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(releaseId), SK: keys.link(linkId) },
          UpdateExpression: 'SET #uses = #uses - :one',
          ConditionExpression: 'attribute_exists(PK) AND #uses > :zero',
          ExpressionAttributeNames: { '#uses': 'uses' },
          ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
        }),
      ),
    );
  }

  async revoke(releaseId: string, linkId: string, nowIso: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.link(linkId) },
        UpdateExpression: 'SET revokedAt = :now',
        ExpressionAttributeValues: { ':now': nowIso },
      }),
    );
  }

  /** Removes the token lookup item (the link item goes with its release's partition). */
  async deleteTokenLookup(tokenHash: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { PK: keys.token(tokenHash), SK: keys.meta } }),
    );
  }
}
