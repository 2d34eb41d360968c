import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { e2eStack } from './stack';

/** The stored users of cognito-local's pool file (StormDB JSON). */
interface PoolFile {
  Users?: Record<
    string,
    {
      Username: string;
      UserStatus?: string;
      ConfirmationCode?: string;
      Attributes?: Array<{ Name: string; Value: string }>;
    }
  >;
}

/**
 * The confirmation code cognito-local generated for a new sign-up, read from
 * `<dataDir>/cognito/db/<userPoolId>.json`: locally no email goes out, so this stands in for
 * reading one. Undefined until the account exists (poll it with `expect.poll`).
 */
export function readConfirmationCode(email: string): string | undefined {
  const { dataDir, local } = e2eStack();
  const path = join(dataDir, 'cognito', 'db', `${local.cognito.userPoolId}.json`);
  let pool: PoolFile;
  try {
    pool = JSON.parse(readFileSync(path, 'utf8')) as PoolFile;
  } catch {
    // Not written yet, or caught half-way through a write.
    return undefined;
  }
  const wanted = email.trim().toLowerCase();
  // The pool signs people up by email, so the username is the `sub`: look for the attribute.
  const user = Object.values(pool.Users ?? {}).find((candidate) =>
    candidate.Attributes?.some((attribute) => attribute.Name === 'email' && attribute.Value === wanted),
  );
  return user?.ConfirmationCode;
}

/**
 * An ID token for REST calls that set up state the test is not about, from cognito-local with
 * `USER_PASSWORD_AUTH` (what the web app uses locally).
 */
export function idTokenFor(email: string, password: string): Promise<string> {
  const { local } = e2eStack();
  const pool = new CognitoUserPool({
    UserPoolId: local.cognito.userPoolId,
    ClientId: local.cognito.clientId,
    endpoint: local.cognito.endpoint,
  });
  const user = new CognitoUser({ Username: email, Pool: pool });
  user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: (session) => resolve(session.getIdToken().getJwtToken()),
      onFailure: (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
    }),
  );
}

/** What cognito-local answered: the HTTP status and the JSON body (`__type` names a refusal). */
export interface CognitoAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** One call of cognito-local's JSON API, as a browser or an attacker with a token would make it. */
export async function callCognitoLocal(
  operation: string,
  body: Record<string, unknown>,
): Promise<CognitoAnswer> {
  const response = await fetch(e2eStack().local.cognito.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Asks cognito-local for new tokens with a refresh token (`REFRESH_TOKEN_AUTH`). */
export function refreshWith(refreshToken: string): Promise<CognitoAnswer> {
  return callCognitoLocal('InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: e2eStack().local.cognito.clientId,
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
}

/**
 * A confirmed account of its own for a test that changes account settings (MFA, sign-out), so
 * the demo accounts other specs share stay as they are. Admin calls: cognito-local checks no
 * credentials.
 */
export async function createAccount(
  label: string,
): Promise<{ email: string; password: string; name: string }> {
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const email = `${label}-${stamp}@example.test`;
  const password = 'Patchline-e2e-1';
  const name = `Sam ${label} ${stamp}`;
  const UserPoolId = e2eStack().local.cognito.userPoolId;
  const created = await callCognitoLocal('AdminCreateUser', {
    UserPoolId,
    Username: email,
    MessageAction: 'SUPPRESS',
    UserAttributes: [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'name', Value: name },
    ],
  });
  const set = await callCognitoLocal('AdminSetUserPassword', {
    UserPoolId,
    Username: email,
    Password: password,
    Permanent: true,
  });
  if (created.status !== 200 || set.status !== 200) {
    throw new Error(`cognito-local did not create ${email}: ${JSON.stringify([created.body, set.body])}`);
  }
  return { email, password, name };
}

/**
 * Sets the local pool's MFA as infra/lib/constructs/user-pool.ts sets the production pool's:
 * optional, TOTP only. cognito-local creates pools with MFA off, under which it ignores an
 * account's authenticator app at sign-in. The local stack's bootstrap sets it on every start;
 * the spec sets it again so that it does not depend on that.
 */
export async function useProductionMfaConfig(): Promise<void> {
  const answer = await callCognitoLocal('SetUserPoolMfaConfig', {
    UserPoolId: e2eStack().local.cognito.userPoolId,
    MfaConfiguration: 'OPTIONAL',
    SoftwareTokenMfaConfiguration: { Enabled: true },
  });
  if (answer.status !== 200)
    throw new Error(`cognito-local refused the MFA config: ${JSON.stringify(answer.body)}`);
}
