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
