import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoRole } from './demo-data.js';

/**
 * `<dataDir>/local.json`: everything a script or test needs to reach the running local stack.
 * Written on every start; the shape is a contract with scripts, so add keys, never rename.
 */
export interface LocalConfig {
  region: string;
  /** `ws://127.0.0.1:4001`; clients add `?doc=<releaseId>&token=<idToken>`. */
  websocketUrl: string;
  /** The gateway's `@connections` management API (what `PostToConnection` calls). */
  websocketManagementUrl: string;
  apiUrl: string;
  webUrl: string;
  cognito: {
    endpoint: string;
    userPoolId: string;
    clientId: string;
    /** The `iss` claim of the tokens cognito-local issues; its JWKS is at `${issuer}/.well-known/jwks.json`. */
    issuer: string;
  };
  dynamodb: { endpoint: string; tableName: string };
  /** Absent when the stack started with `seed: false`. */
  demo?: {
    password: string;
    releaseId: string;
    /** Role → email. */
    accounts: Record<DemoRole, string>;
  };
}

export const LOCAL_CONFIG_FILE = 'local.json';

export async function writeLocalConfig(dataDir: string, config: LocalConfig): Promise<string> {
  const path = join(dataDir, LOCAL_CONFIG_FILE);
  // Write then rename, so a script reading the file never sees half of it.
  await writeFile(`${path}.tmp`, `${JSON.stringify(config, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
  return path;
}

/** The config of the previous start, or null on a first start (or an unreadable file). */
export async function readLocalConfig(dataDir: string): Promise<LocalConfig | null> {
  try {
    return JSON.parse(await readFile(join(dataDir, LOCAL_CONFIG_FILE), 'utf8')) as LocalConfig;
  } catch {
    return null;
  }
}
