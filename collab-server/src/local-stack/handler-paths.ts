import { fileURLToPath } from 'node:url';
import type { LocalGatewayHandlers } from '../gateway/local/index.js';

// The handlers sit beside this file's own build: `.ts` sources under vitest or tsx, `.js` in dist.
const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const handlerPath = (name: string) =>
  fileURLToPath(new URL(`../handlers/${name}.${extension}`, import.meta.url));

/** Absolute paths of the three route handlers the gateway runs, as Lambda would. */
export const HANDLER_PATHS: LocalGatewayHandlers = {
  connect: handlerPath('connect'),
  disconnect: handlerPath('disconnect'),
  default: handlerPath('message'),
};
