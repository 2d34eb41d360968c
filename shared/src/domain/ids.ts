declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type ReleaseId = Brand<string, 'ReleaseId'>;
export type TrackId = Brand<string, 'TrackId'>;

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const ID_PATTERN = /^[0-9a-z]{8,40}$/;

/**
 * A random lower-case base-36 id. Uses `crypto.getRandomValues`, available in browsers and
 * Node 20, so the same code mints ids on both sides. 16 characters ≈ 82 bits.
 */
export function randomId(length = 16): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

export const newReleaseId = (): ReleaseId => randomId(16) as ReleaseId;
export const newTrackId = (): TrackId => randomId(12) as TrackId;

/** Ids travel in URLs, DynamoDB keys and field paths, so they must never contain `.` or `/`. */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
