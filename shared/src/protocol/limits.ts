/**
 * Wire limits. API Gateway WebSocket APIs cap a frame at 32 KB and a message at 128 KB, and
 * browsers send one frame per message, so every frame we send is at most 32 KB of text.
 * Reassembled Yjs messages may be larger (a big paste, a first sync) up to `maxMessageBytes`.
 */
export interface ProtocolLimits {
  /** UTF-8 bytes of one text frame (API Gateway: 32 KB). */
  maxFrameBytes: number;
  /** Bytes of one reassembled y-protocols message. */
  maxMessageBytes: number;
  /** A partial message whose next chunk does not arrive within this time is dropped. */
  chunkTimeoutMs: number;
  /** Partial messages one receiver holds at once (bounds memory per connection). */
  maxPendingMessages: number;
  /** Upper bound on the chunk count a header may announce. */
  maxChunks: number;
}

export const DEFAULT_PROTOCOL_LIMITS: ProtocolLimits = {
  maxFrameBytes: 32 * 1024,
  maxMessageBytes: 2 * 1024 * 1024,
  chunkTimeoutMs: 30_000,
  maxPendingMessages: 8,
  maxChunks: 1024,
};

export function resolveLimits(overrides: Partial<ProtocolLimits> = {}): ProtocolLimits {
  return { ...DEFAULT_PROTOCOL_LIMITS, ...overrides };
}
