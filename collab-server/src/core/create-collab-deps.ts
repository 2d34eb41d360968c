import { createIdTokenVerifier, fetchLocalJwks } from '../auth/id-token-verifier.js';
import { createManagementMessenger } from '../gateway/management-messenger.js';
import { createStores } from '../store/create-stores.js';
import type { CollabDeps } from './collab-deps.js';
import { type CollabLimits, DEFAULT_COLLAB_LIMITS } from './limits.js';

/** Where everything is; read from the environment by the entry points, never by the core. */
export interface ServiceConfig {
  tableName: string;
  region: string;
  userPoolId: string;
  clientId: string;
  /** The WebSocket API's `@connections` endpoint. */
  managementEndpoint: string;
  /** Local mode only: dynalite's endpoint. */
  dynamoEndpoint?: string;
  /** Local mode only: cognito-local's issuer (its JWKS is loaded from there). */
  localIssuer?: string;
  /** Limits other than the defaults (`COLLAB_LIMITS`, e.g. a benchmark's many clients of one person). */
  limits?: Partial<CollabLimits>;
}

export async function createCollabDeps(config: ServiceConfig): Promise<CollabDeps> {
  const stores = createStores({
    tableName: config.tableName,
    region: config.region,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {}),
  });
  const verifier = createIdTokenVerifier({
    userPoolId: config.userPoolId,
    clientId: config.clientId,
    ...(config.localIssuer
      ? { local: { issuer: config.localIssuer, jwks: await fetchLocalJwks(config.localIssuer) } }
      : {}),
  });
  const messenger = createManagementMessenger({
    endpoint: config.managementEndpoint,
    region: config.region,
    isLocal: Boolean(config.dynamoEndpoint),
  });
  return {
    stores,
    verifier,
    messenger,
    limits: { ...DEFAULT_COLLAB_LIMITS, ...config.limits },
    now: Date.now,
    log: (message, details) => console.log(JSON.stringify({ message, ...details })),
  };
}
