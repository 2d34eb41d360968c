import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What a server child sends once it listens. */
export type ReadyMessage<T> = { type: 'ready' } & T;

export interface ServerChild<T> {
  info: T;
  pid: number;
  /** Asks the child to stop, then kills it if it has not exited within `STOP_TIMEOUT_MS`. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
/** Servers' own output (handler logs, one line per compaction) goes here, not into the table. */
const LOG_PATH = fileURLToPath(new URL('../results/servers.log', import.meta.url));
let hasOpenedLog = false;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Forks a server entry of `bench/servers/` in its own process, so the server under test never
 * shares an event loop (or a core) with the clients that measure it. The child runs from
 * TypeScript sources like `npm start` does, and exits when this process goes away.
 */
export function startServerChild<T>(entry: string, args: string[] = []): Promise<ServerChild<T>> {
  const path = fileURLToPath(new URL(`./${entry}`, import.meta.url));
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  // Each bench run starts the log afresh; the servers it starts after the first append to it.
  const log = openSync(LOG_PATH, hasOpenedLog ? 'a' : 'w');
  hasOpenedLog = true;
  const child = fork(path, args, {
    // As the handler workers and the harness: one V8 background thread per process (see
    // worker-pool.ts), the same for every server measured.
    execArgv: ['--conditions=@patchline/source', '--import', 'tsx', '--v8-pool-size=1'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready`));
    });
    child.once('message', (message: ReadyMessage<T>) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const { type: _type, ...info } = message;
      resolve({ info: info as T, pid: child.pid!, stop: () => stopChild(child) });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send({ type: 'stop' });
  });
}

/**
 * The child's side: report `info` once listening, and run `stop` when the parent asks or
 * disappears (so an interrupted bench leaves no server behind).
 */
export function serveUntilStopped<T extends object>(info: T, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[bench] server stop failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stop') shutdown();
  });
  process.on('disconnect', shutdown);
  process.send?.({ type: 'ready', ...info });
}
