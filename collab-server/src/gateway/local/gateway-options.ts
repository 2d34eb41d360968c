import { randomInt } from 'node:crypto';
/**
 * Options of the local API Gateway WebSocket emulator. The defaults are API Gateway's own
 * quotas, so code that works locally does not meet a new limit in AWS; tests shrink the
 * timeouts to exercise them without waiting minutes.
 */

/** Absolute paths of the modules behind the three routes; each exports `handler: WebSocketHandler`. */
export interface LocalGatewayHandlers {
  connect: string;
  disconnect: string;
  default: string;
}

/** Where the gateway listens, known only once it is bound (port 0 picks a free port). */
export interface LocalGatewayAddress {
  /** `ws://host:port`, what clients connect to. */
  url: string;
  /** `http://host:port`, what `ApiGatewayManagementApiClient` takes as `endpoint`. */
  managementEndpoint: string;
  port: number;
}

/** Extra variables for the handlers; a function sees the bound address (for port 0). */
export type LocalGatewayEnv =
  | Record<string, string>
  | ((address: LocalGatewayAddress) => Record<string, string>);

/** Receives what the gateway reports: handler failures, worker crashes. */
export type GatewayLogger = (message: string, error?: unknown) => void;

/**
 * How a connection's invocations are scheduled (README, "Ordering").
 *
 * - `in-order`: one `$default` at a time per connection, in arrival order, `$disconnect` last.
 *   Kinder than API Gateway.
 * - `harsh`: as API Gateway allows. Each `$default` and `$disconnect` is held for a random
 *   0..`maxJitterMs` before it is dispatched, not waiting for the connection's other
 *   invocations, so they overlap on different workers, start out of order, and `$disconnect`
 *   may run before (or while) the last messages are handled. Each worker runs one invocation
 *   at a time, like a Lambda instance, and takes a random waiting one when it frees up.
 */
export type GatewayOrdering = 'in-order' | 'harsh';
export const GATEWAY_ORDERINGS: readonly GatewayOrdering[] = ['in-order', 'harsh'];

/** Fallbacks of the `ordering` and `seed` options, read when they are not given. */
export const GATEWAY_ORDERING_ENV = 'PATCHLINE_GATEWAY_ORDERING';
export const GATEWAY_SEED_ENV = 'PATCHLINE_GATEWAY_SEED';

/** What `startLocalGateway` takes; only `handlers` is required. */
export interface LocalGatewayOptions {
  handlers: LocalGatewayHandlers;
  /** 0 picks a free port. Default 4001 (README.md, "The local stack"). */
  port?: number;
  /** Default 127.0.0.1: the emulator has no authentication, so it stays on loopback. */
  host?: string;
  /** Child processes running the handlers; 0 (the default) invokes them in this process. */
  workers?: number;
  /** Added to the handlers' environment, on top of `MANAGEMENT_ENDPOINT_ENV`. */
  env?: LocalGatewayEnv;
  /** API Gateway closes a connection after 10 minutes without a client message. */
  idleTimeoutMs?: number;
  /** API Gateway closes every connection after 2 hours. */
  maxConnectionMs?: number;
  /** API Gateway's WebSocket frame limit: 32 KB. */
  maxFrameBytes?: number;
  /** API Gateway's WebSocket message limit: 128 KB (also caps `PostToConnection` data). */
  maxMessageBytes?: number;
  /** `requestContext.stage`; default `local`. */
  stage?: string;
  /** Default `PATCHLINE_GATEWAY_ORDERING`, else `in-order`. */
  ordering?: GatewayOrdering;
  /**
   * Seed of the harsh mode's jitter (an integer 0..2³²−1); default `PATCHLINE_GATEWAY_SEED`,
   * else random. The gateway logs it at start, so a run can be replayed with the same jitter.
   */
  seed?: number;
  /** Harsh mode: the longest a `$default` or `$disconnect` is held before dispatch. Default 20. */
  maxJitterMs?: number;
  log?: GatewayLogger;
  /**
   * Receives what is worth knowing but is no failure: the harsh mode's seed, at start. Default:
   * stderr. Kept apart from `log`, which tests treat as the list of failures.
   */
  announce?: (message: string) => void;
}

