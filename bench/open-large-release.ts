import { orderedTrackIds, setReleaseField, setTrackField } from '@patchline/shared';
import type { WebSocketConstructor } from '@patchline/shared/client';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { median, round } from './stats.js';
import { measureStoredBytes, type StoredBytes } from './stored-bytes.js';
import type { PatchlineTarget } from './targets/patchline.js';
import { haveConverged } from './workload.js';

export interface LargeReleaseOptions {
  edits: number;
  /** Edits per editing session (one Y.Doc client id each), as tabs come and go over a history. */
  editsPerSession: number;
  /** Appends in flight at once, as concurrent handler invocations would write them. */
  concurrency: number;
  /** Timed opens; the bar is on the median. */
  opens: number;
  /** Awaited between building the history and timing the opens (e.g. wait for a quiet machine). */
  settle?: () => Promise<void>;
}

export interface LargeReleaseResult {
  edits: number;
  sessions: number;
  buildMs: number;
  compactions: number;
  /** `Y.encodeStateAsUpdate` of the document once every edit is in. */
  encodedStateBytes: number;
  logUpdatesAfter: number;
  loadMs: { runs: number[]; median: number };
  openMs: { runs: number[]; median: number; max: number };
  /** Where an open's time goes (medians): WebSocket handshake (`$connect`), then first frame. */
  openPhasesMs: { handshake: number; firstFrame: number };
  /** Frames the opening client received until synced; more than one means it opened chunked. */
  openFrames: { count: number; largestBytes: number; totalBytes: number };
  openedIntact: boolean;
  stored: StoredBytes & { ratioToEncoded: number };
}

const TRACK_FIELDS = ['title', 'version', 'artists', 'isrc', 'language'] as const;
const RELEASE_FIELDS = ['title', 'genre', 'version', 'displayArtist', 'language'] as const;

/**
 * Builds a release whose history is `edits` small edits, stored as the `$default` handler stores
 * accepted updates (one `append` each, compaction when `needsCompaction` says so), then times
 * `documents.load()` and a fresh client opening it through the gateway until synced, and
 * weighs the release's partition against the encoded document.
 */
export async function openLargeRelease(
  target: PatchlineTarget,
  options: LargeReleaseOptions,
): Promise<LargeReleaseResult> {
  const { documents } = target.stores;
  const id = await target.createRelease({
    release: { title: 'Ten thousand edits' },
    tracks: Array.from({ length: 12 }, (_, i) => ({ title: `Track ${i + 1}` })),
  });

  const started = performance.now();
  let replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate((await documents.load(id))!.doc));
  const trackIds = orderedTrackIds(replica);
  let pending: Uint8Array[] = [];
  const capture = (update: Uint8Array) => pending.push(update);
  let compactions = 0;
  for (let i = 0; i < options.edits; i++) {
    if (i % options.editsPerSession === 0) {
      replica.off('update', capture);
      const session = new Y.Doc();
      Y.applyUpdate(session, Y.encodeStateAsUpdate(replica));
      replica = session;
      replica.on('update', capture);
    }
    editOf(replica, i, trackIds);
    if (pending.length >= options.concurrency || i === options.edits - 1) {
      await documents.appendAll(id, pending);
      pending = [];
      const loaded = (await documents.load(id))!;
      if (documents.needsCompaction(loaded) && (await documents.compact(id, loaded))) compactions++;
    }
  }
  const buildMs = performance.now() - started;
  await options.settle?.();

  const loadRuns: number[] = [];
  let logUpdatesAfter = 0;
  for (let i = 0; i < options.opens; i++) {
    const t0 = performance.now();
    const loaded = (await documents.load(id))!;
    loadRuns.push(round(performance.now() - t0));
    logUpdatesAfter = loaded.log.length;
  }

  const openRuns: number[] = [];
  const handshakes: number[] = [];
  const firstFrames: number[] = [];
  const frames = { count: 0, largestBytes: 0, totalBytes: 0 };
  let openedIntact = true;
  for (let i = 0; i < options.opens; i++) {
    const counted = { count: 0, largestBytes: 0, totalBytes: 0, openedAt: 0, firstFrameAt: 0 };
    const t0 = performance.now();
    const connection = target.connect(id, { WebSocketImpl: countingWebSocket(counted) });
    await connection.whenSynced();
    openRuns.push(round(performance.now() - t0));
    handshakes.push(counted.openedAt - t0);
    firstFrames.push(counted.firstFrameAt - t0);
    openedIntact &&= haveConverged([connection.doc, replica]);
    connection.destroy();
    connection.doc.destroy();
    Object.assign(frames, {
      count: counted.count,
      largestBytes: counted.largestBytes,
      totalBytes: counted.totalBytes,
    });
  }

  const encodedStateBytes = Y.encodeStateAsUpdate(replica).length;
  const stored = await measureStoredBytes(target.stores, id);
  return {
    edits: options.edits,
    sessions: Math.ceil(options.edits / options.editsPerSession),
    buildMs: round(buildMs, 0),
    compactions,
    encodedStateBytes,
    logUpdatesAfter,
    loadMs: { runs: loadRuns, median: round(median(loadRuns)) },
    openMs: { runs: openRuns, median: round(median(openRuns)), max: Math.max(...openRuns) },
    openPhasesMs: { handshake: round(median(handshakes)), firstFrame: round(median(firstFrames)) },
    openFrames: frames,
    openedIntact,
    stored: { ...stored, ratioToEncoded: round(stored.itemBytes / encodedStateBytes, 3) },
  };
}

/** A small edit as people make them: one field of a track or of the release, new text each time. */
function editOf(doc: Y.Doc, i: number, trackIds: string[]): void {
  if (i % 4 === 3) {
    const field = RELEASE_FIELDS[i % RELEASE_FIELDS.length]!;
    setReleaseField(doc, field, `Release ${field} ${i}`);
  } else {
    setTrackField(doc, trackIds[i % trackIds.length]!, TRACK_FIELDS[i % TRACK_FIELDS.length]!, `Value ${i}`);
  }
}

interface FrameCount {
  count: number;
  largestBytes: number;
  totalBytes: number;
  openedAt: number;
  firstFrameAt: number;
}

/** `ws`'s WebSocket, counting the frames it receives (to show the state arrived chunked). */
function countingWebSocket(counted: FrameCount) {
  return class CountingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      this.on('open', () => {
        counted.openedAt = performance.now();
      });
      this.on('message', (data: Buffer) => {
        if (counted.count === 0) counted.firstFrameAt = performance.now();
        counted.count++;
        counted.totalBytes += data.length;
        counted.largestBytes = Math.max(counted.largestBytes, data.length);
      });
    }
  } as unknown as WebSocketConstructor;
}
