import { parseArgs } from 'node:util';
import {
  DEFAULT_GATEWAY_OPTIONS,
  GATEWAY_ORDERING_ENV,
  GATEWAY_SEED_ENV,
  type GatewayOrdering,
  parseOrdering,
  parseSeed,
} from './gateway-options.js';

/** What `main.ts` starts the gateway with. */
export interface GatewayCliSettings {
  port: number;
  host: string;
  workers: number;
  ordering: GatewayOrdering;
  /** Unset: the gateway picks one and logs it. */
  seed: number | undefined;
}

/**
 * Environment variables behind each flag; a flag wins over its variable, which wins over
 * the default. `npm start` sets these to move the gateway off its default port.
 */
export const GATEWAY_ENV = {
  port: 'GATEWAY_PORT',
  host: 'GATEWAY_HOST',
  workers: 'GATEWAY_WORKERS',
  ordering: GATEWAY_ORDERING_ENV,
  seed: GATEWAY_SEED_ENV,
} as const;

/**
 * Two workers by default, so that `npm start` already runs invocations of one connection in
 * different processes, as Lambda does.
 */
export const DEFAULT_CLI_WORKERS = 2;

/**
 * Parses `--port`, `--host`, `--workers`, `--ordering in-order|harsh` and `--seed` (and their
 * environment variables).
 */
export function parseGatewayArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): GatewayCliSettings {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      workers: { type: 'string' },
      ordering: { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    port: toInteger('port', values.port ?? env[GATEWAY_ENV.port], DEFAULT_GATEWAY_OPTIONS.port, 0, 65535),
    host: values.host ?? env[GATEWAY_ENV.host] ?? DEFAULT_GATEWAY_OPTIONS.host,
    workers: toInteger('workers', values.workers ?? env[GATEWAY_ENV.workers], DEFAULT_CLI_WORKERS, 0, 64),
    ordering: parseOrdering(values.ordering ?? nonEmpty(env[GATEWAY_ENV.ordering])),
    seed: parseSeed(values.seed ?? nonEmpty(env[GATEWAY_ENV.seed])),
  };
}

function toInteger(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === '' ? undefined : text;
}
