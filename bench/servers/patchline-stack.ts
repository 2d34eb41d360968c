/**
 * Patchline's embedded local stack (dynalite, cognito-local, the gateway with its handler
 * worker processes) on free loopback ports and a temporary data directory, as the integration
 * tests start it. Argument: the number of handler workers. Run by `startServerChild`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../patchline-internals.js';
import { serveUntilStopped } from './child.js';

const workers = Number(process.argv[2] ?? 2);
// Every bench client signs in as the demo manager: one person with up to 50 connections on one
// release, and pre-typing sends updates through one connection as fast as the server takes them:
// a load generator, not a person (per-person limits: collab-server/src/core/limits.ts). The
// handler workers inherit this environment.
process.env.COLLAB_LIMITS = JSON.stringify({
  maxConnectionsPerUserPerRelease: 200,
  maxConnectionsPerUser: 200,
  maxMessagesPerSecond: 100_000,
  messageBurst: 100_000,
});
const dataDir = await mkdtemp(join(tmpdir(), 'patchline-bench-'));
const stack = await startLocalStack({
  dataDir,
  ports: { dynamodb: 0, cognito: 0, gateway: 0 },
  workers,
});
serveUntilStopped({ config: stack.config, workers }, async () => {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
});
