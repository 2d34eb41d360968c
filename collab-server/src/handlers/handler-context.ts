import type { CollabDeps } from '../core/collab-deps.js';
import { createCollabDeps } from '../core/create-collab-deps.js';
import { serviceConfigFromEnv } from './service-config.js';

let context: Promise<CollabDeps> | undefined;

/**
 * The core's dependencies, built once per process (Lambda cold start or gateway worker) from
 * the environment. Only clients and configuration live here, never state the handlers rely on.
 */
export function handlerContext(): Promise<CollabDeps> {
  context ??= createCollabDeps(serviceConfigFromEnv());
  return context;
}
