import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unlessConditionFails } from './conditional-write.js';
import type { StoreClient } from './dynamo-client.js';
import { getItems } from './hot-path.js';
import { keys } from './table-layout.js';

/** A track's recording as the label-wide ISRC rule compares them. */
export interface RecordedIsrc {
  isrc: string;
  title: string;
  version: string;
  seconds: number | null;
}

/**
 * The identifiers of one release as last read from its document: what the label-wide checks
 * compare (docs/DELIVERY-CHECKS.md, "Across the label"). Valid identifiers only, ISRCs compact.
 */
export interface IdentifierRecord {
  releaseId: string;
  upc: string | null;
  recordings: RecordedIsrc[];
  /**
   * Epoch ms at which the document it was read from was loaded (taken before the load began):
   * a release whose listing was touched since then, give or take, may have changed.
   */
  readAt: number;
}

type StoredRecord = IdentifierRecord & { PK: string; SK: string };

/** Item `REL#<releaseId>` / `IDENTIFIERS` (table-layout.ts): one per release, gone with its partition. */
export class IdentifierStore {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  async put(record: IdentifierRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...record, PK: keys.release(record.releaseId), SK: keys.identifiers },
      }),
    );
  }

  /**
   * Claims `upc` for `releaseId` when nobody holds it, `releaseId` already does, or `from` (a
   * holder found to no longer carry it) still does: one conditional PutItem. Returns the holder
   * when the claim was not taken.
   */
  async claimUpc(releaseId: string, upc: string, from?: string): Promise<{ holder: string } | null> {
    const key = { PK: keys.upc(upc), SK: keys.claim };
    const claimed = await unlessConditionFails(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, releaseId },
          ConditionExpression: 'attribute_not_exists(PK) OR releaseId IN (:me, :from)',
          ExpressionAttributeValues: { ':me': releaseId, ':from': from ?? releaseId },
        }),
      ),
    );
    if (claimed) return null;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    // Released in between (the item is never deleted today, so this is only defensive): try again.
    return { holder: typeof Item?.releaseId === 'string' ? Item.releaseId : '' };
  }

  /** The records of `releaseIds` that exist, by release id (BatchGetItem, 100 keys a request). */
  async getMany(releaseIds: readonly string[]): Promise<Map<string, IdentifierRecord>> {
    const items = (await getItems(
      this.client.lowLevel,
      this.tableName,
      releaseIds.map((releaseId) => ({ PK: keys.release(releaseId), SK: keys.identifiers })),
    )) as unknown as StoredRecord[];
    return new Map(
      items.map(({ PK: _pk, SK: _sk, ...record }) => [
        record.releaseId,
        { ...record, upc: record.upc ?? null },
      ]),
    );
  }
}
