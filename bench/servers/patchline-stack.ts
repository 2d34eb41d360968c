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
