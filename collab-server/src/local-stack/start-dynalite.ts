import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { closeServer, httpUrl, listen } from './listen.js';

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
 * `ensureTable` waits for ACTIVE either way.
 */
export async function startDynalite(options: StartDynaliteOptions): Promise<RunningDynalite> {
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // A busy port rejects here. dynalite has then already opened (and locked) the LevelDB store
  // and offers no way to close it without a listening server, so the caller should exit.
  const port = await listen(server, options.port, options.host);
  return {
    endpoint: httpUrl(options.host, port),
    port,
    close: () => closeServer(server),
  };
}
