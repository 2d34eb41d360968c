/**
 * Cognito's error codes (the `__type` of its JSON errors, copied to `err.code` by
 * amazon-cognito-identity-js), turned once into messages people can act on.
 */
const MESSAGES: Record<string, string> = {
  NotAuthorizedException: 'Incorrect email or password.',
  UserNotFoundException: 'Incorrect email or password.',
  UserNotConfirmedException: 'Confirm your email address before signing in.',
  PasswordResetRequiredException: 'You need to reset your password before signing in.',
  UsernameExistsException: 'An account with this email already exists. Sign in instead.',
  CodeMismatchException: 'That code is not right. Check it and try again.',
  ExpiredCodeException: 'That code has expired or was already used. Ask for a new one.',
  LimitExceededException: 'Too many attempts. Wait a moment and try again.',
  TooManyRequestsException: 'Too many attempts. Wait a moment and try again.',
  TooManyFailedAttemptsException: 'Too many attempts. Wait a moment and try again.',
  NetworkError: 'Could not reach the sign-in service. Check your connection and try again.',
  // cognito-local answers this for the operations it lacks (e.g. ResendConfirmationCode).
  Unsupported: 'The local sign-in service (cognito-local) cannot do this. Use the code you already have.',
};

/** Codes that mean the credentials (or the refresh token) are no good: retrying will not help. */
const REJECTIONS = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  'UserNotConfirmedException',
  'PasswordResetRequiredException',
]);

/** A failed Cognito call: `code` is Cognito's (e.g. `UserNotConfirmedException`) or `NetworkError`. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** The account or refresh token was refused, as opposed to a network or service hiccup. */
  get isRejection(): boolean {
    return REJECTIONS.has(this.code);
  }
}

/** `getIdToken()` after the refresh token was refused: the user must sign in again. */
export class SessionExpiredError extends Error {
  override readonly name = 'SessionExpiredError';
  constructor(message = 'Your session has expired. Sign in again to continue.') {
    super(message);
  }
}

/** Wraps whatever amazon-cognito-identity-js passed to a callback as an `AuthError`. */
export function toAuthError(error: unknown, overrides: Record<string, string> = {}): AuthError {
  if (error instanceof AuthError) return error;
  const raw = error as { code?: unknown; name?: unknown; message?: unknown } | null;
  const reported = typeof raw?.code === 'string' ? raw.code : typeof raw?.name === 'string' ? raw.name : '';
  // A failed fetch carries no Cognito code (a plain `TypeError`): it never reached the service.
  const code = reported && !/^(Type)?Error$/.test(reported) ? reported : 'NetworkError';
  const fallback = typeof raw?.message === 'string' && raw.message ? raw.message : 'Something went wrong.';
  return new AuthError(code, overrides[code] ?? MESSAGES[code] ?? fallback);
}
