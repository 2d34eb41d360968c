import { mergeAwarenessUpdates } from './awareness-entries.js';
import type { CollabDeps } from './collab-deps.js';
import { perProcess } from './per-process.js';
import { fanOut, sendMessage } from './send.js';
import { UpdateOutbox } from './update-outbox.js';
import { writeAwarenessMessage } from './y-messages.js';

/** Long enough to catch a burst, short of what anyone notices in a cursor or a name appearing. */
const PRESENCE_LINGER_MS = 10;

/**
 * Presence comes in bursts: everyone renews theirs every 15 s, on the same beat when they
 * joined together, and each renewal goes to everyone. Posted through one outbox per handler
 * process that holds each connection's first update for PRESENCE_LINGER_MS, what arrives
 * meanwhile or queues behind a busy connection goes out merged, so a burst costs about a post
 * per connection instead of one per person per connection, and leaves the edits' fan-out room.
 */
const presenceOutboxFor = perProcess(
  (deps) =>
    new UpdateOutbox(
      (connectionId, update) => sendMessage(deps, connectionId, writeAwarenessMessage(update)),
      { merge: mergeAwarenessUpdates, lingerMs: PRESENCE_LINGER_MS },
    ),
);

/**
 * Sends an awareness update to every connection of the release, the sender included. With
 * `connectionsVersion` (read after the update arrived) or `listFresh`, no connection removed
 * before that read is reached (`fanOut`).
 */
export function broadcastPresence(
  deps: CollabDeps,
  releaseId: string,
  awarenessUpdate: Uint8Array,
  options: { listFresh?: boolean; connectionsVersion?: number } = {},
) {
  const outbox = presenceOutboxFor(deps);
  return fanOut(deps, releaseId, options, (connectionId) => outbox.send(connectionId, awarenessUpdate));
}
