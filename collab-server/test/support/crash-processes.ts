import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onTestFailed, onTestFinished } from 'vitest';
import type { LocalConfig } from '../../src/local-stack/local-config.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsxArgs = ['--conditions=@patchline/source', '--import', 'tsx'];

/** A process a crash test kills with SIGKILL, with its output as lines. */
export interface KillableProcess {
  readonly child: ChildProcess;
  /** Every line it wrote to stdout or stderr so far (the gateway logs failures to stderr). */
  readonly lines: string[];
  /** Resolves with the first line from now on that matches. */
  nextLine(pattern: RegExp): Promise<string>;
  /** kill -9 of its whole process group (the gateway's handler workers too); resolves once it is gone. */
  kill(): Promise<void>;
}

function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<KillableProcess> {
  const child = spawn(process.execPath, [...tsxArgs, ...args], {
    cwd: repoRoot,
    // Its own process group, so kill -9 takes its children (handler workers) with it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const lines: string[] = [];
  const watchers = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const onLine = (line: string) => {
    lines.push(line);
    for (const watcher of watchers) {
      if (!watcher.pattern.test(line)) continue;
      watchers.delete(watcher);
      watcher.resolve(line);
    }
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const nextLine = (pattern: RegExp) => new Promise<string>((resolve) => watchers.add({ pattern, resolve }));
  const handle: KillableProcess = {
    child,
    lines,
    nextLine,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await exited;
    },
  };
  onTestFinished(handle.kill);
  // Its logs (failed invocations, commits, worker exits) explain a failure; quiet otherwise.
  onTestFailed(() => console.error(`[${args[0]}] last lines:\n${lines.slice(-40).join('\n')}`));
  return new Promise((resolve, reject) => {
    const early = (code: number | null) =>
      reject(new Error(`${args[0]} exited before it was ready (${code}):\n${lines.join('\n')}`));
    child.once('exit', early);
    void nextLine(ready).then(() => {
      child.off('exit', early);
      resolve(handle);
    });
  });
}

/**
 * The gateway CLI (`main.ts`) with `workers` handler workers, as its own process group, its
 * output kept: a worker's exit and its replacement's readiness are logged there
 * (`worker-pool.ts`). `dynamodbEndpoint` defaults to the stack's.
 */
export function spawnGatewayProcess(
  config: LocalConfig,
  port: number,
  options: { workers: number; seed: number; dynamodbEndpoint?: string },
): Promise<KillableProcess> {
  return start(
    [
      'collab-server/src/gateway/local/main.ts',
      '--port',
      String(port),
      '--workers',
      String(options.workers),
      '--ordering',
      'harsh',
      '--seed',
      String(options.seed),
    ],
    {
      ...process.env,
      TABLE_NAME: config.dynamodb.tableName,
      AWS_REGION: config.region,
      DYNAMODB_ENDPOINT: options.dynamodbEndpoint ?? config.dynamodb.endpoint,
      WS_MANAGEMENT_ENDPOINT: `http://127.0.0.1:${port}`,
      COGNITO_USER_POOL_ID: config.cognito.userPoolId,
      COGNITO_CLIENT_ID: config.cognito.clientId,
      COGNITO_LOCAL_ISSUER: config.cognito.issuer,
    },
    /WebSocket gateway/,
  );
}

/** dynalite (`dynalite-main.ts`) with its LevelDB at `path`, as its own process. */
export function spawnDynaliteProcess(port: number, path: string): Promise<KillableProcess> {
  return start(
    ['collab-server/test/support/dynalite-main.ts', String(port), path],
    process.env,
    /dynalite listening at/,
  );
}

/** The pids of the handler workers the gateway process `gatewayPid` has forked (Linux /proc). */
export function handlerWorkerPids(gatewayPid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== gatewayPid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('handler-worker')) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
