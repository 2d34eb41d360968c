import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './base64.js';
import { ProtocolErrorReason } from './errors.js';
import { type Frame, readFrame, utf8Length, writeControlFrame, writeMessageFrames } from './frame.js';
import { DEFAULT_PROTOCOL_LIMITS, type ProtocolLimits } from './limits.js';

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');
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

/** Byte equality without a per-element diff, which is slow for megabytes. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(actual, expected)).toBe(0);
}

function expectReason(run: () => unknown, reason: ProtocolErrorReason): void {
  expect(run).toThrow(expect.objectContaining({ name: 'ProtocolError', reason }));
}

/** Reads every frame and joins the chunks in index order, checking their headers agree. */
function readAll(frames: string[], limits: Partial<ProtocolLimits>): Uint8Array {
  const read = frames.map((text) => readFrame(text, limits));
  const first = read[0];
  if (read.length === 1 && first?.kind === 'data') return first.message;
  const chunks = read.filter((frame): frame is Extract<Frame, { kind: 'chunk' }> => frame.kind === 'chunk');
  expect(chunks).toHaveLength(frames.length);
  expect(chunks.map((chunk) => [chunk.id, chunk.index, chunk.count])).toEqual(
    chunks.map((_, index) => [chunks[0]?.id, index, frames.length]),
  );
  return new Uint8Array(Buffer.concat(chunks.map((chunk) => chunk.bytes)));
}

