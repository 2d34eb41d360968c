import { readFileSync } from 'node:fs';

/** The environment variable global-setup sets to the path of {@link E2EStack}'s JSON. */
export const E2E_CONFIG_VARIABLE = 'PATCHLINE_E2E_CONFIG';
/** The web app's URL, for `use.baseURL` in playwright.config.ts. */
export const E2E_WEB_URL_VARIABLE = 'PATCHLINE_E2E_WEB_URL';

export type DemoRole = 'admin' | 'manager' | 'editor' | 'viewer';

/** The parts of `<dataDir>/local.json` (collab-server `LocalConfig`) the tests use. */
export interface LocalConfig {
  region: string;
  websocketUrl: string;
  apiUrl: string;
  webUrl: string;
  cognito: { endpoint: string; userPoolId: string; clientId: string; issuer: string };
  demo: {
    password: string;
    releaseId: string;
    accounts: Record<DemoRole, string>;
  };
}

/** What global-setup started and where: written next to the data directory. */
export interface E2EStack {
  /** The temporary directory (data, logs, this file); removed by global-teardown. */
  tempDir: string;
  /** `PATCHLINE_DATA_DIR` of the stack. */
  dataDir: string;
  /** The stack's combined stdout and stderr. */
  logPath: string;
  /** `node collab-server/dist/local-stack/main.js`, leader of its own process group. */
  pid: number;
  local: LocalConfig;
}

let cached: E2EStack | undefined;

/** The running stack, as global-setup described it. */
export function e2eStack(): E2EStack {
  if (cached) return cached;
  const path = process.env[E2E_CONFIG_VARIABLE];
  if (!path) {
    throw new Error(
      `${E2E_CONFIG_VARIABLE} is not set: run the tests with \`npx playwright test\`, whose global setup starts the stack`,
    );
  }
  cached = JSON.parse(readFileSync(path, 'utf8')) as E2EStack;
  return cached;
}

/** Display names of the demo accounts (collab-server `DEMO_ACCOUNTS`), as presence shows them. */
export const DEMO_NAMES: Readonly<Record<DemoRole, string>> = {
  admin: 'Ada Admin',
  manager: 'Mo Manager',
  editor: 'Eli Editor',
  viewer: 'Vic Viewer',
};

/** The demo release's seeded title (collab-server `DEMO_RELEASE`). */
export const DEMO_RELEASE_TITLE = 'Night Bus Home';
