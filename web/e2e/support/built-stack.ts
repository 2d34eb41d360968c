import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { E2EStack, LocalConfig } from './stack';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
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

/** main.js gives its own shutdown 15 s before it exits anyway. */
const STOP_TIMEOUT_MS = 20_000;

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Starts the local stack exactly as `npm start` runs it once built (`node
 * collab-server/dist/local-stack/main.js`), on free ports with a throwaway data directory, and
 * resolves once `<dataDir>/local.json` is written and the web app answers. The stack leads its
 * own process group and keeps running until {@link stopBuiltStack}.
 */
export async function startBuiltStack(): Promise<E2EStack> {
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

  // The caller's process must not wait for the stack to exit; stopBuiltStack stops it.
  child.unref();
  return { tempDir, dataDir, logPath, pid, local };
}

/** Stops a stack from {@link startBuiltStack}: SIGTERM, waits for it, then sweeps its process group. */
export async function stopBuiltStack(stack: E2EStack): Promise<void> {
  if (isRunning(stack.pid)) {
    process.kill(stack.pid, 'SIGTERM');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (isRunning(stack.pid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (isRunning(stack.pid))
      console.warn(`[e2e] the local stack did not stop in ${STOP_TIMEOUT_MS / 1000} s`);
  }
  // Whatever of its process group is left (it should be nothing).
  try {
    process.kill(-stack.pid, 'SIGKILL');
  } catch {
    // the group is gone
  }
}
