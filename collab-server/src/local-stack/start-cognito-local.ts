import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
// cognito-local has no "exports" map: its lib/ modules are its programmatic API. Its own
// `createDefaultServer` is not used because it hard-codes `./.cognito` in the working directory
// and derives the token issuer from the PORT/HOST variables, which port 0 cannot know.
import { loadConfig } from 'cognito-local/lib/server/config.js';
import { Router } from 'cognito-local/lib/server/Router.js';
import { createServer } from 'cognito-local/lib/server/server.js';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService.js';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb.js';
import { DateClock, MessagesService } from 'cognito-local/lib/services/index.js';
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery.js';
import { otp } from 'cognito-local/lib/services/otp.js';
import { JwtTokenGenerator } from 'cognito-local/lib/services/tokenGenerator.js';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService.js';
import { createLocalTriggers } from './id-token-claims.js';
import { closeServer, httpUrl, listen } from './listen.js';
import { assertLoopbackHost, guardLoopbackRequests } from './loopback-guard.js';
import { printMessageSender } from './print-message-sender.js';

type Logger = Parameters<typeof createServer>[1];

// The pino that cognito-local depends on (its request logging needs a real pino logger), so this
// package takes no dependency of its own on it.
const pino = createRequire(createRequire(import.meta.url).resolve('cognito-local'))('pino') as (options: {
  level: string;
}) => Logger;

export interface StartCognitoLocalOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * cognito-local's `.cognito` directory: an optional `config.json` (cognito-local's own format)
   * and `db/` with one JSON file per user pool plus `clients.json`.
   */
  path: string;
  /** pino level of cognito-local's request log; default `error` (it logs failed sign-ins as warnings). */
  logLevel?: string;
  /**
   * Origins whose pages may call it: the web app's, which signs in from the browser
   * (`web/lib/session.ts`, `web/lib/cognito-accounts.ts`). Every other page is refused.
   */
  allowedOrigins: readonly string[];
}

export interface RunningCognitoLocal {
  /** What the Cognito SDK clients take as `endpoint`. */
  endpoint: string;
  port: number;
  /** The `iss` claim of the tokens issued for a pool: `http://<host>:<port>/<userPoolId>`. */
  issuerFor(userPoolId: string): string;
  close(): Promise<void>;
}

/**
 * Starts cognito-local in this process with its data under `options.path`, on loopback only and
 * behind the loopback guard (`loopback-guard.ts`): its own server answers any origin.
 */
export async function startCognitoLocal(options: StartCognitoLocalOptions): Promise<RunningCognitoLocal> {
  assertLoopbackHost(options.host);
  const logger = pino({ level: options.logLevel ?? 'error' });
  const ctx = { logger };
  const dataDirectory = join(options.path, 'db');
  const config = await loadConfig(ctx, new StormDBDataStoreFactory(options.path));
  config.ServerConfig = { port: options.port, hostname: options.host, development: false, https: false };

  const clock = new DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(dataDirectory);
  const cognito = await new CognitoServiceFactoryImpl(
    dataDirectory,
    dataStoreFactory,
    new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
  ).create(ctx, config.UserPoolDefaults);
  const triggers = createLocalTriggers(async (userPoolId, username) => {
    const pool = await cognito.getUserPool(ctx, userPoolId);
    const user = await pool.getUserByUsername(ctx, username);
    if (!user) return;
    const attributes = (user.Attributes ?? []).filter((attribute) => attribute.Name !== 'email_verified');
    await pool.saveUser(ctx, {
      ...user,
      Attributes: [...attributes, { Name: 'email_verified', Value: 'true' }],
    });
  });
  // The token generator keeps a reference to this object: the issuer is filled in once the
  // port is bound, before the first request can arrive.
  const tokenConfig = { ...config.TokenConfig };
  const services = {
    clock,
    cognito,
    config,
    messages: new MessagesService(triggers, new MessageDeliveryService(printMessageSender)),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, tokenConfig),
    triggers,
  };
  // cognito-local's Express app on a server of our own, so the guard runs before its CORS
  // middleware (which answers every origin) and before the server accepts a single request.
  const application = createServer(Router(services), logger, config.ServerConfig, services)
    .application as RequestListener;
  const server = createHttpServer(application);
  guardLoopbackRequests(server, { allowedOrigins: options.allowedOrigins });
  const port = await listen(server, options.port, options.host);
  const endpoint = httpUrl(options.host, port);
  tokenConfig.IssuerDomain = endpoint;

  return {
    endpoint,
    port,
    issuerFor: (userPoolId) => `${endpoint}/${userPoolId}`,
    close: () => closeServer(server),
  };
}
