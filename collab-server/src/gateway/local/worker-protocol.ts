import type { HandlerResult, RouteKey, WebSocketEvent } from '../api-gateway-event.js';

/**
 * IPC messages between the gateway and its handler workers. Each message is JSON (the
 * default `fork` serialisation), so events and results must stay plain data.
 */
export interface InvokeRequest {
  type: 'invoke';
  id: number;
  route: RouteKey;
  event: WebSocketEvent;
}

/** What a worker sends back: readiness once, then one result or error per request. */
export type WorkerReply =
  /** The handler modules are imported; the worker takes invocations from now on. */
  | { type: 'ready' }
  /** The handler modules failed to import; the worker exits. */
  | { type: 'fatal'; error: SerializedError }
  | { type: 'result'; id: number; result: HandlerResult }
  | { type: 'error'; id: number; error: SerializedError };

/** Errors do not survive JSON, so they cross as their name, message and stack. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

/** Flattens anything thrown into a JSON-safe error. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const serialized: SerializedError = { name: error.name, message: error.message };
    if (error.stack !== undefined) serialized.stack = error.stack;
    return serialized;
  }
  return { name: 'Error', message: String(error) };
}

/** Rebuilds an `Error` on the gateway side, prefixed with where it happened. */
export function deserializeError(serialized: SerializedError, context: string): Error {
  const error = new Error(`${context}: ${serialized.message}`);
  error.name = serialized.name;
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}
