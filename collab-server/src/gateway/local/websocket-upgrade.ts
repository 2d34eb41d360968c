import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { ConnectionRegistry } from './connection-registry.js';
import type { SchedulerFactory } from './invocation-order.js';
import { LocalConnection, type RouteInvoker } from './local-connection.js';
import { buildConnectEvent, buildDisconnectEvent, type EventContext } from './websocket-events.js';

/** What the upgrade listener needs from the gateway. */
export interface UpgradeDependencies {
  wss: WebSocketServer;
  registry: ConnectionRegistry;
  context: EventContext;
  invoke: RouteInvoker;
  /** A scheduler for each opened connection's `$default` and `$disconnect`. */
  newScheduler: SchedulerFactory;
  idleTimeoutMs: number;
  maxConnectionMs: number;
  isClosing(): boolean;
  /** Each handshake in progress, so `close()` can wait for its `$connect` to settle. */
  track(handshake: Promise<void>): void;
}

/**
 * The HTTP `upgrade` listener. As in API Gateway, `$connect` runs before the handshake
 * completes: a non-2xx result refuses it with that status (the client sees a 401 or 403
 * response, never an open socket), and no `$default` can run before `$connect` settled
 * because no frame can arrive before the 101.
 */
export function createUpgradeListener(deps: UpgradeDependencies) {
  return (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    deps.track(handleUpgrade(deps, request, socket, head));
  };
}

async function handleUpgrade(
  deps: UpgradeDependencies,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  // A client that resets while `$connect` runs must not crash the gateway.
  const ignoreError = () => undefined;
  socket.on('error', ignoreError);
  if (deps.isClosing()) {
    refuseHandshake(socket, 503);
    return;
  }
  // Checked before `$connect` so a malformed handshake does not reach the handlers.
  if (request.headers.upgrade?.toLowerCase() !== 'websocket' || !request.headers['sec-websocket-key']) {
    refuseHandshake(socket, 400);
    return;
  }

  const connection = { connectionId: deps.registry.mintId(), connectedAt: Date.now() };
  const result = await deps.invoke('$connect', buildConnectEvent(deps.context, connection, request));
  if (result.statusCode < 200 || result.statusCode > 299) {
    refuseHandshake(socket, result.statusCode, result.body);
    return;
  }

  let isUpgraded = false;
  if (!deps.isClosing() && !socket.destroyed) {
    // Synchronous without `verifyClient`: the callback has run (or ws refused) when this returns.
    deps.wss.handleUpgrade(request, socket, head, (ws) => {
      isUpgraded = true;
      socket.off('error', ignoreError);
      deps.registry.add(
        new LocalConnection({
          ...connection,
          sourceIp: request.socket.remoteAddress ?? '',
          userAgent: request.headers['user-agent'] ?? '',
          socket: ws,
          context: deps.context,
          idleTimeoutMs: deps.idleTimeoutMs,
          maxConnectionMs: deps.maxConnectionMs,
          invoke: deps.invoke,
          scheduler: deps.newScheduler(),
          onClosed: (closed) => deps.registry.delete(closed),
        }),
      );
    });
  }
  if (isUpgraded) return;
  // `$connect` accepted a connection that never opened (the client left, or the gateway is
  // closing): `$disconnect` lets the handlers drop what `$connect` stored.
  if (!socket.destroyed) refuseHandshake(socket, 503);
  const event = buildDisconnectEvent(deps.context, connection, 1006, 'handshake not completed');
  await deps.invoke('$disconnect', event);
}

/** Raw HTTP response on the upgrade socket: the WebSocket client reports the status code. */
function refuseHandshake(socket: Duplex, statusCode: number, body = ''): void {
  // A handler status outside 4xx/5xx cannot refuse a handshake meaningfully.
  const status = statusCode >= 400 && statusCode <= 599 ? statusCode : 500;
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}
