import { ProtocolError, ProtocolErrorReason } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Standard, padded base64 (RFC 4648 §4), the same in browsers and Node without Buffer. */
export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
    if (out.length >= 8192) {
      parts.push(out);
      out = '';
    }
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}=`;
  }
  parts.push(out);
  return parts.join('');
}

function bad(message: string): never {
  throw new ProtocolError(ProtocolErrorReason.badBase64, message);
}

/**
 * Strict decoder: only the standard alphabet, length a multiple of 4, padding only at the end,
 * and zero bits after the last symbol, so every byte string has exactly one accepted text.
 */
export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) bad('base64 length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const isLast = i + 4 === text.length;
    const a = LOOKUP[text.charCodeAt(i)] ?? -1;
    const b = LOOKUP[text.charCodeAt(i + 1)] ?? -1;
    const cChar = text.charCodeAt(i + 2);
    const dChar = text.charCodeAt(i + 3);
    const c = isLast && padding === 2 && cChar === 61 ? 0 : (LOOKUP[cChar] ?? -1);
    const d = isLast && padding >= 1 && dChar === 61 ? 0 : (LOOKUP[dChar] ?? -1);
    if (a < 0 || b < 0 || c < 0 || d < 0) bad(`invalid base64 character near offset ${i}`);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[o++] = n >> 16;
    if (!(isLast && padding === 2)) bytes[o++] = (n >> 8) & 255;
    else if (n & 0xffff) bad('non-zero bits after the last base64 symbol');
    if (!(isLast && padding >= 1)) bytes[o++] = n & 255;
    else if (padding === 1 && n & 0xff) bad('non-zero bits after the last base64 symbol');
  }
  return bytes;
}

/** Whether `text` only uses base64 symbols (a cheap test before decoding). */
export const looksLikeBase64 = (text: string): boolean => /^[A-Za-z0-9+/]*={0,2}$/.test(text);
