import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConnectionRegistry } from './connection-registry.js';
import type { GatewayLogger } from './gateway-options.js';
import { GatewayCloseCode } from './local-connection.js';

/** What the management API needs from the gateway. */
export interface ManagementApiOptions {
  registry: ConnectionRegistry;
  /** `PostToConnection` data limit: API Gateway's 128 KB WebSocket message limit. */
  maxMessageBytes: number;
  log: GatewayLogger;
}

/** `/@connections/{id}`, optionally behind one stage segment. */
const CONNECTION_PATH = /^(?:\/[^/@]+)?\/@connections\/([^/]+)\/?$/;

/**
 * The `@connections` API that `@aws-sdk/client-apigatewaymanagementapi` calls when given
 * `endpoint: managementEndpoint` (restJson1: `POST|GET|DELETE /@connections/{ConnectionId}`,
 * the id URL-encoded). A stage prefix (`/local/@connections/…`, as in the AWS endpoint
 * `https://{domain}/{stage}`) is accepted too. SigV4 signatures are not checked.
 */
export function createManagementApi(options: ManagementApiOptions) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    response.setHeader('x-amzn-RequestId', randomUUID());
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const match = CONNECTION_PATH.exec(path);
    const connectionId = match === null ? undefined : decodeConnectionId(match[1]!);
    if (match === null) {
      sendError(response, 404, 'NotFoundException', `No route for ${path}`);
    } else if (connectionId === undefined) {
      sendError(response, 400, 'BadRequestException', 'Malformed connection id');
    } else if (request.method === 'POST') {
      postToConnection(options, connectionId, request, response);
    } else if (request.method === 'GET') {
      getConnection(options.registry, connectionId, response);
    } else if (request.method === 'DELETE') {
      deleteConnection(options.registry, connectionId, response);
    } else {
      sendError(response, 405, 'MethodNotAllowedException', `${request.method} is not supported`);
    }
  };
}

/** The SDK URL-encodes the id (API Gateway ids end in `=`). */
function decodeConnectionId(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function postToConnection(
  options: ManagementApiOptions,
  connectionId: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  // The body is read to the end even past the limit, so the client gets the 413 rather
  // than a reset socket.
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= options.maxMessageBytes) chunks.push(chunk);
  });
  request.on('error', () => response.destroy());
  request.on('end', () => {
    const connection = options.registry.get(connectionId);
    if (size > options.maxMessageBytes) {
      const message = `Message of ${size} bytes exceeds the ${options.maxMessageBytes}-byte limit`;
      sendError(response, 413, 'PayloadTooLargeException', message);
      return;
    }
    if (!connection?.isOpen) {
      sendGone(response);
      return;
    }
    connection.send(Buffer.concat(chunks, size)).then(
      () => sendEmpty(response, 200),
      (error: unknown) => {
        options.log(`PostToConnection to ${connectionId} failed`, error);
        sendGone(response);
      },
    );
  });
}

function getConnection(registry: ConnectionRegistry, connectionId: string, response: ServerResponse): void {
  const connection = registry.get(connectionId);
  if (!connection?.isOpen) {
    sendGone(response);
    return;
  }
  // The SDK reads these as date-time (ISO 8601) timestamps under lower-case JSON names.
  sendJson(response, 200, {
    connectedAt: new Date(connection.connectedAt).toISOString(),
    identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
    lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
  });
}

function deleteConnection(
  registry: ConnectionRegistry,
  connectionId: string,
  response: ServerResponse,
): void {
  const connection = registry.get(connectionId);
  if (!connection?.isOpen) {
    sendGone(response);
    return;
  }
  connection.close(GatewayCloseCode.normal, '', 'DeleteConnection');
  sendEmpty(response, 204);
}

/** The SDK picks the exception class from `x-amzn-errortype`, so this raises `GoneException`. */
function sendGone(response: ServerResponse): void {
  sendError(response, 410, 'GoneException', 'GoneException');
}

function sendError(response: ServerResponse, status: number, errorType: string, message: string): void {
  response.setHeader('x-amzn-errortype', errorType);
  sendJson(response, status, { message });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function sendEmpty(response: ServerResponse, status: number): void {
  // A 204 carries no Content-Length at all (RFC 9110 §8.6).
  response.writeHead(status, status === 204 ? {} : { 'content-length': 0 });
  response.end();
}
