import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
} from '../../src/local-stack/start-local-stack.js';
import { createStores } from '../../src/store/create-stores.js';
import { testGatewayOrdering } from './gateway-process.js';

export interface TestStack extends LocalStack {
  stores: ReturnType<typeof createStores>;
  demoReleaseId: string;
}

/**
 * The real local stack (dynalite, cognito-local, the gateway with handler worker processes) on
 * free ports with a temporary data directory. Call from `beforeAll` and return `teardown`.
 * The gateway runs in harsh mode (`testGatewayOrdering`) unless `gatewayOptions.ordering`
 * says otherwise.
 */
export async function startTestStack(
  options: Partial<LocalStackOptions> = {},
): Promise<{ stack: TestStack; teardown: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'patchline-test-'));
  const local = await startLocalStack({
    dataDir,
    ports: { dynamodb: 0, cognito: 0, gateway: 0, api: 0 },
    workers: 3,
    ...options,
    gatewayOptions: { ordering: testGatewayOrdering(), ...options.gatewayOptions },
  });
  const stores = createStores({ ...local.config.dynamodb, region: local.config.region });
  const stack = { ...local, stores, demoReleaseId: local.config.demo?.releaseId ?? '' };
  return {
    stack,
    teardown: async () => {
      stores.client.destroy();
      await local.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
