import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIsoDate } from './iso-date.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const MIN = new Date('0001-01-01T00:00:00Z');
const MAX = new Date('9999-12-31T23:59:59Z');

/** Reference: a Gregorian leap year is divisible by 4, except centuries not divisible by 400. */
function referenceDaysInMonth(year: number, month: number): number {
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

describe(isIsoDate.name, () => {
  it.each(['2024-02-29', '2000-02-29', '2026-03-27', '2026-12-31', '2026-01-01', '1999-04-30'])(
    'accepts %s',
    (date) => {
      expect(isIsoDate(date)).toBe(true);
    },
  );

  it.each([
    ['2023-02-29', 'February 29 in a common year'],
    ['1900-02-29', 'February 29 in a century that is not a leap year'],
    ['2026-04-31', 'April 31'],
    ['2026-13-01', 'month 13'],
    ['2026-00-10', 'month 0'],
    ['2026-01-00', 'day 0'],
    ['2026-01-32', 'day 32'],
    ['2026-1-01', 'a one-digit month'],
    ['2026-01-1', 'a one-digit day'],
    ['26-01-01', 'a two-digit year'],
    ['20260101', 'the basic format without hyphens'],
    ['2026/01/01', 'slashes'],
    ['01-03-2026', 'day first'],
    ['2026-01-01T00:00:00Z', 'a date-time'],
    [' 2026-01-01', 'a leading space'],
    ['2026-01-01 ', 'a trailing space'],
    ['+2026-01-01', 'a sign'],
    ['2026-01', 'a partial date'],
    ['', 'the empty string'],
  ])('rejects %j (%s)', (input) => {
    expect(isIsoDate(input)).toBe(false);
  });

  it.each([undefined, null, 20260101, new Date('2026-01-01')])('rejects non-string %j', (input) => {
    expect(isIsoDate(input)).toBe(false);
  });

  it('accepts the calendar date of any Date in years 0001–9999', () => {
    fc.assert(
      fc.property(fc.date({ min: MIN, max: MAX, noInvalidDate: true }), (date) => {
        expect(isIsoDate(date.toISOString().slice(0, 10))).toBe(true);
      }),
    );
  });

  it('agrees with the Gregorian calendar for any year, month 1–12 and day 1–31', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect(isIsoDate(date)).toBe(day <= referenceDaysInMonth(year, month));
        },
      ),
    );
  });

  it('rejects months and days out of range', () => {
    const badMonth = fc.oneof(fc.constant(0), fc.integer({ min: 13, max: 99 }));
    const badDay = fc.oneof(fc.constant(0), fc.integer({ min: 32, max: 99 }));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.tuple(badMonth, fc.integer({ min: 1, max: 28 })),
        fc.tuple(fc.integer({ min: 1, max: 12 }), badDay),
        (year, [month1, day1], [month2, day2]) => {
          expect(isIsoDate(`${pad(year, 4)}-${pad(month1, 2)}-${pad(day1, 2)}`)).toBe(false);
          expect(isIsoDate(`${pad(year, 4)}-${pad(month2, 2)}-${pad(day2, 2)}`)).toBe(false);
        },
      ),
    );
  });
});
