import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isniCheckCharacter, isValidIsni } from './isni.js';

const CHECK_CHARACTERS = '0123456789X';

/**
 * Reference MOD 11-2 check ("equivalent" form): over all 16 characters, with X = 10,
 * Σ dᵢ × 2^(position from the right, from 0) ≡ 1 (mod 11).
 */
function referenceIsniIsValid(compact: string): boolean {
  const sum = [...compact]
    .reverse()
    .reduce((total, ch, i) => total + CHECK_CHARACTERS.indexOf(ch) * 2 ** i, 0);
  return sum % 11 === 1;
}

function referenceCheckCharacter(body: string): string {
  const check = [...CHECK_CHARACTERS].find((c) => referenceIsniIsValid(body + c));
  if (check === undefined) throw new Error(`no ISNI check character for ${body}`);
  return check;
}

const grouped = (c: string) => c.match(/.{4}/g)!.join(' ');
const body = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 15, maxLength: 15 });
const compactIsni = body.map((b) => b + referenceCheckCharacter(b));

describe(isValidIsni.name, () => {
  it('accepts real ISNIs (and an ORCID iD, same number block), confirmed by the reference', () => {
    for (const code of ['000000012281955X', '0000000121032683', '0000000218250097']) {
      expect(referenceIsniIsValid(code)).toBe(true);
      expect(isValidIsni(code)).toBe(true);
      expect(isValidIsni(grouped(code))).toBe(true);
    }
    expect(isValidIsni('0000 0001 2281 955X')).toBe(true);
  });

  it('accepts any 15 digits completed by the correct check character, compact or grouped', () => {
    fc.assert(
      fc.property(compactIsni, (code) => {
        expect(isValidIsni(code)).toBe(true);
        expect(isValidIsni(grouped(code))).toBe(true);
      }),
    );
  });

  it('rejects any single character changed (MOD 11-2 detects every substitution)', () => {
    fc.assert(
      fc.property(compactIsni, fc.integer({ min: 0, max: 15 }), fc.nat(), (code, i, pick) => {
        const alphabet = i === 15 ? CHECK_CHARACTERS : '0123456789';
        const others = [...alphabet].filter((c) => c !== code[i]);
        const changed = code.slice(0, i) + others[pick % others.length] + code.slice(i + 1);
        expect(isValidIsni(changed)).toBe(false);
        expect(isValidIsni(grouped(changed))).toBe(false);
      }),
    );
  });

  it.each([
    ['000000012281955x', 'a lower-case x'],
    ['0000 0001 2281 955x', 'a lower-case x, grouped'],
    ['0000-0001-2281-955X', 'hyphens (the ORCID display form)'],
    ['0000-0001 2281 955X', 'one hyphen among spaces'],
    ['0000  0001 2281 955X', 'a double space'],
    ['0000 00012281 955X', 'a missing space'],
    ['000 00001 2281 955X', 'a space in the wrong place'],
    [' 000000012281955X', 'a leading space'],
    ['000000012281955X ', 'a trailing space'],
    ['ISNI 000000012281955X', 'the ISNI label'],
    ['https://isni.org/isni/000000012281955X', 'the URI form'],
    ['00000001228195X', '15 characters'],
    ['0000000122819550X', '17 characters'],
    ['X00000012281955X', 'an X before the end'],
    ['0000000122819551', 'a wrong check digit'],
    ['', 'the empty string'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidIsni(input)).toBe(false);
  });

  it.each([undefined, null, 12281955, ['000000012281955X']])('rejects non-string %j', (input) => {
    expect(isValidIsni(input)).toBe(false);
  });

  it('rejects wrong lengths of any valid code', () => {
    const broken = fc.oneof(
      compactIsni.map((c) => c.slice(0, 15)),
      fc.tuple(compactIsni, fc.constantFrom(...'0123456789')).map(([c, d]) => d + c),
      compactIsni.map((c) => grouped(c).slice(0, -1)),
    );
    fc.assert(
      fc.property(broken, (input) => {
        expect(isValidIsni(input)).toBe(false);
      }),
    );
  });

  it('rejects any one group separator replaced, doubled or dropped', () => {
    fc.assert(
      fc.property(compactIsni, (code) => {
        for (const at of [4, 9, 14]) {
          for (const sep of ['-', '.', '  ', '\t', '']) {
            expect(isValidIsni(grouped(code).slice(0, at) + sep + grouped(code).slice(at + 1))).toBe(false);
          }
        }
      }),
    );
  });
});

describe(isniCheckCharacter.name, () => {
  it('agrees with the reference, writing 10 as X', () => {
    expect(isniCheckCharacter('000000012281955')).toBe('X');
    fc.assert(
      fc.property(body, (b) => {
        expect(isniCheckCharacter(b)).toBe(referenceCheckCharacter(b));
      }),
    );
  });
});
