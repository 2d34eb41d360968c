import { DEFAULT_PROTOCOL_LIMITS } from '@patchline/shared';

/** Server-side limits, each named with its reason. */
export interface CollabLimits {
  /** Largest reassembled message; above it the client gets an error and nothing is stored. */
  maxMessageBytes: number;
  /** An awareness state is a cursor, a name and a colour: far below this. */
  maxAwarenessBytes: number;
  /** Staged chunks older than this are ignored (and expire by TTL). */
  chunkTimeoutMs: number;
  /** Partial chunked messages one connection may have staged at once (P7). */
  maxPendingMessages: number;
  /**
   * Largest Yjs update the room accepts: one log item each, with room for its keys under
   * DynamoDB's 400 KB item limit (PROTOCOL.md, "Limits").
   */
  maxUpdateBytes: number;
  /**
   * Largest encoded document a release may grow to: its sync step 2 must fit the clients'
   * reassembly limit (`maxMessageBytes`, 2 MB) with room to spare.
   */
  maxDocumentBytes: number;
  /**
   * Refused updates a connection may send per minute before it is closed, counting those that made
   * the room reload its document from DynamoDB: refusals must not become a way to force work.
   */
  maxRefusalsPerMinute: number;
  /**
   * Open connections of one person on one release: a few tabs and devices. A newer connection
   * over it ends the oldest (`error` `too-many-connections`, then a close), so a tab whose socket
   * died without `$disconnect` never locks its owner out.
   */
  maxConnectionsPerUserPerRelease: number;
  /** Open connections of one person on all releases together (label staff keep many tabs). */
  maxConnectionsPerUser: number;
  /**
   * Frames a connection may send per second, sustained. Holding a key down in the notes sends up
   * to three per repeat: the edit, the caret in presence, and the answer to the server's sync
   * step 1 when edits overtook each other between handler instances (measured: 100 frames a
   * second at 40 repeats, per-connection-limits.test.ts), at up to ~40 repeats a second in the
   * fastest keyboard settings. Over it: `error` `too-many-messages`, then a close.
   */
  maxMessagesPerSecond: number;
  /**
   * Frames a connection may send at once above the rate: the chunks of one 2 MB message (86)
   * and of a `maxUpdateBytes` update (16) several times over, and a reconnect's first messages.
   */
  messageBurst: number;
  /**
   * A handler counts a connection's frames in DynamoDB every this many (per process), so the
   * shared count costs a read and a write per this many frames, beside the frame's own work (no
   * wait); a flood gets about this many frames per handler instance past the limit before it is
   * closed.
   */
  messageCountBatch: number;
  /**
   * Chunks one connection may have staged at once, over all its partial messages (P7 bounds
   * the messages, `maxMessageBytes` each one's bytes): a 2 MB message is 86 chunks.
   */
  maxStagedChunks: number;
  /** Bytes one connection may have staged at once: two messages of `maxMessageBytes`. */
  maxStagedBytes: number;
}

export const DEFAULT_COLLAB_LIMITS: CollabLimits = {
  maxMessageBytes: DEFAULT_PROTOCOL_LIMITS.maxMessageBytes,
  maxAwarenessBytes: 16 * 1024,
  chunkTimeoutMs: DEFAULT_PROTOCOL_LIMITS.chunkTimeoutMs,
  maxPendingMessages: DEFAULT_PROTOCOL_LIMITS.maxPendingMessages,
  maxUpdateBytes: 360 * 1024,
  maxDocumentBytes: 1536 * 1024,
  maxRefusalsPerMinute: 10,
  maxConnectionsPerUserPerRelease: 5,
  maxConnectionsPerUser: 20,
  maxMessagesPerSecond: 150,
  messageBurst: 300,
  messageCountBatch: 4,
  maxStagedChunks: 256,
  maxStagedBytes: 2 * DEFAULT_PROTOCOL_LIMITS.maxMessageBytes,
};

/**
 * Overrides of the defaults from JSON (the `COLLAB_LIMITS` variable): known names, positive
 * whole numbers; anything else throws, so a mistyped override fails the cold start instead of
 * being ignored.
 */
export function readCollabLimits(json: string): Partial<CollabLimits> {
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('COLLAB_LIMITS must be a JSON object');
  for (const [name, limit] of Object.entries(value)) {
    if (!(name in DEFAULT_COLLAB_LIMITS)) throw new Error(`COLLAB_LIMITS: unknown limit ${name}`);
    if (!Number.isSafeInteger(limit) || (limit as number) <= 0)
      throw new Error(`COLLAB_LIMITS: ${name} must be a positive whole number`);
  }
  return value as Partial<CollabLimits>;
}
