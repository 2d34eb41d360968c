import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ReleaseRole } from '@patchline/permissions';
import type { ControlMessage } from '@patchline/shared';
import type { StoreClient } from './dynamo-client.js';
import { queryPrefix } from './query-all.js';
import { epochSeconds, keys } from './table-layout.js';

export interface ConnectionRecord {
  connectionId: string;
  releaseId: string;
  userId: string;
  name: string;
  groups: string[];
  /** Role when connected; enforcement re-reads grants on every message. */
  role: ReleaseRole | null;
  connectedAt: number;
  /** The latest awareness update of this connection's Yjs client, if any (stored so that people who join later see who is here). */
  awareness?: Uint8Array;
  awarenessClientId?: number;
  expiresAt: number;
  /**
   * Set when the server ended the connection (`end`): what it was told, for a connection that
   * could not be closed yet (still in its `$connect`), which gets it with its first frame.
   */
  ended?: ControlMessage;
}

/** What the user's own partition holds of each of their connections (per-user limits, `listForUser`). */
export type UserConnection = Pick<ConnectionRecord, 'connectionId' | 'releaseId' | 'userId' | 'connectedAt'>;

/** How a connection's message rate is held to `ratePerSecond` with bursts of `burst` (`consumeMessages`). */
export interface MessageRate {
  ratePerSecond: number;
  burst: number;
}

type ConnectionItem = ConnectionRecord & { PK: string; SK: string };
const toRecord = ({ PK: _pk, SK: _sk, ...record }: ConnectionItem): ConnectionRecord => ({
  ...record,
  ...(record.awareness ? { awareness: new Uint8Array(record.awareness) } : {}),
});

/**
 * Open connections. Each has three items: one in its release's partition (listing the release's
 * connections is one Query), one under its own id (events carry only the connection id), and one
 * in its user's partition (per-user limits; every connection of a user). All three are read
 * consistently, so a `$connect` that records itself before it reads access cannot be missed by a
 * revocation that lists after it wrote (handle-connect.ts).
 */
