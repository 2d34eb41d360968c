export const AuthErrorReason = {
  missingToken: 'missing-token',
  invalidToken: 'invalid-token',
  expiredToken: 'expired-token',
} as const;
export type AuthErrorReason = (typeof AuthErrorReason)[keyof typeof AuthErrorReason];

/** A token that does not prove who the caller is. Boundaries map it to 401 / close 4401. */
export class AuthError extends Error {
  constructor(
    readonly reason: AuthErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
