import { pathToFileURL } from 'node:url';
import type { HandlerResult, RouteKey, WebSocketEvent, WebSocketHandler } from '../api-gateway-event.js';
import type { LocalGatewayHandlers } from './gateway-options.js';

/** The three route handlers, loaded once per process like a warm Lambda instance. */
export type RouteHandlers = Record<RouteKey, WebSocketHandler>;

/** Imports the modules behind the routes; fails fast on a missing file or `handler` export. */
export async function loadHandlers(paths: LocalGatewayHandlers): Promise<RouteHandlers> {
  const [connect, disconnect, message] = await Promise.all([
    importHandler(paths.connect),
    importHandler(paths.disconnect),
    importHandler(paths.default),
  ]);
  return { $connect: connect, $disconnect: disconnect, $default: message };
}

async function importHandler(path: string): Promise<WebSocketHandler> {
  const module: { handler?: unknown } = await import(pathToFileURL(path).href);
  if (typeof module.handler !== 'function') {
    throw new TypeError(`${path} does not export a function named "handler"`);
  }
  return module.handler as WebSocketHandler;
}

/** Calls a route's handler and reduces what it returns to a plain, serialisable result. */
export async function invokeRoute(
  handlers: RouteHandlers,
  route: RouteKey,
  event: WebSocketEvent,
): Promise<HandlerResult> {
  return toHandlerResult(await handlers[route](event));
}

/**
 * A Lambda that returns nothing (or no numeric statusCode) succeeded as far as API Gateway's
 * `$connect` is concerned, so it counts as 200.
 */
function toHandlerResult(value: unknown): HandlerResult {
  if (typeof value !== 'object' || value === null) return { statusCode: 200 };
  const { statusCode, body } = value as { statusCode?: unknown; body?: unknown };
  const result: HandlerResult = { statusCode: typeof statusCode === 'number' ? statusCode : 200 };
  if (typeof body === 'string') result.body = body;
  return result;
}
