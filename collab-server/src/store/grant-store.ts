import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ReleaseRole } from '@patchline/permissions';
import { unlessConditionFails } from './conditional-write.js';
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
  /**
   * Raised by every compare-and-set write (`GrantStore.replace`, never lowered); absent (read
   * as 0) on grants written without one. The owner set orders its records by it.
   */
  version?: number;
}

/** A removal by someone else: share links the person redeemed before do not bring them back. */
export interface Removal {
  releaseId: string;
  userId: string;
  removedBy: string;
  removedAt: string;
}

/**
 * Sort keys this file adds to the release's partition (`table-layout.ts` lists the others):
 * `OWNERS` holds the owner set, `REMOVED#<sub>` a removal record.
 */
type GrantItem = Grant & { PK: string; SK: string; GSI1PK: string; GSI1SK: string };
const toGrant = ({ PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, ...grant }: GrantItem): Grant => grant;

/** A grant from its stored item (read elsewhere, e.g. with a release's head). */
export const grantFromItem = (item: Record<string, unknown>): Grant => toGrant(item as unknown as GrantItem);

const versionOf = (grant: Pick<Grant, 'version'> | null) => grant?.version ?? 0;

/** The condition that a grant item is still the one read (`null`: still absent). */
function unchanged(previous: Grant | null) {
  if (!previous) return { ConditionExpression: 'attribute_not_exists(PK)' };
  if (previous.version === undefined)
    return { ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(version)' };
  return {
    ConditionExpression: 'version = :version',
    ExpressionAttributeValues: { ':version': previous.version },
  };
}

/** Per-release roles. Grant items sit in the release's partition, indexed by user in GSI1. */
export class GrantStore {
  readonly owners: OwnerSet;

  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {
    this.owners = new OwnerSet(client, tableName, this);
  }

  private item(grant: Grant): GrantItem {
    return {
      ...grant,
      PK: keys.release(grant.releaseId),
      SK: keys.grant(grant.userId),
      GSI1PK: keys.user(grant.userId),
      GSI1SK: keys.release(grant.releaseId),
    };
  }

  /**
   * Writes a grant whatever is there. Only for a grant nobody else can be changing: a new
   * release's owner, seeding. A change of role goes through `replace`.
   */
  async put(grant: Grant): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: this.item(grant) }));
  }

  /**
   * Writes `next` if the grant is still `previous` as read (`null`: there was none), with a
   * higher version. Answers the written grant, or null when the grant changed meanwhile (the
   * caller lost a race and writes nothing). Versions are at least the time in ms, so a grant
   * given again after a removal still sorts after the records of its earlier life.
   */
  async replace(previous: Grant | null, next: Omit<Grant, 'version'>): Promise<Grant | null> {
    const written: Grant = { ...next, version: Math.max(versionOf(previous) + 1, Date.now()) };
    const isWritten = await unlessConditionFails(
      this.client.send(
        new PutCommand({ TableName: this.tableName, Item: this.item(written), ...unchanged(previous) }),
      ),
    );
    return isWritten ? written : null;
  }

  /** Deletes the grant if it is still `previous` as read; false when it changed meanwhile. */
  async remove(previous: Grant): Promise<boolean> {
    return unlessConditionFails(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(previous.releaseId), SK: keys.grant(previous.userId) },
          ...unchanged(previous),
        }),
      ),
    );
  }

  /**
   * Deletes a user's grant whatever its version, unless it is `owner` (an owner leaves only
   * through the owner set): a link redeemed while the member is being removed is removed too.
   * False when there was no grant or it is an owner's.
   */
  async removeUnlessOwner(releaseId: string, userId: string): Promise<boolean> {
    return unlessConditionFails(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(releaseId), SK: keys.grant(userId) },
          ConditionExpression: 'attribute_exists(PK) AND #role <> :owner',
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':owner': 'owner' },
        }),
      ),
    );
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

  /** Unconditional delete (tests, seeding); services use `remove` or `removeUnlessOwner`. */
  async delete(releaseId: string, userId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.grant(userId) },
      }),
    );
  }

  async recordRemoval(removal: Removal): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...removal, PK: keys.release(removal.releaseId), SK: keys.removal(removal.userId) },
      }),
    );
  }

  async getRemoval(releaseId: string, userId: string): Promise<Removal | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.removal(userId) },
        ConsistentRead: true,
      }),
    );
    if (!Item) return null;
    const { PK: _pk, SK: _sk, ...removal } = Item;
    return removal as Removal;
  }

  /** Clears a removal record; with `removedAt`, only that one (not a newer removal). */
  async clearRemoval(releaseId: string, userId: string, removedAt?: string): Promise<void> {
    await unlessConditionFails(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(releaseId), SK: keys.removal(userId) },
          ...(removedAt
            ? { ConditionExpression: 'removedAt = :at', ExpressionAttributeValues: { ':at': removedAt } }
            : {}),
        }),
      ),
    );
  }
}

