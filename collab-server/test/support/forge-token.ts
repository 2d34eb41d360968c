import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createRequire } from 'node:module';

export type JwtPart = Record<string, unknown>;

const encodePart = (part: JwtPart) => Buffer.from(JSON.stringify(part)).toString('base64url');

/** The header and claims of a JWT, unverified: the starting point for a forged copy. */
export function decodeJwt(token: string): { header: JwtPart; payload: JwtPart } {
  const [header, payload] = token.split('.');
  const decode = (part = '') => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as JwtPart;
  return { header: decode(header), payload: decode(payload) };
}

/** An RS256 JWT signed with `key`, whatever its header says. */
export function signJwt(header: JwtPart, payload: JwtPart, key: KeyObject): string {
  const input = `${encodePart(header)}.${encodePart(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** A JWT with an empty signature, as `alg: none` tokens carry. */
export function unsignedJwt(header: JwtPart, payload: JwtPart): string {
  return `${encodePart(header)}.${encodePart(payload)}.`;
}

/** A fresh RSA key that no JWKS knows. */
export function strangerKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

/**
 * cognito-local signs every token with one key pair shipped inside its package
 * (`lib/keys/cognitoLocal.private.json`, kid `CognitoLocal`). With it a test can mint tokens
 * that carry a valid signature but wrong claims (expired, another pool, another audience),
 * so the verifier's claim checks are exercised, not only its signature check.
 */
export function cognitoLocalKey(): KeyObject {
  const require = createRequire(import.meta.url);
  const { pem } = require('cognito-local/lib/keys/cognitoLocal.private.json') as { pem: string };
  return createPrivateKey(pem);
}

/** The public half of `cognitoLocalKey`, as cognito-local's JWKS serves it. */
export function cognitoLocalPublicJwk(): JwtPart {
  const require = createRequire(import.meta.url);
  return (require('cognito-local/lib/keys/cognitoLocal.public.json') as { jwk: JwtPart }).jwk;
}
