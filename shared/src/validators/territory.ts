import { ISO_3166_1_ALPHA2, ISRC_SPECIAL_PREFIXES } from './country-codes.js';

/** DDEX `AllTerritoryCode` value for every territory in the world. */
export const WORLDWIDE = 'Worldwide';

/** Whether `s` is an ISO 3166-1 alpha-2 code (upper case) or `Worldwide`. */
export function isValidTerritory(s: unknown): s is string {
  return typeof s === 'string' && (s === WORLDWIDE || ISO_3166_1_ALPHA2.has(s));
}

export function isIsrcCountryPrefix(prefix: string): boolean {
  return ISO_3166_1_ALPHA2.has(prefix) || ISRC_SPECIAL_PREFIXES.has(prefix);
}
