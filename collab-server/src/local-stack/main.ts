/**
 * `npm start`: the embedded local stack (README.md, "The local stack") on loopback, data under `<repo>/.data/`,
 * until Ctrl-C. Ports: `PATCHLINE_{DYNAMODB,COGNITO,GATEWAY,API,WEB}_PORT`; handler workers:
 * `PATCHLINE_WORKERS` (default 2); data directory: `PATCHLINE_DATA_DIR`; the label's DDEX sender and
 * recipient: `PATCHLINE_DDEX_{SENDER,RECIPIENT}_{DPID,NAME}` (docs/DELIVERY.md).
 */
import { fileURLToPath } from 'node:url';
import { ddexSettingsFromEnv } from '@patchline/shared';
import { PORT_VARIABLES, portsFromEnv } from './env-ports.js';
import { printBanner } from './print-banner.js';
import { type LocalStack, startLocalStack } from './start-local-stack.js';
import { isWebBuilt } from './start-web.js';

/** Longer than the gateway's 1 s shutdown grace and dynalite's LevelDB close. */
const STOP_TIMEOUT_MS = 15_000;

// The project runs on Node 20 (package.json engines); without this every SDK client, in this
// process and in each handler worker, prints the SDK's notice about dropping Node 20 in 2027.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Three levels up from both `collab-server/src/local-stack/` and `collab-server/dist/local-stack/`.
const dataDir = process.env.PATCHLINE_DATA_DIR || fileURLToPath(new URL('../../../.data/', import.meta.url));
const workers = process.env.PATCHLINE_WORKERS ? Number(process.env.PATCHLINE_WORKERS) : 2;

let stack: LocalStack;
try {
  stack = await startLocalStack({
    dataDir,
    ports: portsFromEnv(process.env),
    workers,
    web: isWebBuilt(),
    ddex: ddexSettingsFromEnv(process.env),
  });
} catch (error) {
  console.error('[patchline] the local stack did not start:', error);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `[patchline] a port is taken (another npm start?). Stop it, or move this one with ${Object.values(PORT_VARIABLES).join(', ')}.`,
    );
  }
  process.exit(1);
}
printBanner(stack.config, stack.configPath, workers);

let isStopping = false;
const stop = (signal: NodeJS.Signals) => {
  // Ctrl-C reaches this process twice under `npm start` (from the terminal and forwarded by
  // npm), so a repeat is not a request to hurry: stopping is already under way.
  if (isStopping) return;
  isStopping = true;
  console.log(`\n[patchline] ${signal}: stopping the gateway and its workers, cognito-local, dynalite…`);
  // Should a close hang (a worker that ignores its disconnect), leave anyway; unref'd, so a
  // clean stop is not held up by it.
  setTimeout(() => {
    console.error(`[patchline] still stopping after ${STOP_TIMEOUT_MS / 1000} s; exiting`);
    process.exit(1);
  }, STOP_TIMEOUT_MS).unref();
  stack.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('[patchline] failed to stop cleanly:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
