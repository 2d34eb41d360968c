import { createIdTokenVerifier, fetchLocalJwks } from '../auth/id-token-verifier.js';
import type { CollabDeps } from '../core/collab-deps.js';
import { DEFAULT_COLLAB_LIMITS } from '../core/limits.js';
import { createManagementMessenger } from '../gateway/management-messenger.js';
import { createStores } from '../store/create-stores.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

let context: Promise<CollabDeps> | undefined;

/**
 * The core's dependencies, built once per process (Lambda cold start or gateway worker) from
 * the environment. Only clients and configuration live here, never state the handlers rely on.
 */
export function handlerContext(): Promise<CollabDeps> {
  context ??= buildContext();
  return context;
}

async function buildContext(): Promise<CollabDeps> {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const dynamoEndpoint = process.env.DYNAMODB_ENDPOINT;
  const localIssuer = process.env.COGNITO_LOCAL_ISSUER;
  const stores = createStores({
    tableName: required('TABLE_NAME'),
    region,
    ...(dynamoEndpoint ? { endpoint: dynamoEndpoint } : {}),
  });
  const verifier = createIdTokenVerifier({
    userPoolId: required('COGNITO_USER_POOL_ID'),
    clientId: required('COGNITO_CLIENT_ID'),
    ...(localIssuer ? { local: { issuer: localIssuer, jwks: await fetchLocalJwks(localIssuer) } } : {}),
  });
  const messenger = createManagementMessenger({
    endpoint: required('WS_MANAGEMENT_ENDPOINT'),
    region,
    isLocal: Boolean(dynamoEndpoint),
  });
  return {
    stores,
    verifier,
    messenger,
    limits: DEFAULT_COLLAB_LIMITS,
    now: Date.now,
    log: (message, details) => console.log(JSON.stringify({ message, ...details })),
  };
}
