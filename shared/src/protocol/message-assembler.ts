import type { ControlMessage } from './control-message.js';
import { ProtocolError, ProtocolErrorReason } from './errors.js';
import { readFrame } from './frame.js';
import { type ProtocolLimits, resolveLimits } from './limits.js';

export type Received =
  | { kind: 'message'; message: Uint8Array }
  | { kind: 'partial'; id: string; received: number; count: number }
  /** A chunk of a message already delivered (a re-sent frame): ignored, never delivered twice. */
  | { kind: 'duplicate'; id: string }
  | { kind: 'control'; message: ControlMessage };

interface PartialMessage {
  count: number;
  chunks: Map<number, Uint8Array>;
  bytes: number;
  lastSeenAt: number;
}

/**
 * Completed ids remembered for late duplicates. Re-sends arrive within the chunk timeout, and a
 * connection completes far fewer chunked messages than this in that time; the cap bounds memory.
 */
const MAX_COMPLETED_IDS = 256;

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

/**
 * Reassembles chunked messages of one connection, in any order and with duplicates (P5).
 * In-memory and per receiver: the browser client uses it as is; stateless server handlers stage
 * chunks in DynamoDB instead and reuse `readFrame` and `joinChunks`. Time is injected so tests
 * drive timeouts without sleeping.
 */
export class MessageAssembler {
  private readonly limits: ProtocolLimits;
  private readonly pending = new Map<string, PartialMessage>();
  /** Id → count and completion time of recently delivered chunked messages (P5). */
  private readonly completed = new Map<string, { count: number; completedAt: number }>();

  constructor(
    limits: Partial<ProtocolLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = resolveLimits(limits);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Feeds one text frame. Throws `ProtocolError`; a refused frame leaves other messages intact. */
  receive(text: string): Received {
    this.expire();
    const frame = readFrame(text, this.limits);
    if (frame.kind === 'data') return { kind: 'message', message: frame.message };
    if (frame.kind === 'control') return frame;

    const done = this.completed.get(frame.id);
    if (done) {
      if (done.count !== frame.count) {
        throw new ProtocolError(
          ProtocolErrorReason.chunkConflict,
          `chunk count changed from ${done.count} to ${frame.count}`,
        );
      }
      return { kind: 'duplicate', id: frame.id };
    }

    let partial = this.pending.get(frame.id);
    if (!partial) {
      if (this.pending.size >= this.limits.maxPendingMessages) {
        throw new ProtocolError(
          ProtocolErrorReason.tooManyPendingMessages,
          `more than ${this.limits.maxPendingMessages} messages in flight`,
        );
      }
      partial = { count: frame.count, chunks: new Map(), bytes: 0, lastSeenAt: this.now() };
    } else if (partial.count !== frame.count) {
      this.pending.delete(frame.id);
      throw new ProtocolError(
        ProtocolErrorReason.chunkConflict,
        `chunk count changed from ${partial.count} to ${frame.count}`,
      );
    }
    const existing = partial.chunks.get(frame.index);
    if (existing) {
      if (sameBytes(existing, frame.bytes))
        return { kind: 'partial', id: frame.id, received: partial.chunks.size, count: partial.count };
      this.pending.delete(frame.id);
      throw new ProtocolError(
        ProtocolErrorReason.chunkConflict,
        `chunk ${frame.index} arrived twice with different content`,
      );
    }
    if (partial.bytes + frame.bytes.length > this.limits.maxMessageBytes) {
      this.pending.delete(frame.id);
      throw new ProtocolError(
        ProtocolErrorReason.messageTooLarge,
        `message exceeds ${this.limits.maxMessageBytes} bytes`,
      );
    }
    partial.chunks.set(frame.index, frame.bytes);
    partial.bytes += frame.bytes.length;
    partial.lastSeenAt = this.now();
    this.pending.set(frame.id, partial);
    if (partial.chunks.size < partial.count) {
      return { kind: 'partial', id: frame.id, received: partial.chunks.size, count: partial.count };
    }
    this.pending.delete(frame.id);
    this.completed.set(frame.id, { count: partial.count, completedAt: this.now() });
    if (this.completed.size > MAX_COMPLETED_IDS) this.completed.delete(this.completed.keys().next().value!);
    return { kind: 'message', message: joinChunks(partial.chunks, partial.count) };
  }

  /**
   * Drops partial messages idle for longer than `chunkTimeoutMs` and returns their ids; also
   * forgets messages completed longer ago than that.
   */
  expire(): string[] {
    const cutoff = this.now() - this.limits.chunkTimeoutMs;
    for (const [id, done] of this.completed) if (done.completedAt < cutoff) this.completed.delete(id);
    const expired: string[] = [];
    for (const [id, partial] of this.pending) {
      if (partial.lastSeenAt < cutoff) {
        this.pending.delete(id);
        expired.push(id);
      }
    }
    return expired;
  }
}

/** Concatenates chunks 0…count-1 (all must be present). */
export function joinChunks(chunks: ReadonlyMap<number, Uint8Array>, count: number): Uint8Array {
  let length = 0;
  for (let i = 0; i < count; i++) length += chunks.get(i)?.length ?? 0;
  const message = new Uint8Array(length);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const chunk = chunks.get(i);
    if (!chunk)
      throw new ProtocolError(ProtocolErrorReason.badChunkHeader, `chunk ${i} of ${count} is missing`);
    message.set(chunk, offset);
    offset += chunk.length;
  }
  return message;
}
