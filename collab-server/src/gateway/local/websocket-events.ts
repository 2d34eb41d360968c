import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { WebSocketEvent } from '../api-gateway-event.js';

/** What every event of one gateway shares. */
export interface EventContext {
  /** `host:port` of the gateway, where API Gateway puts `{apiId}.execute-api.{region}.amazonaws.com`. */
  domainName: string;
  stage: string;
  apiId: string;
}

/** The connection an event belongs to. */
export interface EventConnection {
  connectionId: string;
  /** Epoch milliseconds, as API Gateway reports it. */
  connectedAt: number;
}

/** API Gateway passes the handshake's query and headers to `$connect` only. */
export function buildConnectEvent(
  context: EventContext,
  connection: EventConnection,
  request: IncomingMessage,
): WebSocketEvent {
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  const event: WebSocketEvent = {
    requestContext: requestContext(context, connection, '$connect', 'CONNECT'),
    headers: handshakeHeaders(request),
    isBase64Encoded: false,
  };
  // API Gateway omits the field rather than sending `{}` when the URL has no query, and keeps
  // the last value of a repeated key (all values go to multiValueQueryStringParameters).
  if (query.size > 0) event.queryStringParameters = Object.fromEntries(query);
  return event;
}

/** One text frame; binary frames never reach a handler (the gateway closes with 1003). */
export function buildMessageEvent(
  context: EventContext,
  connection: EventConnection,
  body: string,
): WebSocketEvent {
  return {
    requestContext: {
      ...requestContext(context, connection, '$default', 'MESSAGE'),
      messageId: randomUUID(),
    },
    body,
    isBase64Encoded: false,
  };
}

export function buildDisconnectEvent(
  context: EventContext,
  connection: EventConnection,
  statusCode: number,
  reason: string,
): WebSocketEvent {
  return {
    requestContext: {
      ...requestContext(context, connection, '$disconnect', 'DISCONNECT'),
      disconnectStatusCode: statusCode,
      disconnectReason: reason,
    },
    isBase64Encoded: false,
  };
}

function requestContext(
  context: EventContext,
  connection: EventConnection,
  routeKey: WebSocketEvent['requestContext']['routeKey'],
  eventType: WebSocketEvent['requestContext']['eventType'],
): WebSocketEvent['requestContext'] {
  return {
    routeKey,
    eventType,
    connectionId: connection.connectionId,
    connectedAt: connection.connectedAt,
    domainName: context.domainName,
    stage: context.stage,
    apiId: context.apiId,
    requestId: randomUUID(),
    requestTimeEpoch: Date.now(),
  };
}

/**
 * Headers as the client spelled them (API Gateway keeps the case, so handlers must look them
 * up case-insensitively), plus the `X-Forwarded-*` headers API Gateway adds.
 */
function handshakeHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const has = (name: string) => request.headers[name.toLowerCase()] !== undefined;
  if (!has('X-Forwarded-For')) headers['X-Forwarded-For'] = request.socket.remoteAddress ?? '';
  if (!has('X-Forwarded-Port')) headers['X-Forwarded-Port'] = String(request.socket.localPort ?? '');
  if (!has('X-Forwarded-Proto')) headers['X-Forwarded-Proto'] = 'http';
  return headers;
}
