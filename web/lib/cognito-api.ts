import { toAuthError } from './auth-errors';
import type { RuntimeConfig } from './runtime-config';

type CognitoConfig = Pick<RuntimeConfig, 'userPoolId' | 'cognitoEndpoint'>;

/**
 * The Cognito user-pool endpoint the browser talks to: cognito-local's URL locally, else the
 * regional endpoint of the pool (its id starts with the region, as amazon-cognito-identity-js
 * derives it).
 */
export function cognitoEndpointOf(config: CognitoConfig): string {
  if (config.cognitoEndpoint) return `${config.cognitoEndpoint}/`;
  const region = config.userPoolId.split('_')[0];
  return `https://cognito-idp.${region}.amazonaws.com/`;
}

/**
 * One call of Cognito's JSON API (`AWSCognitoIdentityProviderService.<operation>`), for the
 * operations amazon-cognito-identity-js hides behind a signed-in user object or does not expose
 * (RevokeToken, the TOTP set-up). A refusal or a network failure rejects with an `AuthError`.
 */
export async function callCognito<T>(
  config: CognitoConfig,
  operation: string,
  body: Record<string, unknown>,
  fetchFn: typeof fetch = fetch,
): Promise<T> {
  let response: Response;
  try {
    response = await fetchFn(cognitoEndpointOf(config), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (error) {
    throw toAuthError(error);
  }
  const text = await response.text();
  const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (!response.ok) {
    // `__type` is `NotAuthorizedException`, or `namespace#NotAuthorizedException` on some paths.
    const type = typeof parsed.__type === 'string' ? parsed.__type.split('#').pop() : undefined;
    throw toAuthError({ code: type ?? `http-${response.status}`, message: parsed.message });
  }
  return parsed as T;
}
