import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HandlerResult, RouteKey, WebSocketEvent } from '../api-gateway-event.js';
import type { GatewayLogger, LocalGatewayHandlers } from './gateway-options.js';
import type { HandlerInvoker } from './handler-invoker.js';
import { deserializeError, type InvokeRequest, type WorkerReply } from './worker-protocol.js';

/** Pool size, the handler modules every worker imports, and their extra environment. */
export interface WorkerPoolOptions {
  size: number;
  /**
   * Invocations one worker runs at once. 1 is a Lambda instance (harsh mode): the others wait,
   * first come first served, for a free worker. Default unbounded.
   */
  maxInFlightPerWorker?: number;
  /**
   * When set (harsh mode), a worker that frees up takes a waiting invocation picked with this
   * (uniform in [0, 1)) rather than the oldest: under load, a connection's queued messages, and
   * its `$disconnect`, start in any order, as API Gateway allows. Default: oldest first.
   */
  pickWaiting?: () => number;
  handlers: LocalGatewayHandlers;
  env: Record<string, string>;
  log: GatewayLogger;
}

interface Invocation {
  request: InvokeRequest;
  resolve(result: HandlerResult): void;
  reject(error: Error): void;
}

interface Worker {
  index: number;
  child: ChildProcess;
  isReady: boolean;
  inFlight: Map<number, Invocation>;
}

// Running from source (vitest, tsx), the worker is TypeScript too: tsx loads it, and the
// `@patchline/source` condition resolves workspace packages to their sources as the tests do.
const isSource = import.meta.url.endsWith('.ts');
const workerEntry = fileURLToPath(new URL(`./handler-worker.${isSource ? 'ts' : 'js'}`, import.meta.url));
// One V8 background thread per worker: the workers share a few cores with the gateway, dynalite
// and each other, and four GC helper threads each (V8's default) wait on cores that are busy,
// which lengthens every GC pause of every process on the machine.
const workerExecArgv = [
  '--v8-pool-size=1',
  ...(isSource ? ['--conditions=@patchline/source', '--import', 'tsx'] : []),
];

/** A worker that dies before it is ready is restarted with backoff, so a broken import does not spin. */
const RESTART_BACKOFF_MS = { first: 100, max: 5000 } as const;

/**
 * Forks `size` handler workers and resolves when all have imported the handlers. Each
 * invocation goes to the least busy ready worker with room (`maxInFlightPerWorker`), ties
 * broken round-robin, so consecutive messages of one connection land on different processes,
 * as on different Lambda instances; with no such worker it waits for one (`pickWaiting`).
 */
export async function startWorkerPool(options: WorkerPoolOptions): Promise<HandlerInvoker> {
  const pool = new WorkerPool(options);
  try {
    await pool.started;
  } catch (error) {
    await pool.close();
    throw error;
  }
  return pool;
}

class WorkerPool implements HandlerInvoker {
  readonly started: Promise<void>;
  private readonly workers: Worker[] = [];
  /** Invocations waiting for a ready worker with room, in arrival order. */
  private readonly waiting: Invocation[] = [];
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private nextId = 1;
  private cursor = 0;
  private isClosing = false;
  private failedStarts = 0;
  private readonly maxInFlight: number;

  constructor(private readonly options: WorkerPoolOptions) {
    this.maxInFlight = options.maxInFlightPerWorker ?? Number.POSITIVE_INFINITY;
    if (!(this.maxInFlight >= 1)) {
      throw new RangeError(`maxInFlightPerWorker must be ≥ 1, got ${options.maxInFlightPerWorker}`);
    }
    const starts: Promise<void>[] = [];
    for (let index = 0; index < options.size; index++) starts.push(this.spawn(index));
    this.started = Promise.all(starts).then(() => undefined);
  }

