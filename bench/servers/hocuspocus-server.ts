/**
 * The reference Hocuspocus server with its SQLite extension, on defaults (documents stored
 * debounced, 2 s after the last change). Run by `startServerChild`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQLite } from '@hocuspocus/extension-sqlite';
import { Server } from '@hocuspocus/server';
import { serveUntilStopped } from './child.js';

const dataDir = await mkdtemp(join(tmpdir(), 'patchline-bench-hocuspocus-'));
const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: false,
  extensions: [new SQLite({ database: join(dataDir, 'documents.sqlite') })],
});
await server.listen();
serveUntilStopped({ url: `ws://127.0.0.1:${server.address.port}` }, async () => {
  await server.destroy();
  await rm(dataDir, { recursive: true, force: true });
});
