import { readReleaseFields } from '@patchline/shared';
import * as Y from 'yjs';
import type { ReleaseSummary } from '../store/document-store.js';
import type { CollabDeps } from './collab-deps.js';
import { perProcess } from './per-process.js';
import { fanOut, sendMessage } from './send.js';
import { UpdateOutbox } from './update-outbox.js';
import { writeSyncUpdate } from './y-messages.js';

interface Accepted {
  update: Uint8Array;
  senderConnectionId: string;
  /** The field paths it changes (`release.title`…), for the listing metadata. */
  paths: readonly string[];
  /** The release's `connectionsVersion` its handler read: fan-out lists at least that. */
  connectionsVersion: number;
  resolve(): void;
  reject(error: unknown): void;
}

/** A commit stays well under DynamoDB's 400 KB item limit whatever it merges. */
const MAX_COMMIT_BYTES = 256 * 1024;
/**
 * How stale a listing's `updatedAt` may get while a release is being edited: refreshing it on
 * every keystroke costs an UpdateItem each, for a figure people read in minutes.
 */
const LISTING_TOUCH_INTERVAL_MS = 5_000;

/**
 * Group commit of accepted updates, per release and handler process: one commit at a time per
 * release; updates accepted while it runs wait and go into the next one, merged into one log
 * item (`Y.mergeUpdates`), with one connection listing and one fan-out. Idle, each update is a
 * commit of its own, so nothing waits; under load (50 people typing) the requests per update
 * fall as the batches grow, instead of the queue growing without end. Each caller's promise
 * settles once its update is stored and sent (ST1 holds for the merged item as for one).
 * Where a runtime runs one invocation per process at a time (Lambda) batches are of one.
 */
export class ReleaseCommitter {
  private readonly queues = new Map<string, Accepted[]>();
  private readonly lastTouched = new Map<string, number>();
  /** Fan-out of committed updates, merged per connection when posts back up. */
  private readonly outbox: UpdateOutbox;

  constructor(private readonly deps: CollabDeps) {
    this.outbox = new UpdateOutbox((connectionId, update) =>
      sendMessage(deps, connectionId, writeSyncUpdate(update)),
    );
  }

  commit(
    releaseId: string,
    update: Uint8Array,
    senderConnectionId: string,
    paths: readonly string[],
    connectionsVersion = 0,
  ) {
    return new Promise<void>((resolve, reject) => {
      const accepted: Accepted = { update, senderConnectionId, paths, connectionsVersion, resolve, reject };
      const queue = this.queues.get(releaseId);
      if (queue) {
        queue.push(accepted);
        return;
      }
      this.queues.set(releaseId, [accepted]);
      void this.run(releaseId);
    });
  }

  private async run(releaseId: string): Promise<void> {
    const queue = this.queues.get(releaseId)!;
    while (queue.length > 0) {
      const batch = takeBatch(queue);
      try {
        await this.commitBatch(releaseId, batch);
        for (const accepted of batch) accepted.resolve();
      } catch (error) {
        for (const accepted of batch) accepted.reject(error);
      }
    }
    this.queues.delete(releaseId);
  }

  private async commitBatch(releaseId: string, batch: Accepted[]): Promise<void> {
    const { stores } = this.deps;
    const update = batch.length === 1 ? batch[0]!.update : Y.mergeUpdates(batch.map((a) => a.update));
    const key = await stores.documents.appendUpdate(releaseId, update);
    // Into the shared document only once stored: what it holds is what DynamoDB holds.
    stores.documentCache.appended(releaseId, key, update);
    const senders = new Set(batch.map((accepted) => accepted.senderConnectionId));
    // A lone sender is spared its own update; with several, each gets the merged update, its own
    // part included, which Yjs ignores on arrival.
    const except = senders.size === 1 ? { except: batch[0]!.senderConnectionId } : {};
    const connectionsVersion = Math.max(...batch.map((accepted) => accepted.connectionsVersion));
    // Stored (ST1), so it may go out; the listing metadata is refreshed meanwhile.
    await Promise.all([
      fanOut(this.deps, releaseId, { ...except, connectionsVersion }, (connectionId) =>
        this.outbox.send(connectionId, update),
      ),
      this.touchListing(
        releaseId,
        summaryOf(
          stores.documentCache.peek(releaseId),
          batch.flatMap((accepted) => accepted.paths),
        ),
      ),
    ]);
  }

  /** Refreshes the listing metadata: always when a listed field changed, else at most every interval. */
  private async touchListing(releaseId: string, summary: ReleaseSummary): Promise<void> {
    const now = this.deps.now();
    const changesListedField = Object.keys(summary).length > 0;
    if (!changesListedField && now - (this.lastTouched.get(releaseId) ?? 0) < LISTING_TOUCH_INTERVAL_MS)
      return;
    if (this.lastTouched.size >= 10_000) this.lastTouched.clear();
    this.lastTouched.set(releaseId, now);
    await this.deps.stores.documents.touch(releaseId, summary);
  }
}

/** The committer of this handler process. */
export const committerFor = perProcess((deps) => new ReleaseCommitter(deps));

/** The oldest updates in the queue, up to the commit size limit (at least one). */
function takeBatch(queue: Accepted[]): Accepted[] {
  let bytes = queue[0]!.update.length;
  let count = 1;
  while (count < queue.length && bytes + queue[count]!.update.length <= MAX_COMMIT_BYTES) {
    bytes += queue[count]!.update.length;
    count += 1;
  }
  return queue.splice(0, count);
}

/** Release fields mirrored into the listing metadata when the update touched them. */
function summaryOf(doc: Y.Doc | undefined, paths: readonly string[]): ReleaseSummary {
  const summary: ReleaseSummary = {};
  if (!doc) return summary;
  const fields = readReleaseFields(doc);
  if (paths.includes('release.title')) summary.title = fields.title;
  if (paths.includes('release.displayArtist')) summary.displayArtist = fields.displayArtist;
  return summary;
}
