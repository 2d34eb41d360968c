import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidLanguage } from './language.js';
import { ISO_639_1, ISO_639_SPECIAL } from './language-codes.js';

const lowerLetters = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: length, maxLength: length });

describe(isValidLanguage.name, () => {
  it.each([
    ['en', 'English (ISO 639-1)'],
    ['fr', 'French'],
    ['zh', 'Chinese'],
    ['zxx', 'no linguistic content (instrumentals)'],
    ['mul', 'multiple languages'],
    ['und', 'undetermined'],
    ['mis', 'uncoded languages'],
    ['yue', 'Cantonese (ISO 639-3, no 639-1 code)'],
    ['haw', 'Hawaiian (ISO 639-2, no 639-1 code)'],
  ])('accepts %s (%s)', (code) => {
    expect(isValidLanguage(code)).toBe(true);
  });

  it.each([
    ['EN', 'upper case'],
    ['En', 'mixed case'],
    ['ZXX', 'upper-case special code'],
    ['e', 'one letter'],
    ['english', 'a language name'],
    ['xx', 'an unassigned two-letter code'],
    ['bh', 'the withdrawn ISO 639-1 code'],
    ['en-US', 'a BCP 47 tag with region'],
    ['en_US', 'a locale'],
    ['eng1', 'four characters'],
    ['e1', 'a digit'],
    [' en', 'a leading space'],
    ['', 'the empty string'],
  ])('rejects %j (%s)', (code) => {
    expect(isValidLanguage(code)).toBe(false);
  });

  it.each([undefined, null, 639, ['en']])('rejects non-string %j', (input) => {
    expect(isValidLanguage(input)).toBe(false);
  });

  it('accepts two letters exactly when they are an ISO 639-1 code', () => {
    expect(ISO_639_1.size).toBe(183);
    fc.assert(
      fc.property(lowerLetters(2), (code) => {
        expect(isValidLanguage(code)).toBe(ISO_639_1.has(code));
        expect(isValidLanguage(code.toUpperCase())).toBe(false);
      }),
    );
  });

  it('accepts every special code and any three lower-case letters, but no other length', () => {
    for (const code of ISO_639_SPECIAL) expect(isValidLanguage(code)).toBe(true);
    fc.assert(
      fc.property(lowerLetters(3), (code) => {
        expect(isValidLanguage(code)).toBe(true);
        expect(isValidLanguage(code.toUpperCase())).toBe(false);
      }),
    );
    const otherLength = fc
      .integer({ min: 0, max: 12 })
      .filter((n) => n !== 2 && n !== 3)
      .chain(lowerLetters);
    fc.assert(
      fc.property(otherLength, (code) => {
        expect(isValidLanguage(code)).toBe(false);
      }),
    );
  });
});
