import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  createSheet,
  diffSheets,
  instantiateRoots,
  type ReleaseSheet,
  type ReleaseStatus,
  randomId,
  readSheet,
  summarizeDiff,
  type VersionKind,
} from '@patchline/shared';
import * as Y from 'yjs';
import type { LogRecord } from './document-store.js';
import type { StoreClient } from './dynamo-client.js';
import { getItems } from './hot-path.js';
import { queryAll, queryPrefix } from './query-all.js';
import { keys } from './table-layout.js';

/**
 * Version history's storage (README.md, "Version history"; table-layout.ts lists the keys):
 * - attribution: every commit's record (who, when, which paths, small values) stays in its log
 *   item until compaction folds it; compaction then writes the records into `HIST#` items
 *   (`attributionItems`), merging a person's run of commits to the same fields, and those are
 *   never deleted. Readers merge both, by sequence number.
 * - versions: `VER#<seq>#<id>` with the document's state at `seq` in `VSTATE#<id>#<n>` chunks.
 *   Compaction never touches them. Automatic versions are thinned as they age
 *   (`autoVersionsToDrop`), so their number stays bounded however long a release is edited;
 *   status, named and restore versions are kept.
 */

/** One commit, or a run of commits merged (`first..last`), as history reads them. */
export interface AttributionRecord {
  first: number;
  last: number;
  /** Epoch ms of the last commit of the run. */
  at: number;
  by: string[];
  paths: string[];
  /** The values after the run (`recordedValues`), when recorded. */
  values?: Record<string, unknown>;
}

/** Commits of one person to the same fields less than this apart are kept as one run. */
export const RUN_GAP_MS = 60_000;
/** Attribution items are cut below DynamoDB's 400 KB item limit. */
const ATTRIBUTION_ITEM_CHARS = 300 * 1024;
/** Version state chunks, as snapshot chunks (dynamo-document-store.ts). */
const VERSION_CHUNK_BYTES = 300 * 1024;

const attributionOfLog = (record: LogRecord): AttributionRecord => ({
  first: record.seq,
  last: record.seq,
  at: record.at,
  by: record.by,
  paths: record.paths,
  ...(record.values ? { values: record.values } : {}),
});

const samePaths = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((path, i) => path === b[i]);

/** Status changes are each an entry of their own, however quickly one follows another. */
const UNMERGED_PATH = 'release.status';

/**
 * Merges runs: consecutive commits of the same single person to the same paths, each within
 * RUN_GAP_MS of the one before (typing a title is one entry, not thirty). Input in seq order.
 */
export function mergeRuns(records: readonly AttributionRecord[]): AttributionRecord[] {
  const runs: AttributionRecord[] = [];
  for (const record of records) {
    const run = runs.at(-1);
    if (
      run &&
      run.by.length === 1 &&
      record.by.length === 1 &&
      run.by[0] === record.by[0] &&
      run.last + 1 === record.first &&
      record.at - run.at <= RUN_GAP_MS &&
      samePaths(run.paths, record.paths) &&
      !record.paths.includes(UNMERGED_PATH)
    ) {
      runs[runs.length - 1] = {
        ...run,
        last: record.last,
        at: record.at,
        ...(run.values || record.values ? { values: { ...run.values, ...record.values } } : {}),
      };
    } else runs.push(record);
  }
  return runs;
}

type StoredRun = [first: number, last: number, at: number, by: string[], paths: string[], values?: object];
const toStored = (run: AttributionRecord): StoredRun =>
  run.values
    ? [run.first, run.last, run.at, run.by, run.paths, run.values]
    : [run.first, run.last, run.at, run.by, run.paths];
const fromStored = ([first, last, at, by, paths, values]: StoredRun): AttributionRecord => ({
  first,
  last,
  at,
  by,
  paths,
  ...(values ? { values: values as Record<string, unknown> } : {}),
});

