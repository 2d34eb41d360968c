/**
 * `node dist/gateway/local/main.js [--port 4001] [--host 127.0.0.1] [--workers 2]
 * [--ordering in-order|harsh] [--seed N]`, or with
 * tsx from source: the local WebSocket gateway in front of the real handlers in
 * `src/handlers/`. Runs until SIGINT/SIGTERM, then closes every connection.
 */
import { fileURLToPath } from 'node:url';
import { parseGatewayArgs } from './cli-args.js';
import { startLocalGateway } from './local-gateway.js';

// The handlers sit beside this file's own build: `.ts` from source, `.js` from dist.
const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const handlerPath = (name: string) =>
  fileURLToPath(new URL(`../../handlers/${name}.${extension}`, import.meta.url));

const settings = parseGatewayArgs(process.argv.slice(2));
const gateway = await startLocalGateway({
  ...settings,
  handlers: {
    connect: handlerPath('connect'),
    disconnect: handlerPath('disconnect'),
    default: handlerPath('message'),
  },
});
const where = settings.workers === 0 ? 'handlers in-process' : `${settings.workers} handler workers`;
const ordering = gateway.ordering === 'harsh' ? `harsh ordering, seed ${gateway.seed}` : 'in-order';
const mode = `${where}, ${ordering}`;
console.log(`WebSocket gateway   ${gateway.url}  (${mode})`);
console.log(`Management API      ${gateway.managementEndpoint}/@connections/{connectionId}`);

const stop = () => {
  gateway.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('[local-gateway] failed to close', error);
      process.exit(1);
    },
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
