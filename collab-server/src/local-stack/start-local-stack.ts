import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DdexSettings } from '@patchline/shared';
import { type ApiOptions, buildApi } from '../api/app.js';
import { createApiDeps } from '../api/create-api-deps.js';
import { type LocalGatewayOptions, startLocalGateway } from '../gateway/local/index.js';
import { createStores } from '../store/create-stores.js';
import { ensureTable } from '../store/ensure-table.js';
import { bootstrapCognito, createLocalCognitoClient } from './bootstrap-cognito.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_ROLES, type DemoRole } from './demo-data.js';
import { HANDLER_PATHS } from './handler-paths.js';
import { httpUrl } from './listen.js';
import { type LocalConfig, readLocalConfig, writeLocalConfig } from './local-config.js';
import { seedDemo } from './seed-demo.js';
import { startCognitoLocal } from './start-cognito-local.js';
import { startDynalite } from './start-dynalite.js';
import { startWeb, webEnvironment } from './start-web.js';

export type { LocalConfig } from './local-config.js';

/** The README's port table. 0 picks a free port (tests). */
export const DEFAULT_LOCAL_PORTS = {
  dynamodb: 8000,
  cognito: 9229,
  gateway: 4001,
  api: 4000,
  web: 3000,
} as const;
export type LocalPorts = { -readonly [K in keyof typeof DEFAULT_LOCAL_PORTS]: number };

/** Names of the local resources; the region is what the SDK clients sign with, nothing checks it. */
export const LOCAL_NAMES = {
  region: 'us-east-1',
  tableName: 'patchline-local',
  userPoolName: 'patchline-local',
  appClientName: 'patchline-web',
} as const;

export interface LocalStackOptions {
  /** Everything persistent goes here: `dynamodb/` (LevelDB), `cognito/`, `local.json`. */
  dataDir: string;
  /** Default 127.0.0.1; loopback only (dynalite and cognito-local refuse anything else). */
  host?: string;
  /** 0 picks a free port, except for `web` (`next start` needs a fixed one). */
  ports?: Partial<LocalPorts>;
  /** Handler worker processes behind the gateway; 0 runs the handlers in this process. Default 2. */
  workers?: number;
  /** Create the demo accounts and release. Default true; without it `local.json` has no `demo`. */
  seed?: boolean;
  /** Start the WebSocket gateway. Default true. */
  gateway?: boolean;
  /** Start the REST API (needs the gateway for its management endpoint). Default true. */
  api?: boolean;
  /** Serve the web app's production build with `next start` (it must be built). Default false. */
  web?: boolean;
  /** Rate limit of share-link preview/redeem, per client; tests lower it. */
  apiOptions?: ApiOptions;
  /** The label's DDEX sender and recipient; the local placeholders when not given. */
  ddex?: DdexSettings;
  /** Passed to the gateway, e.g. short idle timeouts for tests. */
  gatewayOptions?: Omit<LocalGatewayOptions, 'handlers' | 'port' | 'host' | 'workers' | 'env'>;
}

