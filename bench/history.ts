import {
  fieldPath,
  orderedTrackIds,
  readReleaseStatus,
  recordedValues,
  setReleaseField,
  setTrackField,
  type VersionDetail,
  type VersionList,
} from '@patchline/shared';
import * as Y from 'yjs';
import { autoVersionsToDrop, idTokenOf, type StoredVersion } from './patchline-internals.js';
import { median, round } from './stats.js';
import { measureStoredBytes, type StoredBytes } from './stored-bytes.js';
import type { PatchlineTarget } from './targets/patchline.js';

/** Issue 13's bars: open the timeline, and load any version, in at most this many milliseconds. */
export const HISTORY_BAR_MS = 300;

export interface HistoryBenchOptions {
  edits: number;
  versions: number;
  /** Timed requests of each kind. */
  runs: number;
  /** Appends timed with and without a record, for the write cost of attribution. */
  writeSamples: number;
}

interface Timed {
  median: number;
  max: number;
  runs: number;
}

export interface HistoryBenchResult {
  edits: number;
  versions: number;
  buildMs: number;
  /** GET /releases/:id/versions through the REST API (auth, names), 100 versions. */
  timelineMs: Timed;
  /** GET /releases/:id/activity?limit=50: reads every attribution record of the release. */
  activityMs: Timed;
  /** GET /releases/:id/versions/:versionId (state chunks read, sheet built), a different version each run. */
  versionMs: Timed & { stateBytes: number };
  /** What attribution adds to each commit. */
  attribution: {
    /** The record's attributes (at, by, paths, vals) in a log item, DynamoDB-sized. */
    recordBytesPerEdit: number;
    /** `HIST#` bytes kept for good per edit after compaction (runs merged). */
    keptBytesPerEdit: number;
    /** Conditional PutItem of a log item: with the record minus without (median of each). */
    putMsWith: number;
    putMsWithout: number;
    extraMsPerEdit: number;
    /** `recordedValues` on the commit path, per commit (microseconds). */
    valuesMicros: number;
  };
  stored: StoredBytes;
  /** A year of daily editing under the retention schedule: automatic versions kept at the end. */
  yearOfEditing: { autoVersionsCreated: number; autoVersionsKept: number; versionBytes: number };
}

const USERS = ['user-ana', 'user-ben', 'user-cy'];

/** DynamoDB's size of a record's attributes (names + values), as stored-bytes.ts counts them. */
function recordBytes(record: { at: number; by: string[]; paths: string[]; vals?: string }): number {
  const list = (values: string[]) => 3 + values.reduce((sum, v) => sum + 1 + Buffer.byteLength(v), 0);
  return (
    'at'.length +
    8 +
    'by'.length +
    list(record.by) +
    'paths'.length +
    list(record.paths) +
    (record.vals ? 'vals'.length + Buffer.byteLength(record.vals) : 0)
  );
}

const timed = (samples: number[]): Timed => ({
  median: round(median(samples), 1),
  max: round(Math.max(...samples), 1),
  runs: samples.length,
});

/**
 * Builds a release with `edits` attributed edits (three people, one field each, as rooms record
 * commits) and a version every `edits / versions` edits, compacting as the handlers do; then
 * times the timeline, the activity feed and opening versions through the REST API, and weighs
 * what attribution costs per edit.
 */
