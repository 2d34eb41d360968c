import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationFromInput, formatIsoDuration, isIsoDuration, parseIsoDuration } from './iso-duration.js';

describe(parseIsoDuration.name, () => {
  it.each([
    ['PT3M25S', 205],
    ['PT1H2M3S', 3723],
    ['PT1M30.5S', 90.5],
    ['PT90S', 90],
    ['PT75M', 4500],
    ['PT2H', 7200],
    ['PT1H5S', 3605],
    ['PT0S', 0],
  ])('parses %s as %d seconds', (input, seconds) => {
    expect(parseIsoDuration(input)).toBe(seconds);
  });

  it.each([
    ['PT', 'no parts'],
    ['P3M', 'three months (date part, no T)'],
    ['P1DT2H', 'a day part'],
    ['3:25', 'clock notation'],
    ['205', 'a bare number'],
    ['-PT3M25S', 'a negative duration'],
    ['PT-3M', 'a negative part'],
    ['pt3m25s', 'lower case'],
    ['PT3m25s', 'lower-case designators'],
    ['PT25S3M', 'parts out of order'],
    ['PT3M25', 'a missing designator'],
    ['PT1.5M', 'fractional minutes'],
    ['PT.5S', 'a fraction without integer part'],
    ['PT30.S', 'a dot without fraction'],
    [' PT3M25S', 'a leading space'],
    ['PT3M 25S', 'an inner space'],
    ['', 'the empty string'],
  ])('rejects %j (%s)', (input) => {
    expect(parseIsoDuration(input)).toBeNull();
    expect(isIsoDuration(input)).toBe(false);
  });

  it.each([undefined, null, 205, ['PT3M25S']])('rejects non-string %j', (input) => {
    expect(parseIsoDuration(input)).toBeNull();
    expect(isIsoDuration(input)).toBe(false);
  });

  it('parses any combination of hours, minutes and seconds', () => {
    const part = fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined });
    fc.assert(
      fc.property(part, part, part, (h, m, s) => {
        fc.pre(h !== undefined || m !== undefined || s !== undefined);
        const text = `PT${h === undefined ? '' : `${h}H`}${m === undefined ? '' : `${m}M`}${s === undefined ? '' : `${s}S`}`;
        expect(parseIsoDuration(text)).toBe((h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0));
      }),
    );
  });
});

describe(formatIsoDuration.name, () => {
  it.each([
    [205, 'PT3M25S'],
    [3723, 'PT1H2M3S'],
    [90, 'PT1M30S'],
    [90.5, 'PT1M30.5S'],
    [3600, 'PT1H'],
    [60, 'PT1M'],
    [3605, 'PT1H5S'],
    [0, 'PT0S'],
    [119.9996, 'PT2M'],
    [3599.9999, 'PT1H'],
  ])('formats %d seconds as %s', (seconds, text) => {
    expect(formatIsoDuration(seconds)).toBe(text);
  });

  it('writes normalised durations that parse back to the same number of seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (seconds) => {
        const text = formatIsoDuration(seconds);
        expect(text).toMatch(/^PT(?:\d+H)?(?:[1-5]?\dM)?(?:[1-5]?\dS)?$/);
        expect(parseIsoDuration(text)).toBe(seconds);
      }),
    );
  });
});

describe(durationFromInput.name, () => {
  it.each([
    ['3:25', 'PT3M25S'],
    ['03:25', 'PT3M25S'],
    [' 3:25 ', 'PT3M25S'],
    ['0:45', 'PT45S'],
    ['1:02:03', 'PT1H2M3S'],
    ['75:00', 'PT1H15M'],
    ['PT3M25S', 'PT3M25S'],
    ['pt3m25s', 'PT3M25S'],
  ])('turns %j into %s', (input, expected) => {
    expect(durationFromInput(input)).toBe(expected);
  });

  it.each(['3:60', '3:5', '3', '3:25:', ':25', '3.25', '3m25s', 'PT', 'abc', ''])('rejects %j', (input) => {
    expect(durationFromInput(input)).toBeNull();
  });

  it('reads m:ss as minutes and seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 59 }), (m, s) => {
        const iso = durationFromInput(`${m}:${String(s).padStart(2, '0')}`);
        expect(iso).not.toBeNull();
        expect(parseIsoDuration(iso)).toBe(m * 60 + s);
      }),
    );
  });
});
