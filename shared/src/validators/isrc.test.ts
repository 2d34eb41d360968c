import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsrc, hasKnownIsrcPrefix, isValidIsrc, normalizeIsrc } from './isrc.js';

// ISRCs have no check digit: the properties below are about shape only.
const upperLetter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const alnum = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
const digit = fc.constantFrom(...'0123456789');
const chars = (unit: fc.Arbitrary<string>, length: number) =>
  fc.string({ unit, minLength: length, maxLength: length });

/** A compact ISRC built from its four parts, independently of the regexes under test. */
const compactIsrc = fc
  .tuple(chars(upperLetter, 2), chars(alnum, 3), chars(digit, 2), chars(digit, 5))
  .map((parts) => parts.join(''));
const display = (c: string) => `${c.slice(0, 2)}-${c.slice(2, 5)}-${c.slice(5, 7)}-${c.slice(7)}`;

describe(isValidIsrc.name, () => {
  it('accepts a real ISRC in compact and display form', () => {
    expect(isValidIsrc('USRC17607839')).toBe(true);
    expect(isValidIsrc('US-RC1-76-07839')).toBe(true);
    expect(isValidIsrc('GBAYE0601498')).toBe(true);
  });

  it('accepts any well-shaped code in both forms', () => {
    fc.assert(
      fc.property(compactIsrc, (code) => {
        expect(isValidIsrc(code)).toBe(true);
        expect(isValidIsrc(display(code))).toBe(true);
      }),
    );
  });

  it.each([
    ['US-RC176-07839', 'a hyphen missing'],
    ['USRC1-76-07839', 'the first hyphen missing'],
    ['US-RC1-7607839', 'the last hyphen missing'],
    ['US-RC-176-07839', 'a hyphen in the wrong place'],
    ['U-SRC1-76-07839', 'a hyphen in the wrong place'],
    ['US--RC1-76-07839', 'a doubled hyphen'],
    ['US RC1 76 07839', 'spaces as separators'],
    ['US.RC1.76.07839', 'dots as separators'],
    ['usrc17607839', 'lower case'],
    ['USrc17607839', 'partly lower case'],
    [' USRC17607839', 'a leading space'],
    ['USRC17607839 ', 'a trailing space'],
    ['ISRC USRC17607839', 'the ISRC label'],
    ['USRC1760783', '11 characters'],
    ['USRC176078390', '13 characters'],
    ['U1RC17607839', 'a digit in the country prefix'],
    ['USRC1A607839', 'a letter in the year'],
    ['USRC176O7839', 'a letter O in the designation'],
    ['', 'the empty string'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidIsrc(input)).toBe(false);
  });

  it.each([undefined, null, 12, ['USRC17607839'], { isrc: 'USRC17607839' }])(
    'rejects non-string %j',
    (input) => {
      expect(isValidIsrc(input)).toBe(false);
    },
  );

  it('rejects lower case, stray spaces and wrong lengths of any valid code', () => {
    const broken = fc.oneof(
      compactIsrc.map((c) => c.toLowerCase()).filter((c) => c !== c.toUpperCase()),
      fc
        .tuple(compactIsrc, fc.integer({ min: 0, max: 12 }))
        .map(([c, i]) => `${c.slice(0, i)} ${c.slice(i)}`),
      compactIsrc.map((c) => c.slice(0, 11)),
      fc.tuple(compactIsrc, digit).map(([c, d]) => c + d),
    );
    fc.assert(
      fc.property(broken, (input) => {
        expect(isValidIsrc(input)).toBe(false);
      }),
    );
  });

  it('rejects any one hyphen of the display form replaced, doubled or dropped', () => {
    fc.assert(
      fc.property(compactIsrc, (code) => {
        for (const at of [2, 6, 9]) {
          for (const sep of ['', '--', ' ', '.', '/', '_', '–']) {
            expect(isValidIsrc(display(code).slice(0, at) + sep + display(code).slice(at + 1))).toBe(false);
          }
        }
      }),
    );
  });
});

describe(normalizeIsrc.name, () => {
  it('turns printed forms into the compact code', () => {
    expect(normalizeIsrc(' isrc us-rc1-76-07839 ')).toBe('USRC17607839');
    expect(normalizeIsrc('ISRC: US RC1 76 07839')).toBe('USRC17607839');
    expect(normalizeIsrc('US.RC1.76.07839')).toBe('USRC17607839');
  });

  it('keeps an Icelandic code whose registrant starts with RC (it begins with "ISRC")', () => {
    expect(normalizeIsrc('IS-RC1-76-07839')).toBe('ISRC17607839');
    expect(normalizeIsrc('ISRC17607839')).toBe('ISRC17607839');
    expect(normalizeIsrc('ISRC IS-RC1-76-07839')).toBe('ISRC17607839');
  });

  it('recovers the compact code from messy input', () => {
    const separator = fc.constantFrom('', '-', ' ', '.', ' - ', '  ');
    const label = fc.constantFrom('', 'ISRC ', 'isrc ', 'ISRC: ', 'Isrc:');
    const space = fc.constantFrom('', ' ', '\t', '  ');
    fc.assert(
      fc.property(
        compactIsrc,
        fc.array(separator, { minLength: 3, maxLength: 3 }),
        label,
        space,
        space,
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        (code, [s1, s2, s3], prefix, before, after, lower) => {
          const cased = [...code].map((ch, i) => (lower[i] ? ch.toLowerCase() : ch)).join('');
          const messy = `${before}${prefix}${cased.slice(0, 2)}${s1}${cased.slice(2, 5)}${s2}${cased.slice(5, 7)}${s3}${cased.slice(7)}${after}`;
          const normalized = normalizeIsrc(messy);
          expect(normalized).toBe(code);
          expect(isValidIsrc(normalized)).toBe(true);
        },
      ),
    );
  });
});

describe(formatIsrc.name, () => {
  it('formats compact and display input as CC-XXX-YY-NNNNN', () => {
    expect(formatIsrc('USRC17607839')).toBe('US-RC1-76-07839');
    fc.assert(
      fc.property(compactIsrc, (code) => {
        expect(formatIsrc(formatIsrc(code))).toBe(display(code));
      }),
    );
  });
});

describe(hasKnownIsrcPrefix.name, () => {
  it('knows ISO countries and IFPI allocations, not unallocated prefixes', () => {
    expect(hasKnownIsrcPrefix('USRC17607839')).toBe(true);
    expect(hasKnownIsrcPrefix('UK-AAA-01-00001')).toBe(true);
    expect(hasKnownIsrcPrefix('QZ-ES6-19-00001')).toBe(true);
    expect(hasKnownIsrcPrefix('XXRC17607839')).toBe(false);
  });
});
