import { onTestFinished } from 'vitest';
import { WebSocket } from 'ws';

/** A WebSocket URL for the gateway, as the client factory builds it. */
export function releaseUrl(base: string, params: { doc?: string; token?: string }): string {
  const url = new URL(base);
  if (params.doc !== undefined) url.searchParams.set('doc', params.doc);
  if (params.token !== undefined) url.searchParams.set('token', params.token);
  return url.toString();
}

/**
 * The HTTP status and body of a refused handshake (the body is the `$connect` handler's
 * message); rejects if the socket opens.
 */
export function refusedHandshake(url: string): Promise<{ status: number; body: string }> {
  const ws = new WebSocket(url);
  onTestFinished(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.on('error', () => undefined);
    ws.once('open', () => reject(new Error(`handshake to ${url} was accepted`)));
    ws.once('unexpected-response', (request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
  });
}
