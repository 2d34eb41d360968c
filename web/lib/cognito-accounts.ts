import { CognitoUser, CognitoUserAttribute, type CognitoUserPool } from 'amazon-cognito-identity-js';
import { toAuthError } from './auth-errors';

/** Emails are case-insensitive for people; Cognito usernames are not. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * The account flows that need no session: sign-up, email confirmation, password reset. Errors
 * arrive as `AuthError`s with messages fit to show beside the form.
 */
export class CognitoAccounts {
  constructor(private readonly pool: CognitoUserPool) {}

  /** Creates an account; `isConfirmed` is false while the emailed code is still needed. */
  async signUp(input: { email: string; password: string; name: string }): Promise<{ isConfirmed: boolean }> {
    const email = normalizeEmail(input.email);
    const attributes = [
      new CognitoUserAttribute({ Name: 'email', Value: email }),
      new CognitoUserAttribute({ Name: 'name', Value: input.name.trim() }),
    ];
    const result = await callback<{ userConfirmed: boolean }>((done) =>
      this.pool.signUp(email, input.password, attributes, [], done),
    );
    return { isConfirmed: result.userConfirmed };
  }

  confirmSignUp(email: string, code: string): Promise<void> {
    return callback((done) => this.userFor(email).confirmRegistration(code.trim(), true, done)).then(
      () => {},
    );
  }

  resendConfirmationCode(email: string): Promise<void> {
    return callback((done) => this.userFor(email).resendConfirmationCode(done)).then(() => {});
  }

  /** Asks Cognito to send a reset code; resolves with where it went (e.g. `e***@example.com`). */
  forgotPassword(email: string): Promise<{ destination: string | null }> {
    return new Promise((resolve, reject) =>
      this.userFor(email).forgotPassword({
        onSuccess: (data: { CodeDeliveryDetails?: { Destination?: string } }) =>
          resolve({ destination: data?.CodeDeliveryDetails?.Destination ?? null }),
        onFailure: (error) =>
          reject(toAuthError(error, { UserNotFoundException: 'No account uses that email.' })),
      }),
    );
  }

  resetPassword(email: string, code: string, newPassword: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.userFor(email).confirmPassword(code.trim(), newPassword, {
        onSuccess: () => resolve(),
        onFailure: (error) => reject(toAuthError(error)),
      }),
    );
  }

  private userFor(email: string): CognitoUser {
    return new CognitoUser({ Username: normalizeEmail(email), Pool: this.pool });
  }
}

function callback<T>(call: (done: (error: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    call((error, value) => (error ? reject(toAuthError(error)) : resolve(value as T))),
  );
}
