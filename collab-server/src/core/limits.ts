import { DEFAULT_PROTOCOL_LIMITS } from '@patchline/shared';

/** Server-side limits, each named with its reason (STYLE 6). */
export interface CollabLimits {
  /** Largest reassembled message; above it the client gets an error and nothing is stored. */
  maxMessageBytes: number;
  /** An awareness state is a cursor, a name and a colour: far below this. */
  maxAwarenessBytes: number;
  /** Staged chunks older than this are ignored (and expire by TTL). */
  chunkTimeoutMs: number;
  /** Partial chunked messages one connection may have staged at once (P7). */
  maxPendingMessages: number;
}

export const DEFAULT_COLLAB_LIMITS: CollabLimits = {
  maxMessageBytes: DEFAULT_PROTOCOL_LIMITS.maxMessageBytes,
  maxAwarenessBytes: 16 * 1024,
  chunkTimeoutMs: DEFAULT_PROTOCOL_LIMITS.chunkTimeoutMs,
  maxPendingMessages: DEFAULT_PROTOCOL_LIMITS.maxPendingMessages,
};
