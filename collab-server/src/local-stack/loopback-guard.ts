import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';

/**
 * dynalite and cognito-local check no credentials at all, so on a developer's machine the only
 * thing between their data and any web page the developer opens is the browser's same-origin
 * policy, which both give up (`Access-Control-Allow-Origin: *`). This guard puts it back in
 * front of their request handlers (README.md, "The local stack"):
 *
 * - `Host` must name loopback (`127.0.0.1`, `localhost`, `[::1]`) with the server's own port: a
 *   page on a DNS-rebound name (`evil.example` resolving to 127.0.0.1) sends its own name.
 * - `Origin`, which browsers send on every cross-origin fetch, on preflights and on every POST,
 *   must be one of `allowedOrigins` (cognito-local: the web app, which signs in from the
 *   browser; dynalite: none, only Node's SDK talks to it).
 * - A request without `Origin` (a no-cors GET, an `<img>`) may not come from another site or
 *   another port of this one: `Sec-Fetch-Site` must be absent (not a browser), `none` (typed
 *   into the address bar) or `same-origin`.
 *
 * Anything else gets 403 before the service sees it.
 */
export interface LoopbackGuardOptions {
  /** Exact origins (`http://127.0.0.1:3000`) whose pages may call the service. */
  allowedOrigins: readonly string[];
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SAFE_FETCH_SITES = new Set(['none', 'same-origin']);

/** Why `req` is refused, or null. `port` is the port the server is bound on. */
export function refusalOf(req: IncomingMessage, port: number, options: LoopbackGuardOptions): string | null {
  const host = req.headers.host?.toLowerCase();
  if (!host || !isLoopbackHost(host, port)) return 'Host is not this loopback address and port';
  const origin = req.headers.origin;
  if (origin !== undefined) {
    return options.allowedOrigins.includes(origin) ? null : 'cross-origin requests are refused';
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && !SAFE_FETCH_SITES.has(site)) return 'cross-site requests are refused';
  return null;
}

function isLoopbackHost(host: string, port: number): boolean {
  const separator = host.lastIndexOf(':');
  // `[::1]` alone has a colon inside the brackets: it carries no port.
  const hasPort = separator > host.lastIndexOf(']');
  const name = hasPort ? host.slice(0, separator) : host;
  const hostPort = hasPort ? host.slice(separator + 1) : '80';
  return LOOPBACK_NAMES.has(name) && hostPort === String(port);
}

/**
 * Puts the guard in front of every `request` listener `server` has now (call it before the
 * server listens). Refused requests are answered 403 with a JSON reason and never reach them.
 */
export function guardLoopbackRequests(server: Server, options: LoopbackGuardOptions): void {
  const handlers = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const refusal = refusalOf(req, (server.address() as AddressInfo).port, options);
    if (refusal) {
      res.writeHead(403, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ __type: 'Forbidden', message: `Local stack: ${refusal}` }));
      // The body (if any) is not read; closing the connection drops it.
      return;
    }
    for (const handler of handlers) handler(req, res);
  });
}

/** Throws unless `host` is a loopback address: nothing in the local stack checks credentials. */
export function assertLoopbackHost(host: string): void {
  const isLoopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (!isLoopback) {
    throw new Error(
      `The local stack listens on loopback only (127.0.0.1, ::1, localhost), not on "${host}": nothing in it checks credentials`,
    );
  }
}