/**
 * The attribution items compaction writes for the log records it folds (ST3 in
 * dynamo-document-store.ts): runs merged, cut into items of at most ATTRIBUTION_ITEM_CHARS.
 */
export function attributionItems(pk: string, records: readonly LogRecord[]): Record<string, unknown>[] {
  const runs = mergeRuns(records.map(attributionOfLog));
  const items: Record<string, unknown>[] = [];
  let chunk: string[] = [];
  let chars = 0;
  let first = 0;
  let last = 0;
  const flush = () => {
    if (chunk.length === 0) return;
    items.push({ PK: pk, SK: keys.history(first, last), records: `[${chunk.join(',')}]` });
    chunk = [];
    chars = 0;
  };
  for (const run of runs) {
    const json = JSON.stringify(toStored(run));
    if (chars + json.length > ATTRIBUTION_ITEM_CHARS) flush();
    if (chunk.length === 0) first = run.first;
    chunk.push(json);
    chars += json.length + 1;
    last = run.last;
  }
  flush();
  return items;
}

export interface VersionPerson {
  userId: string;
  name: string;
}

/** A version as stored (names of contributors are looked up when read). */
export interface StoredVersion {
  versionId: string;
  seq: number;
  kind: VersionKind;
  name: string | null;
  status: ReleaseStatus;
  createdAt: string;
  createdBy: VersionPerson | null;
  contributorIds: string[];
  summary: string;
  chunks: number;
  bytes: number;
}

type VersionItem = StoredVersion & { PK: string; SK: string };
const toVersion = ({ PK: _pk, SK: _sk, ...version }: VersionItem): StoredVersion => version;

export interface NewVersion {
  seq: number;
  /** `Y.encodeStateAsUpdate` of the document at `seq`. */
  state: Uint8Array;
  status: ReleaseStatus;
  kind: VersionKind;
  name?: string | null;
  createdBy?: VersionPerson | null;
  at: number;
}

/**
 * A version id holds the log position it was taken at (base 36, 8 characters, then 8 random),
 * so a version is read by key from its id alone. Ids stay `isValidId` ids.
 */
const VERSION_SEQ_CHARS = 8;
const newVersionId = (seq: number) => seq.toString(36).padStart(VERSION_SEQ_CHARS, '0') + randomId(8);
function seqOfVersionId(versionId: string): number | null {
  if (!/^[0-9a-z]{16}$/.test(versionId)) return null;
  const seq = Number.parseInt(versionId.slice(0, VERSION_SEQ_CHARS), 36);
  return Number.isSafeInteger(seq) ? seq : null;
}

/** The server's own user id (client-binding-store.ts): not a contributor. */
const SYSTEM_USER = 'system';

/** How long automatic versions are all kept, then one per day until AUTO_DAILY_MS, then one per week. */
const AUTO_ALL_MS = 24 * 3_600_000;
const AUTO_DAILY_MS = 30 * 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * Automatic versions the retention schedule drops: all are kept for a day, then the newest of
 * each UTC day for 30 days, then the newest of each week. Other kinds and the newest version are
 * always kept. So a release edited every day for a year keeps at most about
 * (versions of one day) + 30 + 52 automatic versions.
 */
export function autoVersionsToDrop<V extends Pick<StoredVersion, 'seq' | 'kind' | 'createdAt'>>(
  versions: readonly V[],
  now: number,
): V[] {
  const newest = versions.reduce<V | null>((a, v) => (a && a.seq >= v.seq ? a : v), null);
  const keptPerBucket = new Map<string, V>();
  const drop: V[] = [];
  // Newest first, so the first version seen in a bucket is the one kept.
  for (const version of [...versions].sort((a, b) => b.seq - a.seq)) {
    if (version.kind !== 'auto' || version === newest) continue;
    const at = Date.parse(version.createdAt);
    const age = now - at;
    if (age < AUTO_ALL_MS) continue;
    const bucket = age < AUTO_DAILY_MS ? `d${Math.floor(at / DAY_MS)}` : `w${Math.floor(at / WEEK_MS)}`;
    if (keptPerBucket.has(bucket)) drop.push(version);
    else keptPerBucket.set(bucket, version);
  }
  return drop;
}

