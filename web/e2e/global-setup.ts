import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2E_CONFIG_VARIABLE, E2E_WEB_URL_VARIABLE, type E2EStack, type LocalConfig } from './support/stack';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'collab-server', 'dist', 'local-stack', 'main.js');
const WEB_BUILD_ID = join(ROOT, 'web', '.next', 'BUILD_ID');
/** dynalite, cognito-local, the gateway and its workers, the API and `next start`, on 2 busy cores. */
const START_TIMEOUT_MS = 180_000;
const PORT_VARIABLES = ['DYNAMODB', 'COGNITO', 'GATEWAY', 'API', 'WEB'] as const;

/** Distinct free loopback ports, all held open until every one is picked. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(path: string, lines = 40): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts the local stack exactly as `npm start` runs it once built (`node
 * collab-server/dist/local-stack/main.js`), on free ports with a throwaway data directory, waits
 * for `<dataDir>/local.json` and for the web app to answer, and hands the result to the tests
 * through {@link E2E_CONFIG_VARIABLE} (a JSON file) and {@link E2E_WEB_URL_VARIABLE}.
 */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: run \`npx tsc -b\` first (npm test and npm start do)`);
  }
  if (!existsSync(WEB_BUILD_ID)) {
    throw new Error(
      'web/.next/BUILD_ID is missing: run `npm run build -w @patchline/web` first (`npm run test:e2e` does)',
    );
  }

  const tempDir = mkdtempSync(join(tmpdir(), 'patchline-e2e-'));
  const dataDir = join(tempDir, 'data');
  const logPath = join(tempDir, 'stack.log');
  const ports = await freePorts(PORT_VARIABLES.length);
  const portEnv = Object.fromEntries(
    PORT_VARIABLES.map((name, index) => [`PATCHLINE_${name}_PORT`, String(ports[index])]),
  );

  const log = openSync(logPath, 'a');
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { ...process.env, ...portEnv, PATCHLINE_DATA_DIR: dataDir },
    stdio: ['ignore', log, log],
    // Its own process group, so teardown can sweep up `next start` and the handler workers
    // should the stack fail to stop them.
    detached: true,
  });
  closeSync(log);
  let exitCode: number | null | undefined;
  child.once('exit', (code, signal) => {
    exitCode = code ?? (signal ? -1 : null);
  });
  if (!child.pid) throw new Error('could not spawn the local stack');
  const pid = child.pid;

  const fail = (message: string): never => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    throw new Error(`${message}\n--- stack log (${logPath}) ---\n${tail(logPath)}`);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  const configPath = join(dataDir, 'local.json');
  let local: LocalConfig | undefined;
  while (!local) {
    if (exitCode !== undefined) fail(`the local stack exited (${exitCode}) before writing local.json`);
    if (Date.now() > deadline)
      fail(`the local stack did not write local.json in ${START_TIMEOUT_MS / 1000} s`);
    if (existsSync(configPath)) local = JSON.parse(readFileSync(configPath, 'utf8')) as LocalConfig;
    else await sleep(250);
  }
  if (!local.demo) fail('local.json has no demo data (the stack started without its seed)');

  // local.json is written after `next start` reported ready; still, wait for a real answer.
  for (;;) {
    if (exitCode !== undefined) fail(`the local stack exited (${exitCode}) before the web app answered`);
    if (Date.now() > deadline) fail(`the web app at ${local.webUrl} did not answer`);
    try {
      const response = await fetch(`${local.webUrl}/sign-in`, { signal: AbortSignal.timeout(10_000) });
      if (response.ok) break;
    } catch {
      // not yet
    }
    await sleep(250);
  }

  const stack: E2EStack = { tempDir, dataDir, logPath, pid, local };
  const stackPath = join(tempDir, 'e2e.json');
  writeFileSync(stackPath, `${JSON.stringify(stack, null, 2)}\n`);
  process.env[E2E_CONFIG_VARIABLE] = stackPath;
  process.env[E2E_WEB_URL_VARIABLE] = local.webUrl;
  // The runner must not wait for the stack to exit; teardown stops it.
  child.unref();
}
