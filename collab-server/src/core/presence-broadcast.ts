import type { Stores } from '../store/create-stores.js';
import { mergeAwarenessUpdates } from './awareness-entries.js';
import type { CollabDeps } from './collab-deps.js';
import { fanOut, sendMessage } from './send.js';
import { UpdateOutbox } from './update-outbox.js';
import { writeAwarenessMessage } from './y-messages.js';

/**
 * Presence comes in bursts: everyone renews theirs every 15 s, on the same beat when they
 * joined together, and each renewal goes to everyone. Posted through one outbox per handler
 * process (keyed like `committerFor`), what queues behind a busy connection goes out merged, so
 * a burst costs about a post per connection instead of one per person per connection.
 */
const outboxes = new WeakMap<Stores, UpdateOutbox>();

/** Sends an awareness update to every connection of the release, the sender included. */
export function broadcastPresence(deps: CollabDeps, releaseId: string, awarenessUpdate: Uint8Array) {
  let outbox = outboxes.get(deps.stores);
  if (!outbox) {
    outbox = new UpdateOutbox(
      (connectionId, update) => sendMessage(deps, connectionId, writeAwarenessMessage(update)),
      mergeAwarenessUpdates,
    );
    outboxes.set(deps.stores, outbox);
  }
  const lanes = outbox;
  return fanOut(deps, releaseId, {}, (connectionId) => lanes.send(connectionId, awarenessUpdate));
}