describe(writeMessageFrames.name, () => {
  it('P1: every frame is at most maxFrameBytes UTF-8 bytes and reads back to the message', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/);
    fc.assert(
      fc.property(
        fc.integer({ min: 256, max: 2048 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer(),
        id,
        (maxFrameBytes, length, seed, chunkId) => {
          const message = bytesOf(length, seed);
          const limits = { maxFrameBytes };
          const frames = writeMessageFrames(message, limits, chunkId);
          for (const frame of frames) expect(byteLength(frame)).toBeLessThanOrEqual(maxFrameBytes);
          expectSameBytes(readAll(frames, limits), message);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('P1: a 2 MB message with the default limits is sent in frames of at most 32 KB', () => {
    const message = bytesOf(DEFAULT_PROTOCOL_LIMITS.maxMessageBytes);
    const frames = writeMessageFrames(message);
    expect(frames.length).toBeGreaterThan(64);
    expect(frames.length).toBeLessThanOrEqual(DEFAULT_PROTOCOL_LIMITS.maxChunks);
    expect(Math.max(...frames.map(byteLength))).toBeLessThanOrEqual(32 * 1024);
    expectSameBytes(readAll(frames, {}), message);
  });

  it('a message that fits is one bare data frame that plain base64 decodes', () => {
    const message = bytesOf(768);
    const frames = writeMessageFrames(message, { maxFrameBytes: 1024 });
    expect(frames).toEqual([Buffer.from(message).toString('base64')]);
    expect(frames[0]).toHaveLength(1024);
    expect(new Uint8Array(Buffer.from(frames[0]!, 'base64'))).toEqual(message);
    expect(readFrame(frames[0]!, { maxFrameBytes: 1024 })).toEqual({ kind: 'data', message });
  });

  it('a message one byte too long for a data frame is chunked', () => {
    const frames = writeMessageFrames(bytesOf(769), { maxFrameBytes: 1024 }, 'abc');
    expect(frames.length).toBe(2);
    expect(frames[0]).toMatch(/^~abc:0:2:[A-Za-z0-9+/]+$/);
    expect(frames[1]).toMatch(/^~abc:1:2:[A-Za-z0-9+/]+=*$/);
  });

  it('P6: a message of exactly maxMessageBytes is accepted, one byte more is refused', () => {
    const { maxMessageBytes } = DEFAULT_PROTOCOL_LIMITS;
    expect(writeMessageFrames(bytesOf(maxMessageBytes)).length).toBeGreaterThan(1);
    expectReason(() => writeMessageFrames(bytesOf(maxMessageBytes + 1)), ProtocolErrorReason.messageTooLarge);
    const small = { maxFrameBytes: 256, maxMessageBytes: 1000 };
    expectSameBytes(readAll(writeMessageFrames(bytesOf(1000), small), small), bytesOf(1000));
    expectReason(() => writeMessageFrames(bytesOf(1001), small), ProtocolErrorReason.messageTooLarge);
  });

  it('P6: a message needing more than maxChunks chunks is refused before sending', () => {
    const limits = { maxFrameBytes: 100, maxChunks: 4 };
    // A 32-character header leaves 68 symbols, 17 groups, 51 bytes a chunk: 204 bytes fill 4 chunks.
    expect(writeMessageFrames(bytesOf(204), limits)).toHaveLength(4);
    expectReason(() => writeMessageFrames(bytesOf(205), limits), ProtocolErrorReason.messageTooLarge);
  });

  it('P2: an empty message is refused', () => {
    expectReason(() => writeMessageFrames(new Uint8Array()), ProtocolErrorReason.emptyFrame);
  });
});

describe(readFrame.name, () => {
  it('P1: a frame of exactly maxFrameBytes is read, one byte over is refused', () => {
    const text = encodeBase64(bytesOf(768));
    expect(readFrame(text, { maxFrameBytes: 1024 }).kind).toBe('data');
    expectReason(() => readFrame(text, { maxFrameBytes: 1023 }), ProtocolErrorReason.frameTooLarge);
    expectReason(() => readFrame(`${text}AAAA`, { maxFrameBytes: 1027 }), ProtocolErrorReason.frameTooLarge);
  });

  it.each([
    ['two-byte characters', 'é'],
    ['three-byte characters', '€'],
    ['surrogate pairs', '\u{1f3b5}'],
    ['lone high surrogates before other characters', '\ud800é'],
  ])('P1: counts UTF-8 bytes, not UTF-16 units (%s)', (_, unit) => {
    const text = `{"type":"error","code":"x","message":"${unit.repeat(30)}"}`;
    const maxFrameBytes = text.length + 10;
    expect(byteLength(text)).toBeGreaterThan(maxFrameBytes);
    expectReason(() => readFrame(text, { maxFrameBytes }), ProtocolErrorReason.frameTooLarge);
    expect(readFrame(text, { maxFrameBytes: byteLength(text) }).kind).toBe('control');
  });

  it('P2: an empty frame and an empty chunk are refused', () => {
    expectReason(() => readFrame(''), ProtocolErrorReason.emptyFrame);
    expectReason(() => readFrame('~abc:0:2:'), ProtocolErrorReason.emptyFrame);
  });

  it('P3: a data frame or chunk body that is not canonical base64 is refused', () => {
    for (const text of ['AB==', 'AAA', 'a-b_', 'hello world', '[1,2]', ' {}']) {
      expectReason(() => readFrame(text), ProtocolErrorReason.badBase64);
    }
    expectReason(() => readFrame('~abc:0:2:AB=='), ProtocolErrorReason.badBase64);
    expectReason(() => readFrame('~abc:0:2:AA==:AA=='), ProtocolErrorReason.badBase64);
  });

  it('P4: reads a well-formed chunk header', () => {
    expect(readFrame('~a_B-9:1:2:AAEC')).toEqual({
      kind: 'chunk',
      id: 'a_B-9',
      index: 1,
      count: 2,
      bytes: new Uint8Array([0, 1, 2]),
    });
    const last = `~${'x'.repeat(32)}:1023:1024:AA==`;
    expect(readFrame(last)).toMatchObject({ kind: 'chunk', index: 1023, count: 1024 });
  });

  it.each([
    ['~abc:2:2:AAAA', 'index equal to count'],
    ['~abc:5:2:AAAA', 'index above count'],
    ['~abc:0:1:AAAA', 'count 1 (a one-chunk message is a data frame)'],
    ['~abc:0:0:AAAA', 'count 0'],
    ['~abc:0:1025:AAAA', 'count above maxChunks'],
    ['~abc:01:2:AAAA', 'a leading zero in the index'],
    ['~abc:0:02:AAAA', 'a leading zero in the count'],
    ['~abc:-1:2:AAAA', 'a negative index'],
    ['~abc:0:1234567:AAAA', 'a seven-digit count'],
    ['~abc::2:AAAA', 'a missing index'],
    ['~abc:0::AAAA', 'a missing count'],
    ['~:0:2:AAAA', 'a missing id'],
    ['~abc:0:2', 'a missing body separator'],
    ['~abc:0:2AAAA', 'a missing colon'],
    ['~', 'the prefix alone'],
    [`~${'x'.repeat(33)}:0:2:AAAA`, 'an id longer than 32 characters'],
    ['~a.b:0:2:AAAA', 'an id with a dot'],
    ['~abc:0x1:2:AAAA', 'a hexadecimal index'],
  ])('P4: refuses %j (%s)', (text) => {
    expectReason(() => readFrame(text), ProtocolErrorReason.badChunkHeader);
  });

  it('P4: maxChunks is configurable', () => {
    expectReason(() => readFrame('~abc:0:5:AAAA', { maxChunks: 4 }), ProtocolErrorReason.badChunkHeader);
    expect(readFrame('~abc:3:4:AAAA', { maxChunks: 4 }).kind).toBe('chunk');
  });

  it('P8: reads a control frame written by writeControlFrame', () => {
    const message = { type: 'revoked', message: 'The share link was revoked.' } as const;
    expect(readFrame(writeControlFrame(message))).toEqual({ kind: 'control', message });
  });

  it.each([
    ['{', 'truncated JSON'],
    ['{"type":"error"', 'unterminated JSON'],
    ["{'type':'revoked'}", 'single quotes'],
    ['{}', 'no type'],
    ['{"type":"nope","message":""}', 'an unknown type'],
    ['{"type":"error","code":"","message":"x"}', 'an empty error code'],
    ['{"type":"error","code":"x"}', 'a missing message'],
    ['{"type":"role-changed","role":"admin","message":""}', 'an unknown role'],
    ['{"type":"rejected","fields":"release.upc","reason":"x","message":""}', 'fields not an array'],
  ])('P8: refuses %j (%s)', (text) => {
    expectReason(() => readFrame(text), ProtocolErrorReason.badControlMessage);
  });

  it('P9: a frame that is not text is refused', () => {
    const binary = new Uint8Array([0, 0, 1]) as unknown as string;
    expectReason(() => readFrame(binary), ProtocolErrorReason.unknownFrame);
  });
});

describe(utf8Length.name, () => {
  it('agrees with Node for any UTF-16 string, lone surrogates included', () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
    const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: codeUnit }));
    fc.assert(
      fc.property(anyText, (text) => {
        expect(utf8Length(text)).toBe(byteLength(text));
      }),
      { numRuns: 500 },
    );
  });
});
