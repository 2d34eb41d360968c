import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { encodeBase64 } from './base64.js';
import { ProtocolError, ProtocolErrorReason } from './errors.js';
import { writeMessageFrames } from './frame.js';
import { DEFAULT_PROTOCOL_LIMITS, type ProtocolLimits } from './limits.js';
import { MessageAssembler } from './message-assembler.js';
import { MessageType, peekMessageType } from './message-type.js';

const REASONS: readonly string[] = Object.values(ProtocolErrorReason);
const { chunkTimeoutMs } = DEFAULT_PROTOCOL_LIMITS;

/** Deterministic bytes (a linear congruential sequence), cheaper than fast-check's per-byte arrays. */
function bytesOf(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function expectReason(run: () => unknown, reason: ProtocolErrorReason): void {
  expect(run).toThrow(expect.objectContaining({ name: 'ProtocolError', reason }));
}

/** Feeds frames in order and returns the messages delivered, as hex for readable diffs. */
function deliver(assembler: MessageAssembler, frames: readonly string[]): string[] {
  return frames.flatMap((frame) => {
    const received = assembler.receive(frame);
    return received.kind === 'message' ? [hex(received.message)] : [];
  });
}

/** A few messages, all of their frames with some chunks repeated, in any order. */
const interleaving = fc
  .record({
    maxFrameBytes: fc.integer({ min: 128, max: 1024 }),
    specs: fc.array(fc.tuple(fc.integer({ min: 1, max: 8192 }), fc.integer()), {
      minLength: 1,
      maxLength: 5,
    }),
  })
  .chain(({ maxFrameBytes, specs }) => {
    const limits: Partial<ProtocolLimits> = { maxFrameBytes, maxMessageBytes: 8192 };
    const messages = specs.map(([length, seed]) => bytesOf(length, seed));
    const frames = messages.flatMap((message, i) => writeMessageFrames(message, limits, `m${i}`));
    // Data frames carry no id, so only chunks can be recognised as repeats.
    const chunks = frames.filter((frame) => frame.startsWith('~'));
    return fc.subarray(chunks, { maxLength: Math.min(40, chunks.length) }).chain((repeats) => {
      const all = [...frames, ...repeats];
      return fc
        .shuffledSubarray(all, { minLength: all.length, maxLength: all.length })
        .map((arrival) => ({ limits, specs, arrival }));
    });
  });

describe(MessageAssembler.name, () => {
  it('P5: any interleaving of several messages, with repeated chunks, delivers each once', () => {
    fc.assert(
      fc.property(interleaving, ({ limits, specs, arrival }) => {
        const messages = specs.map(([length, seed]) => bytesOf(length, seed));
        const assembler = new MessageAssembler(limits, () => 0);
        expect(deliver(assembler, arrival).sort()).toEqual(messages.map(hex).sort());
        expect(assembler.pendingCount).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('P5: a chunk repeated after its message completed is ignored', () => {
    const frames = writeMessageFrames(bytesOf(500), { maxFrameBytes: 128 }, 'done');
    const assembler = new MessageAssembler({ maxFrameBytes: 128 }, () => 0);
    expect(deliver(assembler, frames)).toEqual([hex(bytesOf(500))]);
    expect(frames.map((frame) => assembler.receive(frame).kind)).toEqual(frames.map(() => 'duplicate'));
    expect(assembler.pendingCount).toBe(0);
    expectReason(() => assembler.receive(`~done:0:99:${encodeBase64(bytesOf(3))}`), 'chunk-conflict');
  });

  it('any garbage frame is either read or refused with a ProtocolError, never another error', () => {
    const limits = { maxFrameBytes: 256, maxPendingMessages: 3 };
    const valid = writeMessageFrames(bytesOf(2000), limits, 'valid');
    const frame = fc.constantFrom(...valid);
    const truncated = fc.tuple(frame, fc.nat()).map(([text, n]) => text.slice(0, n % (text.length + 1)));
    const flipped = fc
      .tuple(frame, fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }))
      .map(([text, n, replacement]) => {
        const at = n % text.length;
        return text.slice(0, at) + replacement + text.slice(at + 1);
      });
    const renumbered = fc
      .tuple(frame, fc.oneof(fc.integer().map(String), fc.stringMatching(/^[0-9]{0,8}$/)), fc.boolean())
      .map(([text, number, isIndex]) =>
        text.replace(/^~([^:]*):([^:]*):([^:]*):/, (_, id, index, count) =>
          isIndex ? `~${id}:${number}:${count}:` : `~${id}:${index}:${number}:`,
        ),
      );
    const garbage = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      truncated,
      flipped,
      renumbered,
      frame,
    );
    fc.assert(
      fc.property(fc.array(garbage, { maxLength: 30 }), (texts) => {
        const assembler = new MessageAssembler(limits, () => 0);
        for (const text of texts) {
          try {
            assembler.receive(text);
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError);
            expect(REASONS).toContain((error as ProtocolError).reason);
          }
          expect(assembler.pendingCount).toBeLessThanOrEqual(limits.maxPendingMessages);
        }
      }),
      { numRuns: 300 },
    );
  });

  describe('P5: chunk timeout', () => {
    const limits = { maxFrameBytes: 128 };
    const frames = writeMessageFrames(bytesOf(600), limits, 'slow');

    it('expire() drops a partial message idle for longer than chunkTimeoutMs', () => {
      let now = 1_000;
      const assembler = new MessageAssembler(limits, () => now);
      assembler.receive(frames[0]!);
      now += chunkTimeoutMs;
      expect(assembler.expire()).toEqual([]);
      now += 1;
      expect(assembler.expire()).toEqual(['slow']);
      expect(assembler.pendingCount).toBe(0);
      expect(deliver(assembler, frames.slice(1))).toEqual([]);
    });

    it('receive() drops idle partial messages before reading its frame', () => {
      let now = 0;
      const assembler = new MessageAssembler(limits, () => now);
      assembler.receive(frames[0]!);
      now += chunkTimeoutMs + 1;
      expect(assembler.receive(encodeBase64(bytesOf(10))).kind).toBe('message');
      expect(assembler.pendingCount).toBe(0);
    });

    it('a message whose chunks keep arriving within the timeout completes, however long in total', () => {
      const gaps = fc.array(fc.integer({ min: 0, max: chunkTimeoutMs }), {
        minLength: frames.length - 1,
        maxLength: frames.length - 1,
      });
      fc.assert(
        fc.property(gaps, (waits) => {
          let now = 0;
          const assembler = new MessageAssembler(limits, () => now);
          const delivered = frames.flatMap((frame, i) => {
            now += i === 0 ? 0 : waits[i - 1]!;
            return deliver(assembler, [frame]);
          });
          expect(delivered).toEqual([hex(bytesOf(600))]);
        }),
        { numRuns: 50 },
      );
    });
  });

  it('P7: one partial message over maxPendingMessages is refused and the others still complete', () => {
    const limits = { maxFrameBytes: 128, maxPendingMessages: 3 };
    const messages = [0, 1, 2, 3].map((seed) => bytesOf(300, seed));
    const frames = messages.map((message, i) => writeMessageFrames(message, limits, `p${i}`));
    const assembler = new MessageAssembler(limits, () => 0);
    for (const own of frames.slice(0, 3)) expect(assembler.receive(own[0]!).kind).toBe('partial');
    expectReason(() => assembler.receive(frames[3]![0]!), 'too-many-pending-messages');
    expect(assembler.pendingCount).toBe(3);
    expect(assembler.receive(encodeBase64(bytesOf(9))).kind).toBe('message');
    const rest = frames.slice(0, 3).flatMap((own) => own.slice(1));
    expect(deliver(assembler, rest)).toEqual(messages.slice(0, 3).map(hex));
    expect(deliver(assembler, frames[3]!)).toEqual([hex(messages[3]!)]);
    expect(assembler.pendingCount).toBe(0);
  });

  describe('P5: conflicting chunks', () => {
    const limits = { maxFrameBytes: 128 };
    const a = writeMessageFrames(bytesOf(300, 1), limits, 'a');
    const b = writeMessageFrames(bytesOf(300, 2), limits, 'b');

    it('an identical repeat is accepted, a different one drops only its message', () => {
      const assembler = new MessageAssembler(limits, () => 0);
      deliver(assembler, [a[0]!, b[0]!]);
      expect(assembler.receive(a[0]!)).toEqual({ kind: 'partial', id: 'a', received: 1, count: a.length });
      const forged = `~a:0:${a.length}:${encodeBase64(bytesOf(72, 3))}`;
      expectReason(() => assembler.receive(forged), 'chunk-conflict');
      expect(assembler.pendingCount).toBe(1);
      expect(deliver(assembler, [...b.slice(1), ...a.slice(1)])).toEqual([hex(bytesOf(300, 2))]);
    });

    it('a changed chunk count drops only its message', () => {
      const assembler = new MessageAssembler(limits, () => 0);
      deliver(assembler, [a[0]!, b[0]!]);
      expectReason(() => assembler.receive(`~a:1:${a.length + 1}:AAAA`), 'chunk-conflict');
      expect(assembler.pendingCount).toBe(1);
      expect(deliver(assembler, b.slice(1))).toEqual([hex(bytesOf(300, 2))]);
    });
  });

  it('P6: chunks adding up to more than maxMessageBytes are refused and dropped', () => {
    const assembler = new MessageAssembler({ maxMessageBytes: 100 }, () => 0);
    const chunk = (id: string, index: number, length: number) =>
      `~${id}:${index}:2:${encodeBase64(bytesOf(length, index))}`;
    expect(deliver(assembler, [chunk('fits', 0, 50), chunk('fits', 1, 50)])).toHaveLength(1);
    assembler.receive(chunk('over', 0, 50));
    expectReason(() => assembler.receive(chunk('over', 1, 51)), 'message-too-large');
    expectReason(() => assembler.receive(chunk('huge', 0, 101)), 'message-too-large');
    expect(assembler.pendingCount).toBe(0);
  });

  it('carries a large y-protocols sync step 2 that a fresh Y.Doc applies', () => {
    const doc = new Y.Doc();
    const notes = doc.getText('notes');
    for (let i = 0; i < 3000; i++) {
      notes.insert(
        (i * 7919) % (notes.length + 1),
        `${i}: “Intro” 🎵 producer, mixer, mastering — é ${i % 97}\n`,
      );
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.sync);
    syncProtocol.writeSyncStep2(encoder, doc);
    const message = encoding.toUint8Array(encoder);
    const frames = writeMessageFrames(message);
    expect(frames.length).toBeGreaterThan(4);

    const [delivered, ...others] = deliver(new MessageAssembler(), frames.reverse());
    expect(others).toEqual([]);
    const bytes = new Uint8Array(Buffer.from(delivered!, 'hex'));
    expect(peekMessageType(bytes)).toBe(MessageType.sync);
    const decoder = decoding.createDecoder(bytes);
    expect(decoding.readVarUint(decoder)).toBe(MessageType.sync);
    const fresh = new Y.Doc();
    const reply = encoding.createEncoder();
    expect(syncProtocol.readSyncMessage(decoder, reply, fresh, 'test')).toBe(
      syncProtocol.messageYjsSyncStep2,
    );
    expect(fresh.getText('notes').toString()).toBe(notes.toString());
  });
});
