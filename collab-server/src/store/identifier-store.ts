import { PutCommand } from '@aws-sdk/lib-dynamodb';
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
