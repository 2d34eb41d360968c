import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ISO_3166_1_ALPHA2, ISRC_SPECIAL_PREFIXES } from './country-codes.js';
import { isIsrcCountryPrefix, isValidTerritory, WORLDWIDE } from './territory.js';

const upperPair = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
  minLength: 2,
  maxLength: 2,
});

describe(isValidTerritory.name, () => {
  it.each(['US', 'GB', 'DE', 'JP', 'BR', 'AX', 'Worldwide'])('accepts %s', (code) => {
    expect(isValidTerritory(code)).toBe(true);
  });

  it.each([
    ['us', 'lower case'],
    ['Us', 'mixed case'],
    ['UK', 'an ISRC prefix, not ISO 3166-1 (the United Kingdom is GB)'],
    ['XX', 'unassigned'],
    ['EU', 'exceptionally reserved, not a country'],
    ['USA', 'alpha-3'],
    ['840', 'numeric'],
    ['worldwide', 'lower-case Worldwide'],
    ['WORLDWIDE', 'upper-case Worldwide'],
    ['World', 'not the DDEX value'],
    [' US', 'a leading space'],
    ['', 'the empty string'],
  ])('rejects %j (%s)', (code) => {
    expect(isValidTerritory(code)).toBe(false);
  });

  it.each([undefined, null, 840, ['US']])('rejects non-string %j', (input) => {
    expect(isValidTerritory(input)).toBe(false);
  });

  it('is Worldwide or exactly the ISO 3166-1 list, for any two upper-case letters', () => {
    expect(WORLDWIDE).toBe('Worldwide');
    fc.assert(
      fc.property(upperPair, (code) => {
        expect(isValidTerritory(code)).toBe(ISO_3166_1_ALPHA2.has(code));
        expect(isValidTerritory(code.toLowerCase())).toBe(false);
      }),
    );
  });
});

describe('ISO_3166_1_ALPHA2', () => {
  const regionName = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

  it('holds the 249 officially assigned codes, each two upper-case letters', () => {
    expect(ISO_3166_1_ALPHA2.size).toBe(249);
    for (const code of ISO_3166_1_ALPHA2) expect(code).toMatch(/^[A-Z]{2}$/);
  });

  it('holds only codes that CLDR names as regions', () => {
    const unnamed = [...ISO_3166_1_ALPHA2].filter((code) => !regionName.of(code));
    expect(unnamed).toEqual([]);
  });
});

describe(isIsrcCountryPrefix.name, () => {
  it('accepts ISO countries and IFPI special allocations such as UK', () => {
    expect(isIsrcCountryPrefix('US')).toBe(true);
    expect(isIsrcCountryPrefix('GB')).toBe(true);
    expect(isIsrcCountryPrefix('UK')).toBe(true);
    expect(isValidTerritory('UK')).toBe(false);
    for (const prefix of ['FX', 'QM', 'QZ', 'CP', 'DG', 'ZZ']) expect(isIsrcCountryPrefix(prefix)).toBe(true);
  });

  it('rejects unallocated prefixes and lower case', () => {
    expect(isIsrcCountryPrefix('XX')).toBe(false);
    expect(isIsrcCountryPrefix('us')).toBe(false);
    expect(isIsrcCountryPrefix('Worldwide')).toBe(false);
  });

  it('accepts every ISO country and every special allocation, and nothing else', () => {
    for (const code of [...ISO_3166_1_ALPHA2, ...ISRC_SPECIAL_PREFIXES])
      expect(isIsrcCountryPrefix(code)).toBe(true);
    const known = new Set([...ISO_3166_1_ALPHA2, ...ISRC_SPECIAL_PREFIXES]);
    fc.assert(
      fc.property(
        upperPair.filter((p) => !known.has(p)),
        (prefix) => {
          expect(isIsrcCountryPrefix(prefix)).toBe(false);
        },
      ),
    );
  });
});
