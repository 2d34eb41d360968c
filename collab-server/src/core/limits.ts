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
}

export const DEFAULT_COLLAB_LIMITS: CollabLimits = {
  maxMessageBytes: DEFAULT_PROTOCOL_LIMITS.maxMessageBytes,
  maxAwarenessBytes: 16 * 1024,
  chunkTimeoutMs: DEFAULT_PROTOCOL_LIMITS.chunkTimeoutMs,
  maxPendingMessages: DEFAULT_PROTOCOL_LIMITS.maxPendingMessages,
  maxUpdateBytes: 360 * 1024,
  maxDocumentBytes: 1536 * 1024,
  maxRefusalsPerMinute: 10,
};