export class ConnectionStore {
  /** Records read by `getRecent`, with when; dropped by `delete` in this process. */
  private readonly recent = new Map<string, { record: ConnectionRecord; readAt: number }>();
  /** Release connection lists read by `listRecent`: when the read started, at which version. */
  private readonly lists = new Map<
    string,
    { records: Promise<ConnectionRecord[]>; readAt: number; version: number }
  >();

  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
    /** API Gateway closes a connection after 2 hours; keep the record a little longer. */
    private readonly ttlSeconds = 2 * 3600 + 600,
  ) {}

  /**
   * Records a connection, then bumps the release's `connectionsVersion`: a handler that reads a
   * version at least this one (`readHead`, with every update) lists this connection too.
   */
  async put(record: Omit<ConnectionRecord, 'expiresAt'>): Promise<ConnectionRecord> {
    const full = { ...record, expiresAt: epochSeconds(record.connectedAt) + this.ttlSeconds };
    const { connectionId, releaseId, userId, connectedAt, expiresAt } = full;
    await Promise.all(
      [
        { ...full, PK: keys.release(releaseId), SK: keys.connectionInRelease(connectionId) },
        { ...full, PK: keys.connection(connectionId), SK: keys.meta },
        {
          connectionId,
          releaseId,
          userId,
          connectedAt,
          expiresAt,
          PK: keys.user(userId),
          SK: keys.userConnection(connectionId),
        },
      ].map((Item) => this.client.send(new PutCommand({ TableName: this.tableName, Item }))),
    );
    await this.bumpVersion(record.releaseId);
    this.editList(record.releaseId, (records) => [
      ...records.filter((other) => other.connectionId !== record.connectionId),
      full,
    ]);
    return full;
  }

  async get(connectionId: string): Promise<ConnectionRecord | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.connection(connectionId), SK: keys.meta },
        ConsistentRead: true,
      }),
    );
    return Item ? toRecord(Item as ConnectionItem) : null;
  }

  /**
   * `get`, answered from this process's memory when read less than `maxAgeMs` ago. For the
   * frame path only: it needs the connection's release, user and groups, which never change;
   * access itself is decided from the grant, read fresh on every update.
   */
  async getRecent(
    connectionId: string,
    maxAgeMs: number,
    now = Date.now(),
  ): Promise<ConnectionRecord | null> {
    const hit = this.recent.get(connectionId);
    if (hit && now - hit.readAt < maxAgeMs) return hit.record;
    const record = await this.get(connectionId);
    if (this.recent.size >= 10_000) this.recent.clear();
    if (record) this.recent.set(connectionId, { record, readAt: now });
    else this.recent.delete(connectionId);
    return record;
  }

  /** The release-partition copy, which also holds the awareness. */
  async getInRelease(releaseId: string, connectionId: string): Promise<ConnectionRecord | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.connectionInRelease(connectionId) },
        ConsistentRead: true,
      }),
    );
    return Item ? toRecord(Item as ConnectionItem) : null;
  }

  async listForRelease(releaseId: string): Promise<ConnectionRecord[]> {
    const items = await queryPrefix<ConnectionItem>(
      this.client,
      this.tableName,
      keys.release(releaseId),
      keys.connectionPrefix,
    );
    return items.map(toRecord);
  }

  /**
   * Every connection of a user, on any release, read consistently: one recorded before this
   * call started is in the answer unless it was removed since. Oldest first.
   */
  async listForUser(userId: string): Promise<UserConnection[]> {
    const items = await queryPrefix<UserConnection & { PK: string; SK: string; expiresAt: number }>(
      this.client,
      this.tableName,
      keys.user(userId),
      keys.connectionPrefix,
    );
    return items
      .map(({ connectionId, releaseId, userId: user, connectedAt }) => ({
        connectionId,
        releaseId,
        userId: user,
        connectedAt,
      }))
      .sort((a, b) => a.connectedAt - b.connectedAt || a.connectionId.localeCompare(b.connectionId));
  }

  /**
   * The release's `connectionsVersion` now (consistent): a fan-out given it lists again unless
   * its list was read at this version or later, so it reaches no connection removed before.
   */
  async version(releaseId: string): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.meta },
        ProjectionExpression: 'connectionsVersion',
        ConsistentRead: true,
      }),
    );
    return Number(Item?.connectionsVersion ?? 0);
  }

  /**
   * `listForRelease`, answered from this process's memory when read less than `maxAgeMs` ago
   * and at `version` (the release's `connectionsVersion`, read after the caller's update
   * arrived) or later; concurrent callers share one read. For fan-out only: a connection
   * recorded after that version was read can be missing, and gets what it missed by its join
   * resync (join-resync.ts). `put` and `delete` in this process update the list.
   */
  listRecent(
    releaseId: string,
    maxAgeMs: number,
    now = Date.now(),
    version = 0,
  ): Promise<ConnectionRecord[]> {
    const hit = this.lists.get(releaseId);
    if (hit && now - hit.readAt < maxAgeMs && hit.version >= version) return hit.records;
    if (this.lists.size >= 10_000) this.lists.clear();
    // A read starting now lists every connection the version this process saw before covered.
    const entry = {
      records: this.listForRelease(releaseId),
      readAt: now,
      version: Math.max(version, hit?.version ?? 0),
    };
    this.lists.set(releaseId, entry);
    entry.records.catch(() => {
      if (this.lists.get(releaseId) === entry) this.lists.delete(releaseId);
    });
    return entry.records;
  }

  private async bumpVersion(releaseId: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(releaseId), SK: keys.meta },
          UpdateExpression: 'ADD connectionsVersion :one',
          // ADD would create the item: a connection to a deleted release must not revive it.
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private editList(releaseId: string, edit: (records: ConnectionRecord[]) => ConnectionRecord[]): void {
    const entry = this.lists.get(releaseId);
    if (entry) entry.records = entry.records.then(edit);
  }

  /**
   * Stores a connection's awareness where joiners read it (the release partition). False when
   * the connection is gone or, with `onlyAsAnnounced`, when it announced another Yjs client first.
   */
  async setAwareness(
    releaseId: string,
    connectionId: string,
    awareness: Uint8Array,
    clientId: number,
    onlyAsAnnounced = false,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.release(releaseId), SK: keys.connectionInRelease(connectionId) },
          UpdateExpression: 'SET awareness = :a, awarenessClientId = :c',
          ConditionExpression: onlyAsAnnounced
            ? 'attribute_exists(PK) AND (attribute_not_exists(awarenessClientId) OR awarenessClientId = :c)'
            : 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':a': awareness, ':c': clientId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async setRole(releaseId: string, connectionId: string, role: ReleaseRole): Promise<void> {
    await Promise.all(
      [
        { PK: keys.release(releaseId), SK: keys.connectionInRelease(connectionId) },
        { PK: keys.connection(connectionId), SK: keys.meta },
      ].map(
        (Key) =>
          this.client
            .send(
              new UpdateCommand({
                TableName: this.tableName,
                Key,
                UpdateExpression: 'SET #role = :role',
                ConditionExpression: 'attribute_exists(PK)',
                ExpressionAttributeNames: { '#role': 'role' },
                ExpressionAttributeValues: { ':role': role },
              }),
            )
            .catch(() => undefined), // gone meanwhile: nothing to update
      ),
    );
  }

  /**
   * Counts one refused update of a connection and resolves with the count in the current window
   * of `windowMs`. Kept on the connection's own item, since its messages reach any handler
   * instance; a refusal after the window starts a new one.
   */
  async countRefusal(connectionId: string, now: number, windowMs: number): Promise<number> {
    const key = { PK: keys.connection(connectionId), SK: keys.meta };
    // Refusals of one connection are counted by several handler instances at once: both the
    // count and the start of a new window are conditional writes, so none is lost.
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const { Attributes } = await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'ADD refusals :one',
            ConditionExpression: 'attribute_exists(PK) AND refusalWindow > :start',
            ExpressionAttributeValues: { ':one': 1, ':start': now - windowMs },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        return Number(Attributes?.refusals ?? 1);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET refusals = :one, refusalWindow = :now',
            ConditionExpression:
              'attribute_exists(PK) AND (attribute_not_exists(refusalWindow) OR refusalWindow <= :start)',
            ExpressionAttributeValues: { ':one': 1, ':now': now, ':start': now - windowMs },
          }),
        );
        return 1;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Another instance started the window meanwhile (count again), or the connection is gone.
      }
    }
    return 0;
  }

  /**
   * Forgets a connection (its three items), then bumps the release's `connectionsVersion`, so
   * every handler's cached list is read again before it is next used with a version read after
   * this (updates and presence): nothing is sent to the connection through a list older than
   * its removal. Without `userId`, it is read from the connection's own item first.
   */
  async delete(releaseId: string, connectionId: string, userId?: string): Promise<void> {
    this.recent.delete(connectionId);
    this.editList(releaseId, (records) => records.filter((other) => other.connectionId !== connectionId));
    const owner = userId ?? (await this.get(connectionId))?.userId;
    await Promise.all(
      [
        { PK: keys.release(releaseId), SK: keys.connectionInRelease(connectionId) },
        { PK: keys.connection(connectionId), SK: keys.meta },
        ...(owner ? [{ PK: keys.user(owner), SK: keys.userConnection(connectionId) }] : []),
      ].map((Key) => this.client.send(new DeleteCommand({ TableName: this.tableName, Key }))),
    );
    await this.bumpVersion(releaseId);
  }

  /**
   * Ends a connection the server is done with: it leaves every list (its release and user items
   * go, and the release's `connectionsVersion` is bumped, as in `delete`), and its own item is
   * kept until `$disconnect` with `notice`, so a connection still in its `$connect` (which no
   * close reaches yet) is told why by its first frame.
   */
  async end(
    connection: Pick<ConnectionRecord, 'connectionId' | 'releaseId' | 'userId'>,
    notice: ControlMessage,
  ): Promise<void> {
    const { connectionId, releaseId, userId } = connection;
    this.recent.delete(connectionId);
    this.editList(releaseId, (records) => records.filter((other) => other.connectionId !== connectionId));
    await Promise.all([
      ...[
        { PK: keys.release(releaseId), SK: keys.connectionInRelease(connectionId) },
        { PK: keys.user(userId), SK: keys.userConnection(connectionId) },
      ].map((Key) => this.client.send(new DeleteCommand({ TableName: this.tableName, Key }))),
      this.client
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { PK: keys.connection(connectionId), SK: keys.meta },
            UpdateExpression: 'SET ended = :notice',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':notice': notice },
          }),
        )
        .catch((error: unknown) => {
          if (!(error instanceof ConditionalCheckFailedException)) throw error; // gone already
        }),
    ]);
    await this.bumpVersion(releaseId);
  }

  /**
   * Counts `cost` messages of a connection, the latest received at `receivedAt`, against its
   * rate (a generic cell rate algorithm on the connection's own item, since its messages reach
   * any handler instance): `rateTat`, the theoretical arrival time, advances by
   * `cost / ratePerSecond` seconds from the later of itself and `receivedAt`, and may run at most
   * `burst / ratePerSecond` seconds ahead of `rateSeen`, the latest arrival counted. Measured from
   * the latest arrival, not this one: handlers count in any order, and a backlog makes some count
   * seconds late. 'exceeded' changes nothing; 'contended' when other handlers kept writing
   * (count again later); 'gone' when the connection is, or was ended (`end`).
   */
  async consumeMessages(
    connectionId: string,
    cost: number,
    receivedAt: number,
    rate: MessageRate,
  ): Promise<'ok' | 'exceeded' | 'contended' | 'gone'> {
    const Key = { PK: keys.connection(connectionId), SK: keys.meta };
    const interval = 1000 / rate.ratePerSecond;
    for (let attempt = 0; attempt < 5; attempt++) {
      const { Item } = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key,
          ProjectionExpression: 'rateTat, rateSeen, ended',
          ConsistentRead: true,
        }),
      );
      if (!Item || Item.ended) return 'gone';
      const tat = Item.rateTat === undefined ? null : Number(Item.rateTat);
      const seen = Math.max(Number(Item.rateSeen ?? 0), receivedAt);
      const next = Math.round(Math.max(tat ?? 0, receivedAt) + cost * interval);
      if (next - seen > rate.burst * interval) return 'exceeded';
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET rateTat = :next, rateSeen = :seen',
            // Written over what was read only: a concurrent count reads again.
            ConditionExpression:
              tat === null
                ? 'attribute_exists(PK) AND attribute_not_exists(rateTat)'
                : 'attribute_exists(PK) AND rateTat = :tat',
            ExpressionAttributeValues: {
              ':next': next,
              ':seen': seen,
              ...(tat === null ? {} : { ':tat': tat }),
            },
          }),
        );
        return 'ok';
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return 'contended';
  }
}
