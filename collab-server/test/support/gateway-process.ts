import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { GATEWAY_ORDERING_ENV, type GatewayOrdering, parseOrdering } from '../../src/gateway/local/index.js';
import type { LocalConfig } from '../../src/local-stack/local-config.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A free loopback port (the gateway must come back on the same one after a crash). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The gateway mode integration tests run in: harsh (as API Gateway: a connection's messages
 * overlap and arrive out of order, `$disconnect` may overtake them; see the gateway README),
 * unless `PATCHLINE_GATEWAY_ORDERING` says otherwise. A test that needs the kinder mode passes
 * `ordering: 'in-order'` itself. `PATCHLINE_GATEWAY_SEED` replays a run's jitter.
 */
export function testGatewayOrdering(): GatewayOrdering {
  const fromEnv = process.env[GATEWAY_ORDERING_ENV];
  return fromEnv ? parseOrdering(fromEnv) : 'harsh';
}

/**
 * The gateway CLI as its own process group (gateway + handler workers), so a test can kill -9
 * all of it at once, as a crashed machine would.
 */
export async function spawnGateway(
  config: LocalConfig,
  port: number,
  { ordering = testGatewayOrdering() }: { ordering?: GatewayOrdering } = {},
): Promise<{ process: ChildProcess; kill: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@patchline/source',
      '--import',
      'tsx',
      'collab-server/src/gateway/local/main.ts',
      '--port',
      String(port),
      '--workers',
      '2',
      '--ordering',
      ordering,
    ],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        TABLE_NAME: config.dynamodb.tableName,
        AWS_REGION: config.region,
        DYNAMODB_ENDPOINT: config.dynamodb.endpoint,
        WS_MANAGEMENT_ENDPOINT: `http://127.0.0.1:${port}`,
        COGNITO_USER_POOL_ID: config.cognito.userPoolId,
        COGNITO_CLIENT_ID: config.cognito.clientId,
        COGNITO_LOCAL_ISSUER: config.cognito.issuer,
      },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  };
  onTestFinished(kill);
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway exited early with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('WebSocket gateway') && resolve());
  });
  return { process: child, kill };
}
