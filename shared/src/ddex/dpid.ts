// A DDEX Party Identifier (docs/DELIVERY.md, "Sender and recipient"): `PADPIDA` + a 10-character
// party number + one check character, 18 characters, upper case, written without the hyphens
// of its display form (`PA-DPIDA-…-C`).
const DPID = /^PADPIDA[0-9A-Z]{10}[0-9A-Z]$/;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** ISO/IEC 7064 MOD 37,36 check character of the 17 characters before it. */
export function dpidCheckCharacter(first17: string): string {
  const modulus = 36;
  let product = modulus;
  for (const char of first17) {
    let sum = (product + ALPHABET.indexOf(char)) % modulus;
    if (sum === 0) sum = modulus;
    product = (sum * 2) % (modulus + 1);
  }
  return ALPHABET[(modulus + 1 - product) % modulus]!;
}

/**
 * Whether `s` is a DPID as DDEX allocates them: the shape above with a correct check character.
 * The schema itself only asks for `PADPIDA` followed by letters and digits.
 */
export function isValidDpid(s: unknown): s is string {
  return typeof s === 'string' && DPID.test(s) && dpidCheckCharacter(s.slice(0, 17)) === s[17];
}
