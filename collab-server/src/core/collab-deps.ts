import type { IdTokenVerifier } from '../auth/id-token-verifier.js';
import type { Stores } from '../store/create-stores.js';
import type { CollabLimits } from './limits.js';
import type { ConnectionMessenger } from './messenger.js';

/** What the transport-agnostic core needs; handlers build it from their environment. */
export interface CollabDeps {
  stores: Stores;
  verifier: IdTokenVerifier;
  messenger: ConnectionMessenger;
  limits: CollabLimits;
  now: () => number;
  log: (message: string, details?: Record<string, unknown>) => void;
}
