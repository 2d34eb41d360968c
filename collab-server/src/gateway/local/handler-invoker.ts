import type { HandlerResult, RouteKey, WebSocketEvent } from '../api-gateway-event.js';
import type { GatewayLogger, LocalGatewayHandlers } from './gateway-options.js';
import { invokeRoute, loadHandlers } from './load-handlers.js';
import { startWorkerPool } from './worker-pool.js';

/** Runs route handlers: in this process, or in a pool of child processes (the Lambda stand-in). */
export interface HandlerInvoker {
  /** Rejects when the handler throws (or its worker dies); the gateway maps that to 500. */
  invoke(route: RouteKey, event: WebSocketEvent): Promise<HandlerResult>;
  /** Stops taking invocations and releases processes; resolves when they are gone. */
  close(): Promise<void>;
}

/** Which handlers to run, and where. */
export interface HandlerInvokerOptions {
  handlers: LocalGatewayHandlers;
  /** 0 runs the handlers in this process. */
  workers: number;
  /** Invocations one worker runs at once (1 in harsh mode, as a Lambda instance); default unbounded. */
  maxInFlightPerWorker?: number;
  /** Harsh mode: which waiting invocation a freed worker takes (see `WorkerPoolOptions`). */
  pickWaiting?: () => number;
  env: Record<string, string>;
  log: GatewayLogger;
}

/** Resolves once every handler module is imported, so a broken handler fails the gateway's start. */
export function startHandlerInvoker(options: HandlerInvokerOptions): Promise<HandlerInvoker> {
  return options.workers > 0
    ? startWorkerPool({ ...options, size: options.workers })
    : startInProcessInvoker(options.handlers, options.env);
}

/**
 * In-process handlers read the same `process.env` as the gateway, so the extra variables are
 * set on it for the gateway's lifetime and restored on close. Two in-process gateways with
 * different `env` in one process would therefore see each other's values.
 */
async function startInProcessInvoker(
  paths: LocalGatewayHandlers,
  env: Record<string, string>,
): Promise<HandlerInvoker> {
  const previous = new Map(Object.keys(env).map((key) => [key, process.env[key]]));
  const restoreEnv = () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  Object.assign(process.env, env);
  let handlers: Awaited<ReturnType<typeof loadHandlers>>;
  try {
    handlers = await loadHandlers(paths);
  } catch (error) {
    restoreEnv();
    throw error;
  }
  let isClosed = false;
  return {
    invoke(route, event) {
      if (isClosed) return Promise.reject(new Error('the handler invoker is closed'));
      return invokeRoute(handlers, route, event);
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      restoreEnv();
    },
  };
}

/** Logs a failed invocation and answers 500, as API Gateway does when the Lambda errors. */
export async function invokeOrFail(
  invoker: Pick<HandlerInvoker, 'invoke'>,
  route: RouteKey,
  event: WebSocketEvent,
  log: GatewayLogger,
): Promise<HandlerResult> {
  try {
    return await invoker.invoke(route, event);
  } catch (error) {
    log(`${route} handler failed for connection ${event.requestContext.connectionId}`, error);
    return { statusCode: 500 };
  }
}