/** Why the owner set refused to let someone stop being an owner. */
export type OwnerReleaseRefusal = 'last-owner' | 'changed';

interface OwnersItem {
  /** Absent when empty (DynamoDB has no empty sets). */
  owners?: Set<string>;
  /** User id → the grant version of the last change recorded for them. */
  seen: Record<string, number>;
}

/**
 * The owners of a release as one item (`OWNERS`), so that "is there another owner?" is decided
 * by a conditional write instead of a read followed by a write: two owners demoting each other
 * at once cannot both pass. dynalite has no TransactWriteItems, so the set and the grants are
 * separate writes, ordered so the set only ever holds people whose grant says owner (it may
 * miss some, never the reverse); with at least one member in the set there is at least one owner:
 *
 * - becoming owner: grant first (`GrantStore.replace`), then `admit`;
 * - stopping being owner (demotion, removal, leaving): `release` first, then the grant write,
 *   conditional on the version read before `release`.
 *
 * A crash between the two steps leaves an owner missing from the set: a later removal of the
 * others may be refused (409) although it would have been safe, never allowed when unsafe.
 * Making that owner owner again (`admit` with a higher version) puts them back.
 * Each entry remembers the grant version it was recorded for (`seen`): an `admit` carrying an
 * older version than a `release` already recorded is ignored, so a demotion racing a
 * re-promotion of the same person never leaves a non-owner counted.
 * The item is created from the grants the first time a release needs it (releases made before
 * it existed, or by `createRelease`): until it exists nobody can stop being owner, so the grants
 * read then are owners still when it is written.
 */
export class OwnerSet {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
    private readonly grants: GrantStore,
  ) {}

  private key(releaseId: string) {
    return { PK: keys.release(releaseId), SK: keys.owners };
  }

  /** The user ids in the set, or null before the release has one. */
  async list(releaseId: string): Promise<string[] | null> {
    const item = await this.read(releaseId);
    return item ? [...(item.owners ?? [])].sort() : null;
  }

  private async read(releaseId: string): Promise<OwnersItem | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(releaseId), ConsistentRead: true }),
    );
    return (Item as OwnersItem | undefined) ?? null;
  }

  private async create(releaseId: string): Promise<void> {
    const owners = (await this.grants.listForRelease(releaseId)).filter((grant) => grant.role === 'owner');
    await unlessConditionFails(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...this.key(releaseId),
            ...(owners.length > 0 ? { owners: new Set(owners.map((grant) => grant.userId)) } : {}),
            seen: Object.fromEntries(owners.map((grant) => [grant.userId, versionOf(grant)])),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  /** Counts `grant` (just written with role owner) as an owner. */
  async admit(grant: Grant): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const isAdmitted = await unlessConditionFails(
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: this.key(grant.releaseId),
            UpdateExpression: 'ADD owners :users SET seen.#user = :version',
            ConditionExpression:
              'attribute_exists(PK) AND (attribute_not_exists(seen.#user) OR seen.#user < :version)',
            ExpressionAttributeNames: { '#user': grant.userId },
            ExpressionAttributeValues: { ':users': new Set([grant.userId]), ':version': versionOf(grant) },
          }),
        ),
      );
      if (isAdmitted) return;
      // Either the set does not exist yet (made from the grants, which include this one), or a
      // newer change of this grant was recorded (a demotion that read it): then it stays out.
      if (await this.read(grant.releaseId)) return;
      await this.create(grant.releaseId);
    }
  }

  /**
   * Takes `grant` (as read, role owner) out of the set, refusing when nobody else would be left
   * (`last-owner`) or when a newer change of this grant was already recorded (`changed`). Only
   * after this succeeds may the grant be demoted or deleted, conditional on its version.
   */
  async release(grant: Grant): Promise<OwnerReleaseRefusal | null> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const isReleased = await unlessConditionFails(
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: this.key(grant.releaseId),
            UpdateExpression: 'DELETE owners :users SET seen.#user = :version',
            ConditionExpression:
              'attribute_exists(owners) AND (attribute_not_exists(seen.#user) OR seen.#user <= :version) AND (NOT contains(owners, :user) OR size(owners) > :one)',
            ExpressionAttributeNames: { '#user': grant.userId },
            ExpressionAttributeValues: {
              ':users': new Set([grant.userId]),
              ':user': grant.userId,
              ':version': versionOf(grant),
              ':one': 1,
            },
          }),
        ),
      );
      if (isReleased) return null;
      const item = await this.read(grant.releaseId);
      if (!item) {
        await this.create(grant.releaseId);
        continue;
      }
      return (item.seen[grant.userId] ?? 0) > versionOf(grant) ? 'changed' : 'last-owner';
    }
    return 'changed';
  }
}
