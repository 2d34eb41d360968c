import { DeleteCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ReleaseStatus } from '@patchline/shared';
import { queryPrefix } from './query-all.js';
import { keys } from './table-layout.js';

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

export class ReleaseStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
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
    if (!Item) return null;
    const { releaseId: id, title, displayArtist, status, ownerId, createdAt, updatedAt } = Item as MetaItem;
    return { releaseId: id, title, displayArtist, status, ownerId, createdAt, updatedAt };
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
