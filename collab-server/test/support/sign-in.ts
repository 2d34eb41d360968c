import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import type { LocalConfig } from '../../src/local-stack/local-config.js';

/** Signs in like the web app does locally: USER_PASSWORD_AUTH, since cognito-local has no SRP. */
export function signIn(config: LocalConfig, email: string, password: string): Promise<CognitoUserSession> {
  const pool = new CognitoUserPool({
    UserPoolId: config.cognito.userPoolId,
    ClientId: config.cognito.clientId,
    endpoint: config.cognito.endpoint,
  });
  const user = new CognitoUser({ Username: email, Pool: pool });
  user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
    });
  });
}

/** The ID token of a demo account. */
export async function idTokenOf(
  config: LocalConfig,
  role: 'admin' | 'manager' | 'editor' | 'viewer',
): Promise<string> {
  const demo = config.demo;
  if (!demo) throw new Error('the stack was started without its demo data');
  const session = await signIn(config, demo.accounts[role], demo.password);
  return session.getIdToken().getJwtToken();
}
