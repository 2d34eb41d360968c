import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './base64.js';
import { type ControlMessage, readControlMessage, writeControlMessage } from './control-message.js';
import { ProtocolErrorReason } from './errors.js';
import { readFrame, writeControlFrame, writeMessageFrames } from './frame.js';

const samples: ControlMessage[] = [
  { type: 'error', code: 'message-too-large', message: 'That paste is larger than 2 MB.' },
  {
    type: 'rejected',
    fields: ['release.upc', 'tracks.k3x9.isrc'],
    reason: 'field-not-allowed',
    message: 'Only managers can change the UPC.',
  },
  { type: 'role-changed', role: 'viewer', message: 'You can now only view this release.' },
  { type: 'revoked', message: 'Your access to this release was revoked.' },
];

const text = (maxLength: number) => fc.string({ unit: 'binary', maxLength });
const code = fc.string({ minLength: 1, maxLength: 64 });
const controlMessage: fc.Arbitrary<ControlMessage> = fc.oneof(
  fc.record({ type: fc.constant('error' as const), code, message: text(200) }),
  fc.record({
    type: fc.constant('rejected' as const),
    fields: fc.array(text(40), { maxLength: 10 }),
    reason: code,
    message: text(200),
  }),
  fc.record({
    type: fc.constant('role-changed' as const),
    role: fc.constantFrom('owner' as const, 'editor' as const, 'viewer' as const),
    message: text(200),
  }),
  fc.record({ type: fc.constant('revoked' as const), message: text(200) }),
);

describe(writeControlMessage.name, () => {
  it.each(samples)('P8: $type round-trips through readControlMessage and readFrame', (message) => {
    const frame = writeControlMessage(message);
    expect(readControlMessage(frame)).toEqual(message);
    expect(readFrame(frame)).toEqual({ kind: 'control', message });
    expect(writeControlFrame(message)).toBe(frame);
  });

  it('P8: any control message round-trips and starts with "{"', () => {
    fc.assert(
      fc.property(controlMessage, (message) => {
        const frame = writeControlFrame(message);
        expect(frame[0]).toBe('{');
        expect(readFrame(frame)).toEqual({ kind: 'control', message });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses to write a message of the wrong shape', () => {
    const unknownRole = { type: 'role-changed', role: 'admin', message: '' } as unknown as ControlMessage;
    expect(() => writeControlMessage(unknownRole)).toThrow();
  });
});

describe(readControlMessage.name, () => {
  it('P8: base64 is never read as a control message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300, size: 'max' }), (bytes) => {
        const [frame] = writeMessageFrames(bytes);
        expect(frame).toBe(encodeBase64(bytes));
        expect(readFrame(frame!).kind).toBe('data');
        expect(() => readControlMessage(frame!)).toThrow(
          expect.objectContaining({ reason: ProtocolErrorReason.badControlMessage }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('P8: a control frame is never read as data or as a chunk', () => {
    for (const message of samples) {
      const frame = writeControlFrame(message);
      expect(frame).not.toMatch(/^[A-Za-z0-9+/~]/);
      expect(readFrame(frame).kind).toBe('control');
    }
  });

  it('P8: ignores fields it does not know, so a newer server can add some', () => {
    const frame = '{"type":"revoked","message":"bye","extra":{"nested":true}}';
    expect(readControlMessage(frame)).toEqual({ type: 'revoked', message: 'bye' });
  });
});
