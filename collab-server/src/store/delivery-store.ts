import { createHash } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreClient } from './dynamo-client.js';
import { getItems, putItem } from './hot-path.js';
import { queryPrefix } from './query-all.js';
import { keys } from './table-layout.js';

/** The files kept of a delivery: the DDEX message and the JSON export of that moment. */
export const DELIVERY_FORMATS = ['ddex', 'json'] as const;
export type DeliveryFormat = (typeof DELIVERY_FORMATS)[number];

/** Chunk size of a kept file: below DynamoDB's 400 KB item limit with room for keys. */
export const DELIVERY_CHUNK_BYTES = 300 * 1024;

export interface DeliveryFileRecord {
  bytes: number;
  chunks: number;
  /** Hex SHA-256 of the file, checked when it is read back. */
  sha256: string;
}

/** One delivery of a release, as listed (`GET /releases/:id/deliveries`). */
export interface DeliveryRecord {
  deliveryId: string;
  releaseId: string;
  /** Epoch ms of the status change to `delivered`. */
  deliveredAt: number;
  deliveredBy: { userId: string; name: string };
  /** Null when the sheet could not be written as a DDEX message (only the JSON is kept then). */
  ddex: DeliveryFileRecord | null;
  json: DeliveryFileRecord;
}

export type DeliveryFiles = Record<DeliveryFormat, Uint8Array | null>;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * What was sent when a release was delivered (docs/DELIVERY.md, "Kept deliveries"): a record
 * `REL#<releaseId>` / `DELIVERY#<deliveryId>` and each file in chunks under
 * `DELIVERYFILE#<deliveryId>#<format>#<nnnn>` (table-layout.ts). Written once, never changed,
 * and left alone by compaction (which touches `LOG#`, `SNAP#` and `UPD#` items only); they go
 * with the whole release, or when the status change they were kept for did not happen.
 */
export class DeliveryStore {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  /** Writes the chunks first and the record last, so a listed delivery always has its files. */
  async put(
    record: Omit<DeliveryRecord, 'ddex' | 'json'>,
    files: { ddex: Uint8Array | null; json: Uint8Array },
  ): Promise<DeliveryRecord> {
    const pk = keys.release(record.releaseId);
    const write = async (format: DeliveryFormat, bytes: Uint8Array): Promise<DeliveryFileRecord> => {
      const chunks = Math.max(1, Math.ceil(bytes.length / DELIVERY_CHUNK_BYTES));
      // One chunk per PutItem, as snapshots are written (dynamo-document-store.ts).
      for (let i = 0; i < chunks; i++) {
        await putItem(this.client.lowLevel, this.tableName, {
          PK: pk,
          SK: keys.deliveryFileChunk(record.deliveryId, format, i),
          data: bytes.subarray(i * DELIVERY_CHUNK_BYTES, (i + 1) * DELIVERY_CHUNK_BYTES),
        });
      }
      return { bytes: bytes.length, chunks, sha256: sha256(bytes) };
    };
    const stored: DeliveryRecord = {
      ...record,
      ddex: files.ddex ? await write('ddex', files.ddex) : null,
      json: await write('json', files.json),
    };
    await putItem(this.client.lowLevel, this.tableName, {
      ...stored,
      PK: pk,
      SK: keys.delivery(record.deliveryId),
    });
    return stored;
  }

  /** Removes a delivery: its record first (it is no longer listed), then its chunks. */
  async delete(record: DeliveryRecord): Promise<void> {
    const pk = keys.release(record.releaseId);
    const remove = (SK: string) =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: pk, SK } }));
    await remove(keys.delivery(record.deliveryId));
    for (const format of DELIVERY_FORMATS) {
      for (let i = 0; i < (record[format]?.chunks ?? 0); i++) {
        await remove(keys.deliveryFileChunk(record.deliveryId, format, i));
      }
    }
  }

  /** The release's deliveries, oldest first (delivery ids sort by time). */
  async list(releaseId: string): Promise<DeliveryRecord[]> {
    const items = await queryPrefix<DeliveryRecord & { PK: string; SK: string }>(
      this.client,
      this.tableName,
      keys.release(releaseId),
      keys.deliveryPrefix,
    );
    return items.map(({ PK: _pk, SK: _sk, ...record }) => ({ ...record, ddex: record.ddex ?? null }));
  }

  async get(releaseId: string, deliveryId: string): Promise<DeliveryRecord | null> {
    const [item] = await getItems(this.client.lowLevel, this.tableName, [
      { PK: keys.release(releaseId), SK: keys.delivery(deliveryId) },
    ]);
    if (!item) return null;
    const { PK: _pk, SK: _sk, ...record } = item as unknown as DeliveryRecord & { PK: string; SK: string };
    return { ...record, ddex: record.ddex ?? null };
  }

  /** A kept file, exactly the bytes stored; null when the delivery kept none in that format. */
  async readFile(record: DeliveryRecord, format: DeliveryFormat): Promise<Uint8Array | null> {
    const file = record[format];
    if (!file) return null;
    const items = (await getItems(
      this.client.lowLevel,
      this.tableName,
      Array.from({ length: file.chunks }, (_, i) => ({
        PK: keys.release(record.releaseId),
        SK: keys.deliveryFileChunk(record.deliveryId, format, i),
      })),
    )) as unknown as Array<{ SK: string; data?: Uint8Array }>;
    items.sort((a, b) => (a.SK < b.SK ? -1 : 1));
    const bytes = Buffer.concat(items.map((item) => item.data ?? new Uint8Array()));
    if (items.length !== file.chunks || bytes.length !== file.bytes || sha256(bytes) !== file.sha256) {
      throw new Error(`delivery ${record.deliveryId}: the kept ${format} file is incomplete`);
    }
    return new Uint8Array(bytes);
  }
}
