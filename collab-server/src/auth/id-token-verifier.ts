import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { JwtExpiredError } from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import { AuthError, AuthErrorReason } from './auth-error.js';

/** Who a verified ID token says the caller is. */
export interface VerifiedIdentity {
  sub: string;
  groups: string[];
  email: string;
  /** Whether Cognito verified `email` (a confirmed sign-up, or an admin saying so). */
  emailVerified: boolean;
  name: string;
  /** When Cognito issued the token (epoch seconds, `iat`). */
  issuedAt: number;
}

export interface IdTokenVerifierConfig {
  userPoolId: string;
  clientId: string;
  /**
   * Local mode only: cognito-local's issuer (`http://127.0.0.1:9229/<poolId>`) and its JWKS,
   * which the caller loads itself because aws-jwt-verify refuses to fetch over http.
   */
  local?: { issuer: string; jwks: Jwks };
}

export interface IdTokenVerifier {
  verify(token: string | undefined | null): Promise<VerifiedIdentity>;
}

type Payload = Record<string, unknown>;

/**
 * Verifies Cognito ID tokens: signature against the pool's JWKS, issuer, audience (the app
 * client), `token_use` = `id`, and expiry. Access tokens, tokens of another pool or client,
 * `alg: none` and expired tokens are refused with an `AuthError`.
 */
export function createIdTokenVerifier(config: IdTokenVerifierConfig): IdTokenVerifier {
  const verifyJwt = config.local ? localVerifier(config.clientId, config.local) : awsVerifier(config);
  return {
    async verify(token) {
      if (!token) throw new AuthError(AuthErrorReason.missingToken, 'Sign in first: no token was sent');
      let payload: Payload;
      try {
        payload = await verifyJwt(token);
      } catch (error) {
        if (error instanceof JwtExpiredError)
          throw new AuthError(AuthErrorReason.expiredToken, 'Your session expired; sign in again');
        throw new AuthError(AuthErrorReason.invalidToken, `Invalid token: ${(error as Error).message}`);
      }
      return identityFrom(payload);
    },
  };
}

function awsVerifier(config: IdTokenVerifierConfig): (token: string) => Promise<Payload> {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: config.userPoolId,
    clientId: config.clientId,
    tokenUse: 'id',
  });
  return (token) => verifier.verify(token) as Promise<Payload>;
}

function localVerifier(
  clientId: string,
  local: { issuer: string; jwks: Jwks },
): (token: string) => Promise<Payload> {
  const verifier = JwtVerifier.create({
    issuer: local.issuer,
    audience: clientId,
    jwksUri: `${local.issuer}/.well-known/jwks.json`,
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== 'id') throw new Error('not an ID token');
    },
  });
  verifier.cacheJwks(local.jwks);
  return (token) => verifier.verify(token) as Promise<Payload>;
}

function identityFrom(payload: Payload): VerifiedIdentity {
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.length === 0)
    throw new AuthError(AuthErrorReason.invalidToken, 'token has no subject');
  const groups = Array.isArray(payload['cognito:groups'])
    ? payload['cognito:groups'].filter((g): g is string => typeof g === 'string')
    : [];
  const email = typeof payload.email === 'string' ? payload.email : '';
  const name = typeof payload.name === 'string' && payload.name ? payload.name : email.split('@')[0] || sub;
  // Cognito sends a boolean; some emulators send the string.
  const emailVerified = payload.email_verified === true || payload.email_verified === 'true';
  const issuedAt = typeof payload.iat === 'number' ? payload.iat : 0;
  return { sub, groups, email, emailVerified, name, issuedAt };
}

/** Loads a JWKS over http for local mode (cognito-local serves it at the issuer). */
export async function fetchLocalJwks(issuer: string): Promise<Jwks> {
  const response = await fetch(`${issuer}/.well-known/jwks.json`);
  if (!response.ok) throw new Error(`cannot load JWKS from ${issuer}: HTTP ${response.status}`);
  return (await response.json()) as Jwks;
}
