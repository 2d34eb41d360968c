import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gtinCheckDigit, isValidUpc, normalizeUpc } from './upc.js';

/**
 * Reference GS1 check ("equivalent test"): with the check digit included and
 * weighted 1, weights alternate 1, 3, 1, 3… from the right and the sum is a multiple of 10.
 */
function referenceGtinIsValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((d, i) => {
    sum += Number(d) * (i % 2 === 0 ? 1 : 3);
  });
  return sum % 10 === 0;
}

/** The one digit that completes `body` under the reference check, found by trying all ten. */
function referenceCheckDigit(body: string): string {
  const check = '0123456789'.split('').find((d) => referenceGtinIsValid(body + d));
  if (check === undefined) throw new Error(`no GTIN check digit for ${body}`);
  return check;
}

const digits = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
/** A UPC-A (11-digit body) or EAN-13 (12-digit body) with its reference check digit. */
const validBarcode = fc.oneof(digits(11), digits(12)).map((body) => body + referenceCheckDigit(body));

describe(isValidUpc.name, () => {
  it('accepts real barcodes, which the reference check confirms', () => {
    for (const code of ['036000291452', '4006381333931', '0036000291452']) {
      expect(referenceGtinIsValid(code)).toBe(true);
      expect(isValidUpc(code)).toBe(true);
    }
  });

  it('accepts any 11 or 12 digits completed by the correct check digit', () => {
    fc.assert(
      fc.property(validBarcode, (code) => {
        expect(isValidUpc(code)).toBe(true);
      }),
    );
  });

  it('rejects a barcode with any single digit changed', () => {
    fc.assert(
      fc.property(validBarcode, fc.nat(), fc.integer({ min: 1, max: 9 }), (code, at, delta) => {
        const i = at % code.length;
        const changed = `${code.slice(0, i)}${(Number(code[i]) + delta) % 10}${code.slice(i + 1)}`;
        expect(isValidUpc(changed)).toBe(false);
      }),
    );
  });

  it.each([
    ['036000291453', 'a wrong check digit'],
    ['4006381333932', 'a wrong EAN-13 check digit'],
    ['96385074', 'GTIN-8 (valid check digit, not a UPC-A/EAN-13 field)'],
    ['00036000291452', 'GTIN-14 (valid check digit, 14 digits)'],
    ['03600029145', '11 digits'],
    ['036000 291452', 'a space'],
    ['0-36000-29145-2', 'hyphens'],
    [' 036000291452', 'a leading space'],
    ['036000291452\n', 'a trailing newline'],
    ['03600029145X', 'a letter'],
    ['036000291452 12', 'an EAN-2 add-on'],
    ['', 'the empty string'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidUpc(input)).toBe(false);
  });

  it.each([undefined, null, 36000291452, ['036000291452']])('rejects non-string %j', (input) => {
    expect(isValidUpc(input)).toBe(false);
  });

  it('rejects wrong lengths even when the GS1 check holds', () => {
    const otherLength = fc
      .integer({ min: 1, max: 20 })
      .filter((n) => n !== 12 && n !== 13)
      .chain((n) => digits(n - 1))
      .map((body) => body + referenceCheckDigit(body));
    fc.assert(
      fc.property(otherLength, (code) => {
        expect(isValidUpc(code)).toBe(false);
      }),
    );
  });

  it('rejects a valid barcode with a space or hyphen inserted', () => {
    fc.assert(
      fc.property(validBarcode, fc.nat(), fc.constantFrom(' ', '-'), (code, at, sep) => {
        const i = at % (code.length + 1);
        expect(isValidUpc(code.slice(0, i) + sep + code.slice(i))).toBe(false);
      }),
    );
  });
});

describe(gtinCheckDigit.name, () => {
  it('agrees with the reference for GTIN-8, -12, -13 and -14 bodies', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(7, 11, 12, 13).chain((n) => digits(n)),
        (body) => {
          expect(String(gtinCheckDigit(body))).toBe(referenceCheckDigit(body));
        },
      ),
    );
  });
});

describe(normalizeUpc.name, () => {
  it('drops the spaces and hyphens of printed barcodes', () => {
    expect(normalizeUpc('0 36000 29145 2')).toBe('036000291452');
    expect(normalizeUpc('4-006381-333931')).toBe('4006381333931');
    expect(isValidUpc(normalizeUpc('0 36000 29145 2'))).toBe(true);
  });
});
