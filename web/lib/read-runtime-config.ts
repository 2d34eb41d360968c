import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connection } from 'next/server';
import {
  missingRuntimeConfig,
  RUNTIME_CONFIG_ENV,
  type RuntimeConfig,
  runtimeConfigFromEnv,
} from './runtime-config';

/** The part of `<dataDir>/local.json` (written by `npm start`) that the browser needs. */
interface LocalStackFile {
  region: string;
  apiUrl: string;
  websocketUrl: string;
  webUrl: string;
  cognito: { endpoint: string; userPoolId: string; clientId: string };
}

/**
 * Server only (root layout). Waits for a real request (`connection()`), so the values are read
 * when the page is served, never frozen into the build. Without `PATCHLINE_USER_POOL_ID` and
 * `PATCHLINE_CLIENT_ID` it falls back to the `local.json` of a running `npm start`, so
 * `npm run dev -w @patchline/web` works against the local stack with no variables set;
 * variables that are set still win.
 */
export async function readRuntimeConfig(env = process.env): Promise<RuntimeConfig> {
  await connection();
  return loadRuntimeConfig(env);
}

/**
 * `readRuntimeConfig` without waiting for `connection()`, for code that runs per request
 * outside rendering (`proxy.ts` builds the Content-Security-Policy from it).
 */
export async function loadRuntimeConfig(env = process.env): Promise<RuntimeConfig> {
  const fromEnv = runtimeConfigFromEnv(env);
  if (missingRuntimeConfig(fromEnv).length === 0) return fromEnv;
  const local = await readLocalStackFile(env);
  if (!local) return fromEnv;
  return runtimeConfigFromEnv({
    [RUNTIME_CONFIG_ENV.apiUrl]: local.apiUrl,
    [RUNTIME_CONFIG_ENV.websocketUrl]: local.websocketUrl,
    [RUNTIME_CONFIG_ENV.webUrl]: local.webUrl,
    [RUNTIME_CONFIG_ENV.region]: local.region,
    [RUNTIME_CONFIG_ENV.userPoolId]: local.cognito.userPoolId,
    [RUNTIME_CONFIG_ENV.clientId]: local.cognito.clientId,
    [RUNTIME_CONFIG_ENV.cognitoEndpoint]: local.cognito.endpoint,
    ...definedOnly(env),
  });
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const names = new Set<string>(Object.values(RUNTIME_CONFIG_ENV));
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => names.has(entry[0]) && !!entry[1]),
  );
}

async function readLocalStackFile(env: Record<string, string | undefined>): Promise<LocalStackFile | null> {
  const dataDir = env.PATCHLINE_DATA_DIR ?? '.data';
  // `npm run … -w @patchline/web` runs in web/, the root `npm start` in the repository root.
  const candidates = [
    join(process.cwd(), dataDir, 'local.json'),
    join(process.cwd(), '..', dataDir, 'local.json'),
  ];
  for (const path of candidates) {
    try {
      const parsed = JSON.parse(
        await readFile(/*turbopackIgnore: true*/ path, 'utf8'),
      ) as Partial<LocalStackFile>;
      if (parsed.cognito?.userPoolId && parsed.cognito.clientId && parsed.apiUrl)
        return parsed as LocalStackFile;
    } catch {
      // Not there or unreadable: try the next place.
    }
  }
  return null;
}
