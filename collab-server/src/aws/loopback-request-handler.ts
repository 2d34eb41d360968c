import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';

/**
 * The AWS SDK's transport for the local stack's services on loopback (dynalite, the local
 * gateway's `@connections` API): plain HTTP/1.1 on kept-alive sockets, the response body read
 * whole. Every update makes a dozen SDK calls (four to DynamoDB, one post per recipient), and
 * the default `NodeHttpHandler` spends about a quarter of each call's CPU on what only a remote
 * endpoint needs: connection and socket timers, `Expect: 100-continue`, a streaming body. The
 * clients, their middleware and signing are the real ones; on AWS (https) this is not used.
 */
export function createLoopbackRequestHandler(): RequestHandler<
  HttpRequest,
  HttpResponse,
  HttpHandlerOptions
> & {
  destroy(): void;
} {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    handle(httpRequest, options) {
      return new Promise((resolve, reject) => {
        if (options?.abortSignal?.aborted) {
          reject(abortError());
          return;
        }
        const outgoing = request(
          {
            agent,
            host: httpRequest.hostname,
            port: httpRequest.port,
            method: httpRequest.method,
            path: pathWithQuery(httpRequest),
            headers: httpRequest.headers,
          },
          (incoming) => {
            const chunks: Buffer[] = [];
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
            incoming.on('error', reject);
            incoming.on('end', () => {
              const response: HttpResponse = {
                statusCode: incoming.statusCode ?? 0,
                reason: incoming.statusMessage,
                headers: flattenHeaders(incoming.headers),
                body: Buffer.concat(chunks),
              };
              resolve({ response });
            });
          },
        );
        outgoing.on('error', reject);
        // The SDK's own AbortSignal type has `onabort` only.
        const signal = options?.abortSignal;
        if (signal) signal.onabort = () => outgoing.destroy(abortError());
        outgoing.end(httpRequest.body);
      });
    },
    destroy: () => agent.destroy(),
  };
}

function pathWithQuery({ path, query }: HttpRequest): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      pairs.push(
        item === null ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(item)}`,
      );
    }
  }
  return pairs.length === 0 ? path : `${path}?${pairs.join('&')}`;
}

/** The SDK wants one string per header; Node gives repeated ones as arrays. */
function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function abortError(): Error {
  const error = new Error('Request aborted');
  error.name = 'AbortError';
  return error;
}
