import type { CollabDeps } from '../../src/core/collab-deps.js';
import { DEFAULT_COLLAB_LIMITS } from '../../src/core/limits.js';
import { createManagementMessenger } from '../../src/gateway/management-messenger.js';
import type { TestStack } from './test-stack.js';

/** The core's dependencies as the REST API will build them: same stores, the gateway's management API. */
export function coreDeps(stack: TestStack): CollabDeps {
  return {
    stores: stack.stores,
    verifier: {
      verify: () => Promise.reject(new Error('not used: these calls come from trusted server code')),
    },
    messenger: createManagementMessenger({
      endpoint: stack.config.websocketManagementUrl,
      region: stack.config.region,
      isLocal: true,
    }),
    limits: DEFAULT_COLLAB_LIMITS,
    now: Date.now,
    log: () => undefined,
  };
}
