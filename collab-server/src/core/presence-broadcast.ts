import { mergeAwarenessUpdates } from './awareness-entries.js';
import type { CollabDeps } from './collab-deps.js';
import { perProcess } from './per-process.js';
import { fanOut, sendMessage } from './send.js';
import { UpdateOutbox } from './update-outbox.js';
import { writeAwarenessMessage } from './y-messages.js';

/**
 * Presence comes in bursts: everyone renews theirs every 15 s, on the same beat when they
 * joined together, and each renewal goes to everyone. Posted through one outbox per handler
 * process, what queues behind a busy connection goes out merged, so a burst costs about a post
 * per connection instead of one per person per connection.
 */
const presenceOutboxFor = perProcess(
  (deps) =>
    new UpdateOutbox(
      (connectionId, update) => sendMessage(deps, connectionId, writeAwarenessMessage(update)),
      mergeAwarenessUpdates,
    ),
);

/** Sends an awareness update to every connection of the release, the sender included. */
export function broadcastPresence(deps: CollabDeps, releaseId: string, awarenessUpdate: Uint8Array) {
  const outbox = presenceOutboxFor(deps);
  return fanOut(deps, releaseId, {}, (connectionId) => outbox.send(connectionId, awarenessUpdate));
}
