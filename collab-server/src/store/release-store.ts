import { BatchGetCommand, DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ReleaseStatus } from '@patchline/shared';
import type { StoreClient } from './dynamo-client.js';
import { queryAll, queryPrefix } from './query-all.js';
import { ALL_RELEASES_KEY, GSI1, keys } from './table-layout.js';

/** What listings show of a release without loading its document. */
export interface ReleaseMeta {
  releaseId: string;
  title: string;
  displayArtist: string;
  status: ReleaseStatus;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
}

type MetaItem = ReleaseMeta & { PK: string; SK: string; snapshotId?: string; snapshotChunks?: number };

const META_FIELDS = [
  'releaseId',
  'title',
  'displayArtist',
  'status',
  'ownerId',
  'createdAt',
  'updatedAt',
] as const;
const toMeta = (item: MetaItem): ReleaseMeta =>
  Object.fromEntries(META_FIELDS.map((field) => [field, item[field]])) as unknown as ReleaseMeta;

export class ReleaseStore {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  async get(releaseId: string): Promise<ReleaseMeta | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.meta },
        ConsistentRead: true,
      }),
    );
    return Item ? toMeta(Item as MetaItem) : null;
  }

  /** Every release (label staff). */
  async listAll(): Promise<ReleaseMeta[]> {
    const items = await queryAll<MetaItem>(this.client, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'GSI1PK = :all',
      ExpressionAttributeValues: { ':all': ALL_RELEASES_KEY },
    });
    return items.map(toMeta);
  }

  async getMany(releaseIds: readonly string[]): Promise<ReleaseMeta[]> {
    const metas: ReleaseMeta[] = [];
    for (let i = 0; i < releaseIds.length; i += 100) {
      const Keys = releaseIds.slice(i, i + 100).map((id) => ({ PK: keys.release(id), SK: keys.meta }));
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.tableName]: { Keys },
      };
      while (request && Object.keys(request).length > 0) {
        const result = await this.client.send(new BatchGetCommand({ RequestItems: request }));
        metas.push(...((result.Responses?.[this.tableName] ?? []) as MetaItem[]).map(toMeta));
        request = result.UnprocessedKeys as typeof request;
      }
    }
    return metas;
  }

  async setStatus(releaseId: string, status: ReleaseStatus, nowIso: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.meta },
        UpdateExpression: 'SET #status = :status, updatedAt = :now',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':now': nowIso },
      }),
    );
  }

  /** Removes every item of the release's partition (document, grants, connections). */
  async deleteAll(releaseId: string): Promise<void> {
    const pk = keys.release(releaseId);
    const items = await queryPrefix<{ SK: string }>(this.client, this.tableName, pk, '');
    // META last, so a concurrent load sees the release until its content is gone.
    const ordered = [...items.filter((i) => i.SK !== keys.meta), ...items.filter((i) => i.SK === keys.meta)];
    for (const item of ordered) {
      await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: pk, SK: item.SK } }));
    }
  }
}
