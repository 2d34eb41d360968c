import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { ConnectionRegistry } from './connection-registry.js';
import {
  type GatewayOrdering,
  type LocalGatewayAddress,
  type LocalGatewayOptions,
  MANAGEMENT_ENDPOINT_ENV,
  resolveGatewayOptions,
} from './gateway-options.js';
import { type HandlerInvoker, invokeOrFail, startHandlerInvoker } from './handler-invoker.js';
import { createSchedulerFactory, mulberry32, type SchedulerFactory } from './invocation-order.js';
import type { RouteInvoker } from './local-connection.js';
import { createManagementApi } from './management-api.js';
import { createUpgradeListener } from './websocket-upgrade.js';

/** A running gateway: WebSocket endpoint and management API on one port. */
export interface LocalGateway extends LocalGatewayAddress {
  /** How connections' invocations are scheduled (README, "Ordering"). */
  ordering: GatewayOrdering;
  /** The harsh mode's jitter seed; `PATCHLINE_GATEWAY_SEED` or the `seed` option replays it. */
  seed: number;
  /** Closes every socket (firing `$disconnect`), stops the workers and the server. Idempotent. */
  close(): Promise<void>;
}

/** Clients that ignore the gateway's close frame on shutdown are cut off after this long. */
const SHUTDOWN_GRACE_MS = 1000;

/**
 * Starts the local stand-in for an API Gateway WebSocket API: `ws://host:port` for clients,
 * `http://host:port/@connections/{id}` for handlers, with API Gateway's limits (README.md, "The local stack").
 *
 * @example
 * const gateway = await startLocalGateway({ port: 0, workers: 2, handlers });
 * new ApiGatewayManagementApiClient({ endpoint: gateway.managementEndpoint, region, credentials });
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const config = resolveGatewayOptions(options);
  const registry = new ConnectionRegistry();
  const handshakes = new Set<Promise<void>>();
  let isClosing = false;

  const server = createServer(
    createManagementApi({ registry, maxMessageBytes: config.maxMessageBytes, log: config.log }),
  );
  // ws's maxPayload closes with 1009. It bounds whole messages too, so a message fragmented
  // into several frames is also held to 32 KB, where API Gateway allows 128 KB; browsers send
  // one frame per message (shared/PROTOCOL.md), so only hand-rolled clients could tell.
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: config.maxFrameBytes,
  });
  // The handlers start after the port is bound: with port 0 that is when their management
  // endpoint becomes known. Handshakes arriving meanwhile wait for them.
  const address = await listen(server, config.port, config.host);
  const isHarsh = config.ordering === 'harsh';
  // Two streams from the one seed, so the jitter sequence does not depend on how queue picks
  // interleave with it.
  const jitterRandom = mulberry32(config.seed);
  const queueRandom = mulberry32(config.seed ^ 0x9e3779b9);
  const starting = (async () => {
    const extraEnv = typeof config.env === 'function' ? config.env(address.public) : config.env;
    return startHandlerInvoker({
      handlers: config.handlers,
      workers: config.workers,
      // A Lambda instance runs one invocation at a time.
      maxInFlightPerWorker: isHarsh ? 1 : Number.POSITIVE_INFINITY,
      ...(isHarsh ? { pickWaiting: queueRandom } : {}),
      env: { [MANAGEMENT_ENDPOINT_ENV]: address.public.managementEndpoint, ...extraEnv },
      log: config.log,
    });
  })();
  const invoke: RouteInvoker = async (route, event) => {
    const invoker = await starting.catch(() => undefined);
    if (invoker === undefined) return { statusCode: 500 };
    return invokeOrFail(invoker, route, event, config.log);
  };
  // Every connection's `$default`/`$disconnect` from arrival (or close) until settled: in harsh
  // mode messages can outlive their connection's `$disconnect`, and close() waits for them.
  const scheduled = new Set<Promise<unknown>>();
  const track = (invocation: Promise<unknown>) => {
    const settled = invocation.catch(() => undefined);
    scheduled.add(settled);
    void settled.then(() => scheduled.delete(settled));
    return invocation;
  };
  const schedulers = createSchedulerFactory({ ...config, random: jitterRandom });
  const newScheduler: SchedulerFactory = () => {
    const scheduler = schedulers();
    return {
      message: (run) => track(scheduler.message(run)),
      disconnect: (run) => track(scheduler.disconnect(run)),
    };
  };
  if (isHarsh) {
    config.announce(
      `harsh ordering (up to ${config.maxJitterMs} ms jitter), seed ${config.seed}: ` +
        `PATCHLINE_GATEWAY_SEED=${config.seed} replays it`,
    );
  }
  server.on(
    'upgrade',
    createUpgradeListener({
      wss,
      registry,
      invoke,
      newScheduler,
      context: { domainName: address.domainName, stage: config.stage, apiId: 'local' },
      idleTimeoutMs: config.idleTimeoutMs,
      maxConnectionMs: config.maxConnectionMs,
      isClosing: () => isClosing,
      track: (handshake) => {
        handshakes.add(handshake);
        void handshake.finally(() => handshakes.delete(handshake));
      },
    }),
  );

  const shutdown = async (invoker?: HandlerInvoker) => {
    // New handshakes are refused from here on, but the port stays open: `$disconnect` handlers
    // may still call the management API (and get 410 for the connections already gone).
    isClosing = true;
    await Promise.allSettled([...handshakes]);
    await Promise.all(registry.all().map((connection) => connection.shutdown(SHUTDOWN_GRACE_MS)));
    // Connections closed earlier, and (harsh mode) messages still held or running.
    await Promise.allSettled([...scheduled]);
    await invoker?.close();
    wss.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // The SDK keeps management connections alive; nothing will use them any more.
      server.closeAllConnections();
    });
  };

  let invoker: HandlerInvoker;
  try {
    invoker = await starting;
  } catch (error) {
    await shutdown();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    ...address.public,
    ordering: config.ordering,
    seed: config.seed,
    close: () => {
      closing ??= shutdown(invoker);
      return closing;
    },
  };
}

async function listen(server: Server, port: number, host: string) {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const authority = `${hostInUrl}:${bound}`;
  const address: LocalGatewayAddress = {
    url: `ws://${authority}`,
    managementEndpoint: `http://${authority}`,
    port: bound,
  };
  return { public: address, domainName: authority };
}