  invoke(route: RouteKey, event: WebSocketEvent): Promise<HandlerResult> {
    if (this.isClosing) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ request: { type: 'invoke', id: this.nextId++, route, event }, resolve, reject });
      this.drain();
    });
  }

  async close(): Promise<void> {
    this.isClosing = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    for (const invocation of this.waiting.splice(0)) invocation.reject(new Error('the worker pool closed'));
    await Promise.all(this.workers.map((worker) => stopChild(worker.child)));
  }

  /** Hands waiting invocations to workers with room; called whenever room appears. */
  private drain(): void {
    while (this.waiting.length > 0) {
      const worker = this.pickWorker();
      if (worker === undefined) return;
      const { pickWaiting } = this.options;
      const index = pickWaiting === undefined ? 0 : Math.floor(pickWaiting() * this.waiting.length);
      const [invocation] = this.waiting.splice(index, 1);
      if (invocation !== undefined) this.send(worker, invocation);
    }
  }

  private send(worker: Worker, invocation: Invocation): void {
    worker.inFlight.set(invocation.request.id, invocation);
    worker.child.send(invocation.request, (error) => {
      if (error === null || !worker.inFlight.delete(invocation.request.id)) return;
      invocation.reject(error);
      this.drain();
    });
  }

  private pickWorker(): Worker | undefined {
    let best: Worker | undefined;
    for (let offset = 0; offset < this.workers.length; offset++) {
      const worker = this.workers[(this.cursor + offset) % this.workers.length];
      if (!worker?.isReady || worker.inFlight.size >= this.maxInFlight) continue;
      if (best === undefined || worker.inFlight.size < best.inFlight.size) best = worker;
    }
    if (best !== undefined) this.cursor = (best.index + 1) % this.workers.length;
    return best;
  }

  /**
   * Resolves when the worker is ready; rejects if its handlers fail to import. A replacement
   * (`isRestart`) says when it is ready, through `log` like the exit it follows, so whoever
   * watches for crashes (the crash tests) knows when the pool is whole again.
   */
  private spawn(index: number, isRestart = false): Promise<void> {
    const child = fork(
      workerEntry,
      [this.options.handlers.connect, this.options.handlers.disconnect, this.options.handlers.default],
      {
        env: { ...process.env, ...this.options.env },
        execArgv: workerExecArgv,
        serialization: 'json',
      },
    );
    const worker: Worker = { index, child, isReady: false, inFlight: new Map() };
    this.workers[index] = worker;
    return new Promise((resolve, reject) => {
      child.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') {
          worker.isReady = true;
          this.failedStarts = 0;
          if (isRestart) this.options.log(`handler worker ${index} restarted (pid ${child.pid})`);
          resolve();
          this.drain();
        } else if (reply.type === 'fatal') {
          const error = deserializeError(reply.error, 'handler worker could not load the handlers');
          reject(error);
          // With no worker left to take them, waiting invocations would hang until a restart works.
          if (!this.workers.some((other) => other.isReady)) {
            for (const invocation of this.waiting.splice(0)) invocation.reject(error);
          }
        } else {
          const invocation = worker.inFlight.get(reply.id);
          if (invocation === undefined) return;
          worker.inFlight.delete(reply.id);
          if (reply.type === 'result') invocation.resolve(reply.result);
          else invocation.reject(deserializeError(reply.error, `${invocation.request.route} handler threw`));
          this.drain();
        }
      });
      child.on('error', (error) =>
        this.options.log(`handler worker ${index} (pid ${child.pid}) failed`, error),
      );
      child.on('exit', (code, signal) => {
        const wasReady = worker.isReady;
        worker.isReady = false;
        const cause = new Error(`handler worker ${index} exited (code ${code}, signal ${signal})`);
        for (const invocation of worker.inFlight.values()) invocation.reject(cause);
        worker.inFlight.clear();
        reject(cause);
        if (this.isClosing) return;
        this.options.log(`${cause.message}; restarting it`);
        this.scheduleRestart(index, wasReady);
      });
    });
  }

  private scheduleRestart(index: number, wasReady: boolean): void {
    if (!wasReady) this.failedStarts++;
    const delay = wasReady
      ? 0
      : Math.min(RESTART_BACKOFF_MS.max, RESTART_BACKOFF_MS.first * 2 ** this.failedStarts);
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      this.spawn(index, true).catch((error: unknown) =>
        this.options.log(`handler worker ${index} failed to start`, error),
      );
    }, delay);
    this.restartTimers.add(timer);
  }
}

/** Resolves once the child has exited; SIGKILL follows if it ignores SIGTERM. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const forceKill = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(forceKill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