export interface LocalStack {
  config: LocalConfig;
  /** Where `config` was written. */
  configPath: string;
  /** Stops the gateway (and its workers), cognito-local, then dynalite. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the embedded local stack (README.md, "The local stack") (`npm start`, and integration tests on port 0):
 * dynalite and cognito-local in this process, the table, the Cognito pool, client and groups,
 * the demo data, then the gateway with the real handlers, and writes `<dataDir>/local.json`.
 * A second start on the same `dataDir` reuses everything. If any step fails, what already
 * started is stopped before the error is rethrown.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  const ports: LocalPorts = { ...DEFAULT_LOCAL_PORTS, ...options.ports };
  const webUrl = httpUrl(host, ports.web);
  await mkdir(dataDir, { recursive: true });
  const previous = await readLocalConfig(dataDir);

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    // Reverse start order: the gateway's `$disconnect` handlers still need DynamoDB.
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const dynamodb = await startDynalite({ host, port: ports.dynamodb, path: join(dataDir, 'dynamodb') });
    stops.push(dynamodb.close);
    const cognitoLocal = await startCognitoLocal({
      host,
      port: ports.cognito,
      path: join(dataDir, 'cognito'),
      // The web app signs in from the browser, straight to cognito-local.
      allowedOrigins: [webUrl],
    });
    stops.push(cognitoLocal.close);

    const stores = createStores({
      tableName: LOCAL_NAMES.tableName,
      region: LOCAL_NAMES.region,
      endpoint: dynamodb.endpoint,
    });
    const cognitoClient = createLocalCognitoClient(cognitoLocal.endpoint, LOCAL_NAMES.region);
    let demo: LocalConfig['demo'];
    let cognito: { userPoolId: string; clientId: string };
    try {
      await ensureTable(stores.client, LOCAL_NAMES.tableName);
      cognito = await bootstrapCognito(cognitoClient, {
        poolName: LOCAL_NAMES.userPoolName,
        clientName: LOCAL_NAMES.appClientName,
      });
      if (options.seed ?? true) {
        const seeded = await seedDemo({
          cognito: cognitoClient,
          userPoolId: cognito.userPoolId,
          stores,
          previousReleaseId: previous?.demo?.releaseId,
        });
        demo = { password: DEMO_PASSWORD, releaseId: seeded.releaseId, accounts: demoEmails() };
      }
    } finally {
      // The document client's destroy() is a no-op and the stores do not expose the base
      // client: its keep-alive sockets go when dynalite closes them on stop.
      cognitoClient.destroy();
    }
    const issuer = cognitoLocal.issuerFor(cognito.userPoolId);

    let websocketUrl = `ws://${host}:${ports.gateway}`;
    let websocketManagementUrl = httpUrl(host, ports.gateway);
    if (options.gateway ?? true) {
      const gateway = await startLocalGateway({
        ...options.gatewayOptions,
        handlers: HANDLER_PATHS,
        host,
        port: ports.gateway,
        workers: options.workers ?? 2,
        // The variables `src/handlers/handler-context.ts` reads; the management endpoint is
        // only known once the gateway is bound (port 0).
        env: ({ managementEndpoint }) => ({
          TABLE_NAME: LOCAL_NAMES.tableName,
          AWS_REGION: LOCAL_NAMES.region,
          DYNAMODB_ENDPOINT: dynamodb.endpoint,
          WS_MANAGEMENT_ENDPOINT: managementEndpoint,
          COGNITO_USER_POOL_ID: cognito.userPoolId,
          COGNITO_CLIENT_ID: cognito.clientId,
          COGNITO_LOCAL_ISSUER: issuer,
        }),
      });
      stops.push(gateway.close);
      websocketUrl = gateway.url;
      websocketManagementUrl = gateway.managementEndpoint;
    }

    let apiUrl = httpUrl(host, ports.api);
    if ((options.api ?? true) && (options.gateway ?? true)) {
      const deps = await createApiDeps({
        tableName: LOCAL_NAMES.tableName,
        region: LOCAL_NAMES.region,
        dynamoEndpoint: dynamodb.endpoint,
        userPoolId: cognito.userPoolId,
        clientId: cognito.clientId,
        localIssuer: issuer,
        cognitoEndpoint: cognitoLocal.endpoint,
        managementEndpoint: websocketManagementUrl,
        webUrl,
        ...(options.ddex ? { ddex: options.ddex } : {}),
      });
      const api = await buildApi(deps, options.apiOptions);
      const address = await api.listen({ host, port: ports.api });
      stops.push(async () => {
        await api.close();
        deps.stores.client.destroy();
      });
      apiUrl = address;
    }

    if (options.web) {
      const web = await startWeb({
        host,
        port: ports.web,
        env: webEnvironment({
          region: LOCAL_NAMES.region,
          apiUrl,
          websocketUrl,
          webUrl,
          cognito: { endpoint: cognitoLocal.endpoint, ...cognito },
        }),
      });
      stops.push(web.close);
    }

    const config: LocalConfig = {
      region: LOCAL_NAMES.region,
      websocketUrl,
      websocketManagementUrl,
      apiUrl,
      webUrl,
      cognito: { endpoint: cognitoLocal.endpoint, ...cognito, issuer },
      dynamodb: { endpoint: dynamodb.endpoint, tableName: LOCAL_NAMES.tableName },
      ...(demo ? { demo } : {}),
    };
    const configPath = await writeLocalConfig(dataDir, config);
    let stopping: Promise<void> | undefined;
    return {
      config,
      configPath,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

function demoEmails(): Record<DemoRole, string> {
  const emails = Object.fromEntries(DEMO_ROLES.map((role) => [role, DEMO_ACCOUNTS[role].email]));
  return emails as Record<DemoRole, string>;
}