/** Options with every default filled in. */
export type ResolvedGatewayOptions = Required<Omit<LocalGatewayOptions, 'env'>> & {
  env: LocalGatewayEnv;
};

/**
 * The variable every handler gets with the management endpoint (the one
 * `src/handlers/handler-context.ts` reads), because with port 0 the caller cannot know it
 * before the gateway is bound. `env` may override it.
 */
export const MANAGEMENT_ENDPOINT_ENV = 'WS_MANAGEMENT_ENDPOINT';

/** API Gateway's quotas and the local port of README.md, "The local stack". */
export const DEFAULT_GATEWAY_OPTIONS = {
  port: 4001,
  host: '127.0.0.1',
  workers: 0,
  idleTimeoutMs: 10 * 60 * 1000,
  maxConnectionMs: 2 * 60 * 60 * 1000,
  maxFrameBytes: 32 * 1024,
  maxMessageBytes: 128 * 1024,
  stage: 'local',
  maxJitterMs: 20,
} as const;

const logToStderr: GatewayLogger = (message, error) => {
  if (error === undefined) console.error(`[local-gateway] ${message}`);
  else console.error(`[local-gateway] ${message}`, error);
};

/** Fills in defaults and refuses nonsensical limits before anything is started. */
export function resolveGatewayOptions(
  options: LocalGatewayOptions,
  processEnv: Record<string, string | undefined> = process.env,
): ResolvedGatewayOptions {
  const resolved: ResolvedGatewayOptions = {
    ...DEFAULT_GATEWAY_OPTIONS,
    env: {},
    log: logToStderr,
    announce: (message: string) => console.error(`[local-gateway] ${message}`),
    ...withoutUndefined(options),
    handlers: options.handlers,
    ordering: parseOrdering(options.ordering ?? emptyToUndefined(processEnv[GATEWAY_ORDERING_ENV])),
    seed: options.seed ?? parseSeed(emptyToUndefined(processEnv[GATEWAY_SEED_ENV])) ?? randomSeed(),
  };
  if (!Number.isInteger(resolved.seed) || resolved.seed < 0 || resolved.seed > MAX_SEED) {
    throw new RangeError(`seed must be an integer from 0 to ${MAX_SEED}, got ${resolved.seed}`);
  }
  if (!Number.isInteger(resolved.maxJitterMs) || resolved.maxJitterMs < 0) {
    throw new RangeError(`maxJitterMs must be an integer ≥ 0, got ${resolved.maxJitterMs}`);
  }
  if (!Number.isInteger(resolved.workers) || resolved.workers < 0) {
    throw new RangeError(`workers must be an integer ≥ 0, got ${resolved.workers}`);
  }
  for (const key of ['idleTimeoutMs', 'maxConnectionMs', 'maxFrameBytes', 'maxMessageBytes'] as const) {
    if (!(resolved[key] > 0)) throw new RangeError(`${key} must be > 0, got ${resolved[key]}`);
  }
  return resolved;
}

/** Lets callers pass `{ port: undefined }` (e.g. from an unset CLI flag) and still get the default. */
function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const MAX_SEED = 2 ** 32 - 1;

/** `in-order` when unset; anything but the two modes is refused. */
export function parseOrdering(text: string | undefined): GatewayOrdering {
  if (text === undefined) return 'in-order';
  if ((GATEWAY_ORDERINGS as readonly string[]).includes(text)) return text as GatewayOrdering;
  throw new RangeError(`ordering must be one of ${GATEWAY_ORDERINGS.join(', ')}, got "${text}"`);
}

/** A seed given as text (flag or environment variable); the range is checked on resolve. */
export function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seed = Number(text);
  if (text.trim() === '' || !Number.isInteger(seed)) {
    throw new RangeError(`seed must be an integer from 0 to ${MAX_SEED}, got "${text}"`);
  }
  return seed;
}

function randomSeed(): number {
  return randomInt(MAX_SEED);
}

function emptyToUndefined(text: string | undefined): string | undefined {
  return text === '' ? undefined : text;
}
