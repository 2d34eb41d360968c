import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIswc, isValidIswc, iswcCheckDigit, normalizeIswc } from './iswc.js';

/**
 * Reference ISO 15707 check: 1 + Σ i·dᵢ over the nine work digits, plus the check
 * digit, is a multiple of 10. The check digit is found by trying all ten.
 */
function referenceCheckDigit(work: string): string {
  const weighted = 1 + [...work].reduce((sum, d, i) => sum + (i + 1) * Number(d), 0);
  const check = '0123456789'.split('').find((c) => (weighted + Number(c)) % 10 === 0);
  if (check === undefined) throw new Error(`no ISWC check digit for ${work}`);
  return check;
}

const display = (c: string) => `T-${c.slice(1, 4)}.${c.slice(4, 7)}.${c.slice(7, 10)}-${c.slice(10)}`;
const workDigits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 9 });
/** A compact ISWC `TDDDDDDDDDC` with its reference check digit. */
const compactIswc = workDigits.map((work) => `T${work}${referenceCheckDigit(work)}`);

describe(isValidIswc.name, () => {
  it('accepts a real ISWC in display and compact form', () => {
    expect(referenceCheckDigit('034524680')).toBe('1');
    expect(isValidIswc('T-034.524.680-1')).toBe(true);
    expect(isValidIswc('T0345246801')).toBe(true);
  });

  it('accepts any nine work digits completed by the correct check digit, in both forms', () => {
    fc.assert(
      fc.property(compactIswc, (code) => {
        expect(isValidIswc(code)).toBe(true);
        expect(isValidIswc(display(code))).toBe(true);
      }),
    );
  });

  it('rejects a changed check digit', () => {
    fc.assert(
      fc.property(compactIswc, fc.integer({ min: 1, max: 9 }), (code, delta) => {
        const changed = `${code.slice(0, 10)}${(Number(code[10]) + delta) % 10}`;
        expect(isValidIswc(changed)).toBe(false);
      }),
    );
  });

  // Work digit i has weight i, so a change by delta goes unnoticed when i·delta ≡ 0 (mod 10):
  // the property covers exactly the changes the checksum can detect.
  it('rejects a work digit changed by a delta its weight can detect', () => {
    const change = fc
      .record({ position: fc.integer({ min: 1, max: 9 }), delta: fc.integer({ min: 1, max: 9 }) })
      .filter(({ position, delta }) => (position * delta) % 10 !== 0);
    fc.assert(
      fc.property(compactIswc, change, (code, { position, delta }) => {
        const changed = `${code.slice(0, position)}${(Number(code[position]) + delta) % 10}${code.slice(position + 1)}`;
        expect(isValidIswc(changed)).toBe(false);
        expect(isValidIswc(display(changed))).toBe(false);
      }),
    );
  });

  it('misses a change of 2 at weight 5, as the algorithm does (blind spot, not a bug)', () => {
    // T-034.524.680-1 with its fifth work digit 2 → 4: 5 × 2 = 10 leaves the sum mod 10 unchanged.
    expect(isValidIswc('T-034.544.680-1')).toBe(true);
  });

  it.each([
    ['t-034.524.680-1', 'lower-case t'],
    ['t0345246801', 'lower-case compact'],
    ['T-034.524.680-2', 'a wrong check digit'],
    ['T-034-524-680-1', 'hyphens instead of dots'],
    ['T.034.524.680.1', 'dots instead of hyphens'],
    ['T 034.524.680-1', 'a space after T'],
    ['T-034.524.680- 1', 'a space before the check digit'],
    ['T-034524680-1', 'hyphens only'],
    ['T-034.524.6801', 'the last hyphen missing'],
    [' T0345246801', 'a leading space'],
    ['T0345246801 ', 'a trailing space'],
    ['0345246801', 'no T'],
    ['I0345246801', 'a different letter'],
    ['T034524680', 'ten characters'],
    ['T03452468011', 'twelve characters'],
    ['', 'the empty string'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidIswc(input)).toBe(false);
  });

  it.each([undefined, null, 345246801, ['T0345246801']])('rejects non-string %j', (input) => {
    expect(isValidIswc(input)).toBe(false);
  });

  it('rejects lower case and wrong lengths of any valid code', () => {
    const broken = fc.oneof(
      compactIswc.map((c) => c.toLowerCase()),
      compactIswc.map((c) => display(c).toLowerCase()),
      compactIswc.map((c) => c.slice(0, 10)),
      fc.tuple(compactIswc, fc.constantFrom(...'0123456789')).map(([c, d]) => c + d),
    );
    fc.assert(
      fc.property(broken, (input) => {
        expect(isValidIswc(input)).toBe(false);
      }),
    );
  });

  it('rejects any one separator of the display form replaced, doubled or dropped', () => {
    fc.assert(
      fc.property(compactIswc, (code) => {
        const shown = display(code);
        for (const at of [1, 5, 9, 13]) {
          for (const sep of ['', '-', '.', ' ', '/', '--', '..'].filter((c) => c !== shown[at])) {
            expect(isValidIswc(shown.slice(0, at) + sep + shown.slice(at + 1))).toBe(false);
          }
        }
      }),
    );
  });
});

describe(iswcCheckDigit.name, () => {
  it('agrees with the reference', () => {
    fc.assert(
      fc.property(workDigits, (work) => {
        expect(String(iswcCheckDigit(work))).toBe(referenceCheckDigit(work));
      }),
    );
  });
});

describe(normalizeIswc.name, () => {
  it('turns typed variants into the compact form, which formatIswc turns back', () => {
    expect(normalizeIswc(' t-034.524.680-1 ')).toBe('T0345246801');
    expect(normalizeIswc('T-034524680-1')).toBe('T0345246801');
    expect(formatIswc('T0345246801')).toBe('T-034.524.680-1');
    fc.assert(
      fc.property(compactIswc, (code) => {
        expect(normalizeIswc(display(code).toLowerCase())).toBe(code);
        expect(formatIswc(code)).toBe(display(code));
      }),
    );
  });
});