export class HistoryStore {
  constructor(
    private readonly client: StoreClient,
    private readonly tableName: string,
  ) {}

  /**
   * Attribution of the commits numbered `after + 1 .. upTo` (all when omitted), in seq order:
   * the kept items, and the log items not folded yet (or folded less than an hour ago; a run
   * already in a kept item is not repeated).
   */
  async readAttribution(
    releaseId: string,
    range: { after?: number; upTo?: number } = {},
  ): Promise<AttributionRecord[]> {
    const after = range.after ?? 0;
    const upTo = range.upTo ?? Number.MAX_SAFE_INTEGER;
    if (upTo <= after) return [];
    const pk = keys.release(releaseId);
    // Log items at or below what the kept items cover are folded ones waiting to expire (an
    // hour on DynamoDB; dynalite keeps them): their records are in the kept items already.
    const logAfter = Math.max(after, (await this.keptUpTo(releaseId)) ?? 0);
    const [kept, log] = await Promise.all([
      queryAll<{ records: string }>(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': pk,
          ':from': keys.historyPrefix,
          ':to': range.upTo === undefined ? `${keys.historyPrefix}~` : keys.historyUpTo(upTo),
        },
        ProjectionExpression: '#records',
        ExpressionAttributeNames: { '#records': 'records' },
        ConsistentRead: true,
      }),
      logAfter >= upTo
        ? []
        : queryAll<{ SK: string; at?: number; by?: string[]; paths?: string[]; vals?: string }>(this.client, {
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': pk,
              ':from': keys.log(logAfter + 1),
              ':to': range.upTo === undefined ? keys.logEnd : keys.log(upTo),
            },
            // Never the update bytes: only the record.
            ProjectionExpression: 'SK, #at, #by, paths, vals',
            ExpressionAttributeNames: { '#at': 'at', '#by': 'by' },
            ConsistentRead: true,
          }),
    ]);
    const records = [
      ...kept.flatMap((item) => (JSON.parse(item.records) as StoredRun[]).map(fromStored)),
      ...log.map((item) => {
        const seq = Number(item.SK.slice(keys.logPrefix.length));
        return {
          first: seq,
          last: seq,
          at: Number(item.at ?? 0),
          by: item.by ?? [],
          paths: item.paths ?? [],
          ...(item.vals ? { values: JSON.parse(item.vals) as Record<string, unknown> } : {}),
        };
      }),
    ]
      .filter((record) => record.last > after && record.first <= upTo)
      .sort((a, b) => a.first - b.first || b.last - a.last);
    // Merge by seq: a run inside one already taken is the same commits (a lost compaction race
    // wrote them twice, or a folded log item still waits to expire).
    const unique: AttributionRecord[] = [];
    let covered = after;
    for (const record of records) {
      if (record.last <= covered) continue;
      unique.push(record);
      covered = record.last;
    }
    // Merged the same way whether compaction folded them yet or not.
    return mergeRuns(unique);
  }

  /**
   * Attribution newest first, a batch at a time (each batch in seq order, older than the one
   * before): the log items after the kept ones, then the kept items going back
   * `itemsPerBatch` at a time. Readers stop once they have what they show, so a page costs what
   * it shows, not the release's whole past.
   */
  async *attributionNewestFirst(releaseId: string, itemsPerBatch = 4): AsyncGenerator<AttributionRecord[]> {
    const pk = keys.release(releaseId);
    const keptTo = (await this.keptUpTo(releaseId)) ?? 0;
    const tail = await this.readAttribution(releaseId, { after: keptTo });
    let coveredFrom = tail[0]?.first ?? keptTo + 1;
    if (tail.length > 0) yield tail;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.historyPrefix },
          ScanIndexForward: false,
          Limit: itemsPerBatch,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      startKey = page.LastEvaluatedKey;
      const runs = (page.Items ?? [])
        .flatMap((item) => (JSON.parse(String(item.records)) as StoredRun[]).map(fromStored))
        .sort((a, b) => b.last - a.last || a.first - b.first);
      const batch: AttributionRecord[] = [];
      for (const run of runs) {
        if (run.last >= coveredFrom) continue; // written twice (a lost compaction race)
        batch.push(run);
        coveredFrom = run.first;
      }
      if (batch.length > 0) yield batch.reverse();
    } while (startKey);
  }

  /** The last seq the kept attribution items cover (null: none yet). */
  private async keptUpTo(releaseId: string): Promise<number | null> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.release(releaseId), ':prefix': keys.historyPrefix },
        ProjectionExpression: 'SK',
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const key = Items?.[0]?.SK as string | undefined;
    return key === undefined ? null : Number(key.split('#')[2]);
  }

  /** The log position of the newest version (null: none yet); one key-only read. */
  async newestVersionSeq(releaseId: string): Promise<number | null> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.release(releaseId), ':prefix': keys.versionPrefix },
        ProjectionExpression: 'SK',
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const key = Items?.[0]?.SK as string | undefined;
    return key === undefined ? null : Number(key.split('#')[1]);
  }

  /**
   * Versions, newest first: by log position, then by when they were saved (versions saved with
   * no edit between them share a position, and their keys then sort by their random part).
   */
  async listVersions(releaseId: string): Promise<StoredVersion[]> {
    const items = await queryPrefix<VersionItem>(
      this.client,
      this.tableName,
      keys.release(releaseId),
      keys.versionPrefix,
    );
    return items
      .map(toVersion)
      .sort((a, b) => b.seq - a.seq || Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  /** One version by id: its key is known from the id (`newVersionId`), so one GetItem. */
  async getVersion(releaseId: string, versionId: string): Promise<StoredVersion | null> {
    const seq = seqOfVersionId(versionId);
    if (seq === null) return null;
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.release(releaseId), SK: keys.version(seq, versionId) },
        ConsistentRead: true,
      }),
    );
    return Item ? toVersion(Item as VersionItem) : null;
  }

  /** A version's document, its chunks read by key; null when a chunk is missing. */
  async readVersionDoc(releaseId: string, version: StoredVersion): Promise<Y.Doc | null> {
    const pk = keys.release(releaseId);
    const items = (await getItems(
      this.client.lowLevel,
      this.tableName,
      Array.from({ length: version.chunks }, (_, i) => ({
        PK: pk,
        SK: keys.versionStateChunk(version.versionId, i),
      })),
    )) as Array<{ SK: string; data: Uint8Array }>;
    if (items.length !== version.chunks) return null;
    items.sort((a, b) => (a.SK < b.SK ? -1 : 1));
    const doc = new Y.Doc();
    instantiateRoots(doc);
    const state = new Uint8Array(items.reduce((sum, item) => sum + item.data.length, 0));
    let offset = 0;
    for (const item of items) {
      state.set(item.data, offset);
      offset += item.data.length;
    }
    Y.applyUpdate(doc, state);
    return doc;
  }

  async readVersionSheet(releaseId: string, version: StoredVersion): Promise<ReleaseSheet | null> {
    const doc = await this.readVersionDoc(releaseId, version);
    return doc && readSheet(doc);
  }

  /**
   * Saves a version of the document at `input.seq`: its contributors (who committed since the
   * version before) and summary (the diff from that version) are computed now, once. An
   * automatic version is skipped (null) when no commit came since the newest version. Automatic
   * versions the retention schedule drops go at the same time.
   */
  async saveVersion(releaseId: string, input: NewVersion): Promise<StoredVersion | null> {
    const versions = await this.listVersions(releaseId);
    const previous = versions.find((version) => version.seq <= input.seq) ?? null;
    if (input.kind === 'auto' && versions[0] && versions[0].seq >= input.seq) return null;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, input.state);
    const sheet = readSheet(doc);
    const [contributorIds, summary] = await Promise.all([
      this.contributorsBetween(releaseId, previous?.seq ?? 0, input.seq),
      this.summaryFrom(releaseId, previous, sheet),
    ]);
    const version: StoredVersion = {
      versionId: newVersionId(input.seq),
      seq: input.seq,
      kind: input.kind,
      name: input.name ?? null,
      status: input.status,
      createdAt: new Date(input.at).toISOString(),
      createdBy: input.createdBy ?? null,
      contributorIds,
      summary,
      chunks: Math.max(1, Math.ceil(input.state.length / VERSION_CHUNK_BYTES)),
      bytes: input.state.length,
    };
    const pk = keys.release(releaseId);
    for (let i = 0; i < version.chunks; i++) {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: pk,
            SK: keys.versionStateChunk(version.versionId, i),
            data: input.state.subarray(i * VERSION_CHUNK_BYTES, (i + 1) * VERSION_CHUNK_BYTES),
          },
        }),
      );
    }
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...version, PK: pk, SK: keys.version(version.seq, version.versionId) },
      }),
    );
    if (input.kind === 'auto') await this.thin(releaseId, [version, ...versions], input.at);
    return version;
  }

  /** Who committed in `after + 1 .. upTo`, in order of first commit, the server left out. */
  private async contributorsBetween(releaseId: string, after: number, upTo: number): Promise<string[]> {
    const records = await this.readAttribution(releaseId, { after, upTo });
    return [...new Set(records.flatMap((record) => record.by))].filter((id) => id !== SYSTEM_USER);
  }

  private async summaryFrom(
    releaseId: string,
    previous: StoredVersion | null,
    sheet: ReleaseSheet,
  ): Promise<string> {
    const before = previous ? await this.readVersionSheet(releaseId, previous) : readSheet(createSheet());
    return summarizeDiff(diffSheets(before ?? readSheet(createSheet()), sheet));
  }

  /**
   * Drops the automatic versions the schedule no longer keeps. The version after each dropped
   * one takes over its contributors and gets its summary again from the version now before it.
   */
  private async thin(releaseId: string, versions: StoredVersion[], now: number): Promise<void> {
    const drop = autoVersionsToDrop(versions, now);
    if (drop.length === 0) return;
    const dropped = new Set(drop.map((version) => version.versionId));
    const ascending = [...versions].sort((a, b) => a.seq - b.seq);
    const pk = keys.release(releaseId);
    for (let i = 0; i < ascending.length; i++) {
      const version = ascending[i]!;
      if (dropped.has(version.versionId)) continue;
      const gone = [];
      for (let j = i - 1; j >= 0 && dropped.has(ascending[j]!.versionId); j--) gone.push(ascending[j]!);
      if (gone.length === 0) continue;
      const before =
        ascending
          .slice(0, i)
          .reverse()
          .find((v) => !dropped.has(v.versionId)) ?? null;
      const sheet = await this.readVersionSheet(releaseId, version);
      const summary = sheet ? await this.summaryFrom(releaseId, before, sheet) : version.summary;
      const contributorIds = [
        ...new Set([...gone.reverse().flatMap((v) => v.contributorIds), ...version.contributorIds]),
      ];
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: pk, SK: keys.version(version.seq, version.versionId) },
          UpdateExpression: 'SET summary = :summary, contributorIds = :contributors',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':summary': summary, ':contributors': contributorIds },
        }),
      );
    }
    for (const version of drop) await this.deleteVersion(releaseId, version);
  }

  private async deleteVersion(releaseId: string, version: StoredVersion): Promise<void> {
    const pk = keys.release(releaseId);
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { PK: pk, SK: keys.version(version.seq, version.versionId) },
      }),
    );
    for (let i = 0; i < version.chunks; i++) {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: pk, SK: keys.versionStateChunk(version.versionId, i) },
        }),
      );
    }
  }
}
