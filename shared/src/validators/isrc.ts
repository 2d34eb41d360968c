import { isIsrcCountryPrefix } from './territory.js';

// ISO 3901: CC (2 letters) + XXX registrant (3 of A-Z0-9) + YY (2 digits) + NNNNN (5 digits).
const COMPACT_ISRC = /^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$/;
const DISPLAY_ISRC = /^[A-Z]{2}-[A-Z0-9]{3}-[0-9]{2}-[0-9]{5}$/;

/**
 * Whether `s` is an ISRC in compact (`USRC17607839`) or display (`US-RC1-76-07839`) form,
 * upper case only. Shape only: ISRCs carry no check digit, and an unallocated country prefix
 * is a validation warning, not a failure here.
 */
export function isValidIsrc(s: unknown): s is string {
  return typeof s === 'string' && (COMPACT_ISRC.test(s) || DISPLAY_ISRC.test(s));
}

/**
 * Turns user input into the compact stored form: trims, upper-cases, drops an `ISRC` label and
 * separators (hyphens, spaces, dots). The result still needs `isValidIsrc`.
 * @example normalizeIsrc(' isrc us-rc1-76-07839 ') // 'USRC17607839'
 */
export function normalizeIsrc(input: string): string {
  const compact = input.toUpperCase().replace(/[\s\-.]/g, '');
  // Drop the label only when a whole code follows it: an Icelandic code whose registrant starts
  // with RC (`IS-RC1-76-07839`) itself begins with the letters `ISRC`.
  return compact.replace(/^ISRC:?(?=[A-Z0-9]{12}$)/, '');
}

/** Display form `CC-XXX-YY-NNNNN` of a valid ISRC. */
export function formatIsrc(isrc: string): string {
  const compact = isrc.replace(/-/g, '');
  return `${compact.slice(0, 2)}-${compact.slice(2, 5)}-${compact.slice(5, 7)}-${compact.slice(7)}`;
}

/** Whether a valid ISRC's prefix is an ISO 3166-1 country or an IFPI special allocation. */
export function hasKnownIsrcPrefix(isrc: string): boolean {
  return isIsrcCountryPrefix(isrc.slice(0, 2));
}
