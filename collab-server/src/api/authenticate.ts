import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthError, AuthErrorReason } from '../auth/auth-error.js';
import { currentIdentity } from '../core/access.js';
import type { ApiDeps, Caller } from '../services/api-deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

/** The verified caller of a protected route (set by `requireCaller`). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new AuthError(AuthErrorReason.missingToken, 'Sign in first');
  return request.caller;
}

/**
 * Verifies `Authorization: Bearer <Cognito ID token>` on every route of `scope`: signature,
 * issuer, audience, `token_use` and expiry, as the WebSocket `$connect` does. The caller's label
 * groups are those an admin last set (a token issued before a demotion carries the old ones).
 */
export function requireCaller(scope: FastifyInstance, deps: ApiDeps): void {
  scope.addHook('onRequest', async (request) => {
    const header = request.headers.authorization ?? '';
    const token = /^Bearer (\S+)$/i.exec(header)?.[1];
    request.caller = await currentIdentity(deps.stores, await deps.verifier.verify(token));
  });
}
