/**
 * Child-process entry of the worker pool: a stand-in for one warm Lambda instance. It imports
 * the three handler modules named in argv (connect, disconnect, default) and answers
 * invocation requests over IPC. Several of these run at once, so a handler that keeps state
 * in memory breaks locally as it would in AWS.
 */
import type { LocalGatewayHandlers } from './gateway-options.js';
import { invokeRoute, loadHandlers } from './load-handlers.js';
import { type InvokeRequest, serializeError, type WorkerReply } from './worker-protocol.js';

const [connect, disconnect, message] = process.argv.slice(2);
if (
  process.send === undefined ||
  connect === undefined ||
  disconnect === undefined ||
  message === undefined
) {
  throw new Error(
    'handler-worker is forked by the local gateway with an IPC channel and three handler paths',
  );
}

const paths: LocalGatewayHandlers = { connect, disconnect, default: message };
const reply = (value: WorkerReply, then?: () => void) => process.send?.(value, undefined, undefined, then);

// The gateway only sends requests after `ready`, but the listener is registered first so
// nothing that arrives during the import is dropped.
const handlersLoaded = loadHandlers(paths);
process.on('message', (request: InvokeRequest) => {
  if (request?.type !== 'invoke') return;
  handlersLoaded
    .then((handlers) => invokeRoute(handlers, request.route, request.event))
    .then(
      (result) => reply({ type: 'result', id: request.id, result }),
      (error: unknown) => reply({ type: 'error', id: request.id, error: serializeError(error) }),
    );
});

// The gateway went away (closed or crashed): nothing will ever ask this worker again.
process.on('disconnect', () => process.exit());
// Ctrl-C reaches the whole process group; the gateway still needs its workers to run the
// `$disconnect`s of its shutdown, and then stops them itself.
process.on('SIGINT', () => undefined);

try {
  await handlersLoaded;
  reply({ type: 'ready' });
} catch (error) {
  process.exitCode = 1;
  reply({ type: 'fatal', error: serializeError(error) }, () => process.disconnect());
}
