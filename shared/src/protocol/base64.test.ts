import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';
import { ProtocolError, ProtocolErrorReason } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const nodeBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function expectBadBase64(text: string): void {
  expect(() => decodeBase64(text)).toThrow(
    expect.objectContaining({ name: 'ProtocolError', reason: ProtocolErrorReason.badBase64 }),
  );
}

/** Mostly base64 symbols plus padding, url-safe symbols and a few others, so both outcomes happen. */
const nearlyBase64 = fc.oneof(
  fc.string({ unit: fc.constantFrom(...`${ALPHABET}=-_ .`), maxLength: 16 }),
  fc
    .tuple(fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 14 }), fc.constantFrom('', '=', '=='))
    .map(([body, padding]) => body + padding),
);

describe(encodeBase64.name, () => {
  it('writes exactly what Node writes, and decodeBase64 reads it back, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000, size: 'max' }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(nodeBase64(bytes));
        expect(decodeBase64(text)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });

  it('matches the RFC 4648 §10 test vectors', () => {
    const vectors = ['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy'];
    const inputs = ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'];
    expect(inputs.map((input) => encodeBase64(new TextEncoder().encode(input)))).toEqual(vectors);
  });
});

describe(decodeBase64.name, () => {
  it('reads padded and unpadded groups', () => {
    expect(decodeBase64('')).toEqual(new Uint8Array());
    expect(decodeBase64('AA==')).toEqual(new Uint8Array([0]));
    expect(decodeBase64('AAA=')).toEqual(new Uint8Array([0, 0]));
    expect(decodeBase64('/+/+')).toEqual(new Uint8Array([0xff, 0xef, 0xfe]));
  });

  it.each([
    ['A', 'length 1'],
    ['AA', 'length 2'],
    ['AAA', 'unpadded length 3'],
    ['AAAAA', 'length 5'],
    ['AA=', 'padding without a full group'],
  ])('P3: refuses %j (%s): length is not a multiple of 4', (text) => {
    expectBadBase64(text);
  });

  it.each([
    ['AA!A', 'a symbol outside the alphabet'],
    ['AAA\n', 'a newline'],
    [' AAA', 'a leading space'],
    ['AAAé', 'a non-ASCII character'],
    ['AA\u{1f600}', 'an astral character'],
    ['-_-_', 'the url-safe alphabet'],
    ['AAA-', "the url-safe '-'"],
    ['AAA_', "the url-safe '_'"],
  ])('P3: refuses %j (%s)', (text) => {
    expectBadBase64(text);
  });

  it.each([
    ['AA=A', "'=' before the last symbol"],
    ['A=AA', "'=' in the second place"],
    ['AA==AAAA', "'=' in a group that is not the last"],
    ['A===', 'three padding symbols'],
    ['====', 'only padding'],
  ])('P3: refuses %j (%s)', (text) => {
    expectBadBase64(text);
  });

  it("P3: refuses non-zero bits after the last symbol ('AB==' where [0] is 'AA==')", () => {
    // Node's lenient decoder reads both as [0]; only the text the encoder writes is accepted.
    expect(Buffer.from('AB==', 'base64')).toEqual(Buffer.from([0]));
    expect(encodeBase64(new Uint8Array([0]))).toBe('AA==');
    expectBadBase64('AB==');
    expectBadBase64('AP==');
    expect(encodeBase64(new Uint8Array([0, 0]))).toBe('AAA=');
    expectBadBase64('AAB=');
    expectBadBase64('AAD=');
  });

  it('P3: accepts a text exactly when it is the canonical encoding of some bytes (Node as oracle)', () => {
    fc.assert(
      fc.property(nearlyBase64, (text) => {
        const isCanonical = Buffer.from(text, 'base64').toString('base64') === text;
        if (isCanonical) expect(encodeBase64(decodeBase64(text))).toBe(text);
        else expectBadBase64(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('P3: any string either decodes to bytes that re-encode to it or throws ProtocolError', () => {
    const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), nearlyBase64);
    fc.assert(
      fc.property(anyString, (text) => {
        let bytes: Uint8Array;
        try {
          bytes = decodeBase64(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError);
          expect((error as ProtocolError).reason).toBe(ProtocolErrorReason.badBase64);
          return;
        }
        expect(encodeBase64(bytes)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});
