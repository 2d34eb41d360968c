/**
 * GS1 check digit of the digits that precede it: from the right, weights 3, 1, 3, 1…
 * (the digit next to the check digit gets 3); check = (10 − sum mod 10) mod 10.
 */
export function gtinCheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  for (let i = 0; i < digitsWithoutCheck.length; i++) {
    const digit = digitsWithoutCheck.charCodeAt(digitsWithoutCheck.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Whether `s` is a UPC-A (12 digits) or EAN-13 (13 digits) barcode with a correct GTIN check
 * digit. No separators, no EAN-2/EAN-5 add-ons.
 */
export function isValidUpc(s: unknown): s is string {
  if (typeof s !== 'string' || !/^(?:\d{12}|\d{13})$/.test(s)) return false;
  return gtinCheckDigit(s.slice(0, -1)) === Number(s.at(-1));
}

/** Drops spaces and hyphens people copy from printed barcodes. */
export function normalizeUpc(input: string): string {
  return input.replace(/[\s-]/g, '');
}
