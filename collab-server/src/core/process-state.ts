import type { Stores } from '../store/create-stores.js';
import type { CollabDeps } from './collab-deps.js';
import { ReleaseCommitter } from './release-committer.js';

/**
 * What a handler process keeps between invocations: Lambda keeps module state in a warm
 * instance, the local gateway's workers live as long as the gateway. Keyed by the stores,
 * which each process builds once with its deps.
 */
export interface ProcessState {
  committer: ReleaseCommitter;
}

const states = new WeakMap<Stores, ProcessState>();

export function processStateOf(deps: CollabDeps): ProcessState {
  let state = states.get(deps.stores);
  if (!state) {
    state = { committer: new ReleaseCommitter(deps) };
    states.set(deps.stores, state);
  }
  return state;
}
