import { ISO_639_1, ISO_639_SPECIAL } from './language-codes.js';

/**
 * Whether `s` is an ISO 639 language code in lower case: an ISO 639-1 two-letter code, one of
 * the special codes `mul`/`und`/`zxx`/`mis`, or a three-letter ISO 639-2/3 code (checked by
 * shape only; those lists run to thousands of entries and are used where no 639-1 code exists).
 */
export function isValidLanguage(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  if (s.length === 2) return ISO_639_1.has(s);
  return ISO_639_SPECIAL.has(s) || /^[a-z]{3}$/.test(s);
}
