import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { closeServer, httpUrl, listen } from './listen.js';
import { assertLoopbackHost, guardLoopbackRequests } from './loopback-guard.js';

/** The part of dynalite's options this stack uses (dynalite ships no types). */
interface DynaliteOptions {
  /** LevelDB directory; without it dynalite keeps everything in memory. */
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}
type Dynalite = (options: DynaliteOptions) => Server;

const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

export interface StartDynaliteOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** LevelDB directory, so tables and items survive restarts. */
  path: string;
}

export interface RunningDynalite {
  /** What `DynamoDBClient` takes as `endpoint`. */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts dynalite (the DynamoDB API on LevelDB) in this process. Table state changes are
 * immediate: dynalite's default 500 ms in CREATING only slows every fresh start down, and
 * `ensureTable` waits for ACTIVE either way. Loopback only, and no browser page may call it
 * (`loopback-guard.ts`): only the SDK in Node talks to DynamoDB.
 */
export async function startDynalite(options: StartDynaliteOptions): Promise<RunningDynalite> {
  assertLoopbackHost(options.host);
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const drain = drainOnClose(server);
  // In front of the drain: a refused request is not one to wait for.
  guardLoopbackRequests(server, { allowedOrigins: [] });
  // A busy port rejects here. dynalite has then already opened (and locked) the LevelDB store
  // and offers no way to close it without a listening server, so the caller should exit.
  const port = await listen(server, options.port, options.host);
  let closed: Promise<void> | undefined;
  return {
    endpoint: httpUrl(options.host, port),
    port,
    close: () => {
      closed ??= drain().then(() => closeServer(server));
      return closed;
    },
  };
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * dynalite runs an action as several LevelDB steps and throws, outside any caller, when the
 * database closes between two of them (an uncaught "Database is closed"). Its own shutdown only
 * waits for the step in progress, and a request whose client died (a killed handler worker)
 * keeps running with no socket to wait on. So requests are counted until dynalite answers them
 * (`res.end`, called even for a gone client), and closing first answers new ones with 503 and
 * waits for that count to reach zero.
 */
function drainOnClose(server: Server): () => Promise<void> {
  const [handler] = server.listeners('request') as RequestHandler[];
  if (!handler) throw new Error('dynalite registered no request handler');
  server.removeAllListeners('request');
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (closing) {
      res.writeHead(503, { connection: 'close' }).end();
      return;
    }
    inFlight += 1;
    let answered = false;
    const settle = () => {
      if (answered) return;
      answered = true;
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    };
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      settle();
      return end(...args);
    }) as ServerResponse['end'];
    handler(req, res);
    // dynalite rethrows request errors, so a client dying mid-body would take this process
    // down; such a request never reaches an action, so it is simply done.
    req.removeAllListeners('error');
    req.on('error', settle);
  });
  return () => {
    closing = true;
    if (inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      drained = resolve;
    });
  };
}
