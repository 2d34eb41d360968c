const COMPACT_ISNI = /^\d{15}[\dX]$/;
const GROUPED_ISNI = /^\d{4} \d{4} \d{4} \d{3}[\dX]$/;

/** ISO/IEC 7064 MOD 11-2 check character of 15 digits (10 is written `X`). */
export function isniCheckCharacter(digits: string): string {
  let r = 0;
  for (let i = 0; i < 15; i++) r = ((r + (digits.charCodeAt(i) - 48)) * 2) % 11;
  const check = (12 - r) % 11;
  return check === 10 ? 'X' : String(check);
}

/**
 * Whether `s` is an ISNI: 15 digits then a digit or `X`, compact or in four groups separated by
 * single spaces, with a correct MOD 11-2 check character.
 */
export function isValidIsni(s: unknown): s is string {
  if (typeof s !== 'string' || !(COMPACT_ISNI.test(s) || GROUPED_ISNI.test(s))) return false;
  const compact = s.replace(/ /g, '');
  return isniCheckCharacter(compact.slice(0, 15)) === compact[15];
}