export async function measureHistory(
  target: PatchlineTarget,
  options: HistoryBenchOptions,
): Promise<HistoryBenchResult> {
  const { documents, history } = target.stores;
  const releaseId = await target.createRelease({
    release: { title: 'History bench' },
    tracks: Array.from({ length: 12 }, (_, i) => ({ title: `Track ${i + 1}` })),
  });
  const doc = (await documents.load(releaseId))!.doc;
  const trackIds = orderedTrackIds(doc);
  const every = Math.max(1, Math.floor(options.edits / options.versions));
  const started = performance.now();
  let recordBytesTotal = 0;
  for (let seq = 1; seq <= options.edits; seq++) {
    // Runs of a few edits per person, as people type: merged in the kept records.
    const by = USERS[Math.floor(seq / 7) % USERS.length]!;
    const path =
      seq % 3 === 0
        ? fieldPath.release('genre')
        : fieldPath.trackField(trackIds[seq % trackIds.length]!, seq % 2 ? 'title' : 'isrc');
    let update: Uint8Array | null = null;
    doc.once('update', (emitted: Uint8Array) => {
      update = emitted;
    });
    if (seq % 3 === 0) setReleaseField(doc, 'genre', `Genre ${seq}`);
    else setTrackField(doc, path.split('.')[1]!, seq % 2 ? 'title' : 'isrc', `Value ${seq}`);
    const values = recordedValues(doc, [path]);
    const stored = await documents.appendAt(releaseId, seq, update!, { by: [by], paths: [path], values });
    if (!stored) throw new Error(`log item ${seq} was taken`);
    recordBytesTotal += recordBytes({
      at: stored.at,
      by: stored.by,
      paths: stored.paths,
      vals: JSON.stringify(values),
    });
    const loaded = seq % 50 === 0 ? await documents.load(releaseId) : null;
    if (loaded && documents.needsCompaction(loaded)) await documents.compact(releaseId, loaded);
    if (seq % every === 0) {
      await history.saveVersion(releaseId, {
        seq,
        state: Y.encodeStateAsUpdate(doc),
        status: readReleaseStatus(doc),
        kind: seq % (every * 10) === 0 ? 'named' : 'auto',
        name: seq % (every * 10) === 0 ? `Milestone ${seq}` : null,
        at: Date.now(),
      });
    }
  }
  const buildMs = Math.round(performance.now() - started);
  const final = (await documents.load(releaseId))!;
  if (final.log.length > 0) await documents.compact(releaseId, final);

  const token = await idTokenOf(target.config, 'manager');
  const get = async <T>(path: string): Promise<{ ms: number; body: T }> => {
    const start = performance.now();
    const response = await fetch(`${target.config.apiUrl}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as T;
    const ms = performance.now() - start;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return { ms, body };
  };
  const base = `/releases/${releaseId}`;
  const warm = await get<VersionList>(`${base}/versions`);
  if (warm.body.versions.length !== options.versions)
    throw new Error(`expected ${options.versions} versions, the timeline lists ${warm.body.versions.length}`);
  const timeline: number[] = [];
  const activity: number[] = [];
  const versionSamples: number[] = [];
  let stateBytes = 0;
  await get(`${base}/activity?limit=50`);
  for (let i = 0; i < options.runs; i++) {
    timeline.push((await get<VersionList>(`${base}/versions`)).ms);
    activity.push((await get(`${base}/activity?limit=50`)).ms);
    const version = warm.body.versions[(i * 37) % warm.body.versions.length]!;
    const opened = await get<VersionDetail>(`${base}/versions/${version.versionId}`);
    if (opened.body.sheet.tracks.length !== trackIds.length) throw new Error('a version opened incomplete');
    versionSamples.push(opened.ms);
  }
  const versionsStored = await history.listVersions(releaseId);
  stateBytes = Math.max(...versionsStored.map((version) => version.bytes));

  const stored = await measureStoredBytes(target.stores, releaseId);
  const kept = stored.items.HIST?.itemBytes ?? 0;
  const attribution = await measureWriteCost(target, options.writeSamples);
  return {
    edits: options.edits,
    versions: options.versions,
    buildMs,
    timelineMs: timed(timeline),
    activityMs: timed(activity),
    versionMs: { ...timed(versionSamples), stateBytes },
    attribution: {
      recordBytesPerEdit: round(recordBytesTotal / options.edits, 1),
      keptBytesPerEdit: round(kept / options.edits, 1),
      ...attribution,
    },
    stored,
    yearOfEditing: simulateYear(stateBytes),
  };
}

/** Conditional puts of log items with and without a record, interleaved; and `recordedValues`' CPU. */
async function measureWriteCost(target: PatchlineTarget, samples: number) {
  const { documents } = target.stores;
  const releaseId = await target.createRelease({ tracks: [{ title: 'One' }] });
  const doc = (await documents.load(releaseId))!.doc;
  const [trackId] = orderedTrackIds(doc) as [string];
  const path = fieldPath.trackField(trackId, 'title');
  const withRecord: number[] = [];
  const without: number[] = [];
  for (let seq = 1; seq <= samples * 2; seq++) {
    let update: Uint8Array | null = null;
    doc.once('update', (emitted: Uint8Array) => {
      update = emitted;
    });
    setTrackField(doc, trackId, 'title', `Title ${seq}`);
    const isRecorded = seq % 2 === 0;
    const start = performance.now();
    const commit = isRecorded
      ? { by: ['user-ana'], paths: [path], values: recordedValues(doc, [path]) }
      : { by: [], paths: [] };
    await documents.appendAt(releaseId, seq, update!, commit);
    (isRecorded ? withRecord : without).push(performance.now() - start);
  }
  const loops = 20_000;
  const start = performance.now();
  for (let i = 0; i < loops; i++) recordedValues(doc, [path, 'release.genre', 'notes']);
  const valuesMicros = round(((performance.now() - start) * 1000) / loops, 2);
  const putMsWith = round(median(withRecord), 2);
  const putMsWithout = round(median(without), 2);
  return { putMsWith, putMsWithout, extraMsPerEdit: round(putMsWith - putMsWithout, 2), valuesMicros };
}

/**
 * A release edited every day for a year, 8 hours a day: an automatic version every 5 minutes of
 * editing plus one when the last person leaves, thinned by the retention schedule as they are
 * saved. Status and named versions come on top and are people's own acts.
 */
function simulateYear(stateBytes: number) {
  const day = 86_400_000;
  const start = Date.UTC(2026, 0, 1);
  let versions: Array<Pick<StoredVersion, 'seq' | 'kind' | 'createdAt'>> = [];
  let created = 0;
  let seq = 0;
  for (let d = 0; d < 365; d++) {
    for (let minute = 9 * 60; minute <= 17 * 60; minute += 5) {
      const at = start + d * day + minute * 60_000;
      seq += 10;
      created++;
      versions.unshift({ seq, kind: 'auto', createdAt: new Date(at).toISOString() });
      const drop = new Set(autoVersionsToDrop(versions, at));
      versions = versions.filter((v) => !drop.has(v));
    }
  }
  return {
    autoVersionsCreated: created,
    autoVersionsKept: versions.length,
    versionBytes: versions.length * stateBytes,
  };
}

/** The bars of issue 13 (medians, as the other timed bars). */
export function historyBars(result: HistoryBenchResult | { error: string }) {
  const bar = `≤ ${HISTORY_BAR_MS} ms`;
  if ('error' in result)
    return [{ name: 'history: timeline and versions', figure: result.error, bar, pass: false }];
  return [
    {
      name: `history: open the timeline, ${result.edits} edits and ${result.versions} versions (median)`,
      figure: `${result.timelineMs.median} ms (max ${result.timelineMs.max})`,
      bar,
      pass: result.timelineMs.median <= HISTORY_BAR_MS,
    },
    {
      name: `history: load any version (median of ${result.versionMs.runs} different ones)`,
      figure: `${result.versionMs.median} ms (max ${result.versionMs.max})`,
      bar,
      pass: result.versionMs.median <= HISTORY_BAR_MS,
    },
  ];
}

/** Lines for the report: the figures beside their bars, and the write cost of attribution. */
export function formatHistory(result: HistoryBenchResult | { error: string }): string {
  if ('error' in result) return `history: failed: ${result.error}`;
  const { attribution: a, yearOfEditing: y } = result;
  const kinds = Object.entries(result.stored.items)
    .map(([kind, { count, itemBytes }]) => `${kind} ${count} items ${Math.round(itemBytes / 1024)} KB`)
    .join(', ');
  return [
    `history (${result.edits} edits, ${result.versions} versions, built in ${result.buildMs} ms):`,
    `  timeline (GET versions)        median ${result.timelineMs.median} ms, max ${result.timelineMs.max} ms   bar ≤ ${HISTORY_BAR_MS} ms`,
    `  open a version (GET version)   median ${result.versionMs.median} ms, max ${result.versionMs.max} ms   bar ≤ ${HISTORY_BAR_MS} ms (state ${result.versionMs.stateBytes} B)`,
    `  activity (GET activity, 50)    median ${result.activityMs.median} ms, max ${result.activityMs.max} ms`,
    `  attribution per edit: ${a.recordBytesPerEdit} B in the log item, ${a.keptBytesPerEdit} B kept after compaction; ` +
      `put ${a.putMsWith} ms with vs ${a.putMsWithout} ms without (+${a.extraMsPerEdit} ms), recordedValues ${a.valuesMicros} µs`,
    `  partition: ${Math.round(result.stored.itemBytes / 1024)} KB (${kinds})`,
    `  a year of daily editing: ${y.autoVersionsCreated} automatic versions saved, ${y.autoVersionsKept} kept (${Math.round(y.versionBytes / 1024)} KB of state)`,
  ].join('\n');
}
