import type { Stores } from '../store/create-stores.js';
import type { CollabDeps } from './collab-deps.js';

/**
 * One `create(deps)` per handler process. Lambda keeps module state in a warm instance, and the
 * local gateway's workers live as long as the gateway; each process builds its deps (and so its
 * stores) once, which is what the instance is keyed by.
 */
export function perProcess<T>(create: (deps: CollabDeps) => T): (deps: CollabDeps) => T {
  const instances = new WeakMap<Stores, T>();
  return (deps) => {
    let instance = instances.get(deps.stores);
    if (instance === undefined) {
      instance = create(deps);
      instances.set(deps.stores, instance);
    }
    return instance;
  };
}
