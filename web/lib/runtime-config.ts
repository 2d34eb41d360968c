/**
 * What the browser needs to reach a Patchline stack. It is read on the server at request time
 * (root layout) rather than inlined at build time with `NEXT_PUBLIC_*`, so one production build
 * serves any stack: the local pool id is only known once cognito-local has started.
 */
export interface RuntimeConfig {
  /** REST API base URL, without a trailing slash. */
  apiUrl: string;
  /** WebSocket gateway URL; clients add `?doc=<releaseId>&token=<idToken>`. */
  websocketUrl: string;
  /** Where this web app is served (share links are built on it). */
  webUrl: string;
  region: string;
  userPoolId: string;
  clientId: string;
  /** cognito-local's URL; null on AWS, where the SDK derives the endpoint from the region. */
  cognitoEndpoint: string | null;
  /** 'USER_PASSWORD_AUTH' locally (cognito-local has no SRP), 'USER_SRP_AUTH' on AWS. */
  authFlow: 'USER_PASSWORD_AUTH' | 'USER_SRP_AUTH';
}

/** The environment variables `runtimeConfigFromEnv` reads, by config key. */
export const RUNTIME_CONFIG_ENV = {
  apiUrl: 'PATCHLINE_API_URL',
  websocketUrl: 'PATCHLINE_WEBSOCKET_URL',
  webUrl: 'PATCHLINE_WEB_URL',
  region: 'PATCHLINE_REGION',
  userPoolId: 'PATCHLINE_USER_POOL_ID',
  clientId: 'PATCHLINE_CLIENT_ID',
  cognitoEndpoint: 'PATCHLINE_COGNITO_ENDPOINT',
  authFlow: 'PATCHLINE_AUTH_FLOW',
} as const;

type Env = Record<string, string | undefined>;

const trimSlash = (url: string) => url.replace(/\/+$/, '');
const nonEmpty = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/**
 * Builds the config from `PATCHLINE_*` variables, defaulting to the local stack's ports
 * (README.md, "The local stack"). The auth flow follows the Cognito endpoint unless `PATCHLINE_AUTH_FLOW` says
 * otherwise: a custom endpoint means cognito-local, which only speaks `USER_PASSWORD_AUTH`.
 */
export function runtimeConfigFromEnv(env: Env): RuntimeConfig {
  const read = (key: keyof typeof RUNTIME_CONFIG_ENV) => nonEmpty(env[RUNTIME_CONFIG_ENV[key]]);
  const cognitoEndpoint = read('cognitoEndpoint') ?? null;
  const authFlow = read('authFlow');
  return {
    apiUrl: trimSlash(read('apiUrl') ?? 'http://127.0.0.1:4000'),
    websocketUrl: trimSlash(read('websocketUrl') ?? 'ws://127.0.0.1:4001'),
    webUrl: trimSlash(read('webUrl') ?? 'http://127.0.0.1:3000'),
    region: read('region') ?? 'us-east-1',
    userPoolId: read('userPoolId') ?? '',
    clientId: read('clientId') ?? '',
    cognitoEndpoint: cognitoEndpoint ? trimSlash(cognitoEndpoint) : null,
    authFlow:
      authFlow === 'USER_PASSWORD_AUTH' || authFlow === 'USER_SRP_AUTH'
        ? authFlow
        : cognitoEndpoint
          ? 'USER_PASSWORD_AUTH'
          : 'USER_SRP_AUTH',
  };
}

/** Names of the variables a usable config still lacks (the pool and client ids have no default). */
export function missingRuntimeConfig(config: RuntimeConfig): string[] {
  const missing: string[] = [];
  if (!config.userPoolId) missing.push(RUNTIME_CONFIG_ENV.userPoolId);
  if (!config.clientId) missing.push(RUNTIME_CONFIG_ENV.clientId);
  return missing;
}
