const COMPACT_ISWC = /^T\d{10}$/;
const DISPLAY_ISWC = /^T-\d{3}\.\d{3}\.\d{3}-\d$/;

/** ISO 15707 check digit: S = 1 + Σ i·dᵢ over the nine work digits; check = (10 − S mod 10) mod 10. */
export function iswcCheckDigit(workDigits: string): number {
  let sum = 1;
  for (let i = 0; i < 9; i++) sum += (i + 1) * (workDigits.charCodeAt(i) - 48);
  return (10 - (sum % 10)) % 10;
}

/** Whether `s` is an ISWC as `T-DDD.DDD.DDD-C` or `TDDDDDDDDDC` with a correct check digit. */
export function isValidIswc(s: unknown): s is string {
  if (typeof s !== 'string' || !(COMPACT_ISWC.test(s) || DISPLAY_ISWC.test(s))) return false;
  const digits = s.replace(/\D/g, '');
  return iswcCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}

/** Upper-cases and strips separators: `t-034.524.680-1` → `T0345246801`. */
export function normalizeIswc(input: string): string {
  return input
    .trim()
    .toUpperCase()
    .replace(/[\s\-.]/g, '');
}

/** Display form `T-DDD.DDD.DDD-C`. */
export function formatIswc(iswc: string): string {
  const d = iswc.replace(/\D/g, '');
  return `T-${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
}
