import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { resolveGatewayOptions } from '../src/gateway/local/gateway-options.js';
import {
  type LocalGateway,
  type LocalGatewayOptions,
  startLocalGateway,
} from '../src/gateway/local/index.js';
import { mulberry32 } from '../src/gateway/local/invocation-order.js';
import type { ProbeReport } from './fixtures/probe-handler.js';
import { openClient } from './fixtures/ws-client.js';

// The gateway's harsh mode (README, "Ordering") seen from outside: real handler workers run the
// probe handler, which reports every invocation's start and end, in the order they reach the
// probe server below, and can be held until the test releases it.

const probeModule = fileURLToPath(new URL('./fixtures/probe-handler.ts', import.meta.url));
const handlers = { connect: probeModule, disconnect: probeModule, default: probeModule };
/** Fixed, so a failure replays with the same jitter; `PATCHLINE_GATEWAY_SEED` tries another. */
const SEED = Number(process.env.PATCHLINE_GATEWAY_SEED || 20240611);

interface Probe {
  url: string;
  /** Every report, in the order the probe server received them. */
  reports: ProbeReport[];
  /** Resolves with the first report, past or future, that matches. */
  waitFor(predicate: (report: ProbeReport) => boolean): Promise<ProbeReport>;
  /** Lets the invocations holding `key` (now or later) finish. */
  release(key: string): void;
  /** Releases every hold, now and until `work` settles (a gateway's close, after a failed test). */
  releaseAllDuring(work: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

async function startProbe(): Promise<Probe> {
  const reports: ProbeReport[] = [];
  const waiters: { predicate: (report: ProbeReport) => boolean; resolve(report: ProbeReport): void }[] = [];
  const held = new Map<string, ServerResponse[]>();
  const released = new Set<string>();
  let isReleasingAll = false;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      if (path.startsWith('/hold/')) {
        const key = decodeURIComponent(path.slice('/hold/'.length));
        if (isReleasingAll || released.has(key)) response.end();
        else held.set(key, [...(held.get(key) ?? []), response]);
        return;
      }
      const report = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ProbeReport;
      reports.push(report);
      for (const waiter of [...waiters]) {
        if (!waiter.predicate(report)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(report);
      }
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const release = (key: string) => {
    released.add(key);
    for (const response of held.get(key) ?? []) response.end();
    held.delete(key);
  };
  return {
    url: `http://127.0.0.1:${port}/`,
    reports,
    waitFor: (predicate) => {
      const seen = reports.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    release,
    releaseAllDuring: async (work) => {
      isReleasingAll = true;
      for (const key of [...held.keys()]) release(key);
      try {
        await work();
      } finally {
        isReleasingAll = false;
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let probe: Probe;
beforeAll(async () => {
  probe = await startProbe();
  return () => probe.close();
});

const quietSdk = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/** A harsh gateway with real handler workers, closed (holds released first) after the suite. */
function useGateway(options: Partial<LocalGatewayOptions> = {}) {
  const state = {
    gateway: undefined as unknown as LocalGateway,
    logs: [] as string[],
    announcements: [] as string[],
  };
  beforeAll(async () => {
    state.gateway = await startLocalGateway({
      port: 0,
      handlers,
      workers: 3,
      ordering: 'harsh',
      seed: SEED,
      log: (message) => state.logs.push(message),
      announce: (message) => state.announcements.push(message),
      env: { PROBE_URL: probe.url, ...quietSdk },
      ...options,
    });
  }, 30_000);
  afterAll(() => probe.releaseAllDuring(async () => state.gateway?.close()));
  return state;
}

let clientCount = 0;
/** Opens a client; its connection id comes from its `$connect` report. */
async function connect(gateway: LocalGateway, query = '') {
  const label = `c${++clientCount}`;
  const client = await openClient(`${gateway.url}/?client=${label}${query}`);
  const { connectionId } = await probe.waitFor(
    (report) => report.route === '$connect' && report.phase === 'start' && report.body === label,
  );
  return { client, connectionId, label };
}

const isReport =
  (connectionId: string, phase: ProbeReport['phase'], route: string, body?: string) =>
  (report: ProbeReport) =>
    report.connectionId === connectionId &&
    report.phase === phase &&
    report.route === route &&
    (body === undefined || report.body === body);

/** Index of the first matching report in arrival order at the probe. */
function indexOf(predicate: (report: ProbeReport) => boolean): number {
  const index = probe.reports.findIndex(predicate);
  expect(index).toBeGreaterThanOrEqual(0);
  return index;
}

describe('harsh ordering, three handler workers', () => {
  const state = useGateway();

  it('reports its mode and logs the seed at start', () => {
    expect(state.gateway.ordering).toBe('harsh');
    expect(state.gateway.seed).toBe(SEED);
    expect(state.announcements).toEqual([expect.stringContaining(`PATCHLINE_GATEWAY_SEED=${SEED}`)]);
    // `log` is for failures: tests assert it stays empty.
    expect(state.logs).toEqual([]);
  });

  it("runs one connection's messages at the same time, on different workers", async () => {
    const { client, connectionId } = await connect(state.gateway);
    client.ws.send('hold:overlap-1');
    client.ws.send('hold:overlap-2');
    const [first, second] = await Promise.all(
      ['hold:overlap-1', 'hold:overlap-2'].map((body) =>
        probe.waitFor(isReport(connectionId, 'start', '$default', body)),
      ),
    );
    // Both started while both are held: neither waited for the other.
    expect(first!.pid).not.toBe(second!.pid);
    expect(first!.pid).not.toBe(process.pid);
    expect(probe.reports.filter(isReport(connectionId, 'end', '$default'))).toEqual([]);
    probe.release('overlap-1');
    probe.release('overlap-2');
    await probe.waitFor(isReport(connectionId, 'end', '$default', 'hold:overlap-1'));
    await probe.waitFor(isReport(connectionId, 'end', '$default', 'hold:overlap-2'));
  });

  it("starts one connection's messages in another order than they were sent", async () => {
    const { client, connectionId } = await connect(state.gateway);
    const sent = Array.from({ length: 30 }, (_, i) => `n:${i}`);
    for (const body of sent) client.ws.send(body);
    await Promise.all(sent.map((body) => probe.waitFor(isReport(connectionId, 'end', '$default', body))));
    const started = probe.reports.filter(isReport(connectionId, 'start', '$default')).map(({ body }) => body);
    expect([...started].sort()).toEqual([...sent].sort());
    // 30 messages each held 0..20 ms: arriving in sent order would be a 1-in-30! accident.
    expect(started).not.toEqual(sent);
    const inversions = started.filter((body, i) => i > 0 && order(body) < order(started[i - 1]!)).length;
    expect(inversions).toBeGreaterThan(0);
  });

  it('lets $disconnect run while an earlier message is still being handled', async () => {
    const { client, connectionId } = await connect(state.gateway);
    client.ws.send('hold:before-close');
    await probe.waitFor(isReport(connectionId, 'start', '$default', 'hold:before-close'));
    client.ws.close(1000, 'bye');
    await probe.waitFor(isReport(connectionId, 'end', '$disconnect'));
    expect(probe.reports.some(isReport(connectionId, 'end', '$default'))).toBe(false);
    probe.release('before-close');
    await probe.waitFor(isReport(connectionId, 'end', '$default', 'hold:before-close'));
  });

  it("lets $disconnect start before a connection's last messages, without any hold", async () => {
    const connections = await Promise.all(Array.from({ length: 8 }, () => connect(state.gateway)));
    // A few ms of work each, so the workers have a backlog when the closes arrive, however
    // busy the machine is: a freed worker takes a random waiting invocation.
    const messages = ['work:3', 'work:3.1', 'work:3.2', 'work:3.3', 'work:3.4'];
    for (const { client } of connections) {
      for (const body of messages) client.ws.send(body);
      client.ws.close(1000, 'bye');
    }
    await Promise.all(
      connections.flatMap(({ connectionId }) => [
        probe.waitFor(isReport(connectionId, 'end', '$disconnect')),
        ...messages.map((body) => probe.waitFor(isReport(connectionId, 'end', '$default', body))),
      ]),
    );
    const overtaken = connections.filter(({ connectionId }) => {
      const disconnectStart = indexOf(isReport(connectionId, 'start', '$disconnect'));
      return messages.some(
        (body) => indexOf(isReport(connectionId, 'start', '$default', body)) > disconnectStart,
      );
    });
    // Each $disconnect is held 0..20 ms like the five messages before it, and then waits among
    // them for a worker: last of six about 1 time in 6, so all eight keeping their place would
    // be a (1/6)⁸ accident.
    expect(overtaken.length).toBeGreaterThan(0);
  });

  it('answers 410 to PostToConnection while $connect runs, and opens the socket only after it', async () => {
    const label = `c${++clientCount}`;
    const opening = openClient(`${state.gateway.url}/?client=${label}&hold=connect-${label}`);
    const { connectionId } = await probe.waitFor(
      (report) => report.route === '$connect' && report.phase === 'start' && report.body === label,
    );
    const management = new ApiGatewayManagementApiClient({
      endpoint: state.gateway.managementEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    onTestFinished(() => management.destroy());
    await expect(
      management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'early' })),
    ).rejects.toMatchObject({ name: 'GoneException', $metadata: { httpStatusCode: 410 } });

    probe.release(`connect-${label}`);
    const client = await opening;
    expect(probe.reports.some(isReport(connectionId, 'end', '$connect'))).toBe(true);
    await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'welcome' }));
    expect(await client.next()).toBe('welcome');
  });
});

describe('harsh ordering, two handler workers under load', () => {
  const state = useGateway({ workers: 2 });

  it('never runs two invocations at once in one worker, while the workers run side by side', async () => {
    const connections = await Promise.all(Array.from({ length: 3 }, () => connect(state.gateway)));
    const messages = Array.from({ length: 10 }, (_, i) => `work:${2 + (i % 3)}`);
    const before = probe.reports.length;
    for (const { client } of connections) for (const body of messages) client.ws.send(body);
    await Promise.all(
      connections.map(({ connectionId }) =>
        waitForCount(isReport(connectionId, 'end', '$default'), messages.length),
      ),
    );
    const ours = probe.reports
      .slice(before)
      .filter(
        (report) =>
          report.route === '$default' &&
          connections.some(({ connectionId }) => connectionId === report.connectionId),
      );
    expect(ours.filter(({ phase }) => phase === 'start')).toHaveLength(30);
    // Every invocation found its worker otherwise idle...
    expect(ours.filter(({ concurrent }) => concurrent !== 1)).toEqual([]);
    expect(new Set(ours.map(({ pid }) => pid)).size).toBe(2);
    // ...and the two workers did overlap: at some point two invocations were running.
    let running = 0;
    let mostRunning = 0;
    for (const { phase } of ours) {
      running += phase === 'start' ? 1 : -1;
      mostRunning = Math.max(mostRunning, running);
    }
    expect(mostRunning).toBe(2);
  });

  it('queues an invocation until a worker is free', async () => {
    const connections = await Promise.all(Array.from({ length: 3 }, () => connect(state.gateway)));
    for (const [i, { client }] of connections.entries()) client.ws.send(`hold:queue-${i}`);
    const startOf = (i: number) =>
      probe.waitFor(isReport(connections[i]!.connectionId, 'start', '$default', `hold:queue-${i}`));
    // Two of the three start (one per worker); the third waits for one of them to finish.
    const firstTwo = await Promise.race([
      Promise.all([startOf(0), startOf(1)]),
      Promise.all([startOf(0), startOf(2)]),
      Promise.all([startOf(1), startOf(2)]),
    ]);
    const [a, b] = firstTwo;
    const started = new Set([a!.body, b!.body]);
    const waiting = [0, 1, 2].find((i) => !started.has(`hold:queue-${i}`))!;
    const releasedFirst = a!.body.slice('hold:'.length);
    probe.release(releasedFirst);
    const third = await startOf(waiting);
    expect(third.pid).toBe(a!.pid);
    expect(third.concurrent).toBe(1);
    const releasedAt = indexOf(isReport(a!.connectionId, 'end', '$default', a!.body));
    expect(probe.reports.indexOf(third)).toBeGreaterThan(releasedAt);
    probe.release(b!.body.slice('hold:'.length));
    probe.release(`queue-${waiting}`);
  });
});

describe('in-order ordering, for contrast', () => {
  const state = useGateway({ ordering: 'in-order', workers: 1 });

  it('lets one worker run several invocations at once, which the probe detects', async () => {
    const first = await connect(state.gateway);
    const second = await connect(state.gateway);
    first.client.ws.send('hold:shared-1');
    second.client.ws.send('hold:shared-2');
    const reports = await Promise.all([
      probe.waitFor(isReport(first.connectionId, 'start', '$default', 'hold:shared-1')),
      probe.waitFor(isReport(second.connectionId, 'start', '$default', 'hold:shared-2')),
    ]);
    expect(reports[0].pid).toBe(reports[1].pid);
    expect(Math.max(reports[0].concurrent, reports[1].concurrent)).toBe(2);
    probe.release('shared-1');
    probe.release('shared-2');
  });

  it("keeps one connection's messages in order and $disconnect last", async () => {
    const { client, connectionId } = await connect(state.gateway);
    const sent = Array.from({ length: 10 }, (_, i) => `n:${i}`);
    for (const body of sent) client.ws.send(body);
    client.ws.close(1000, 'bye');
    await probe.waitFor(isReport(connectionId, 'end', '$disconnect'));
    const handled = probe.reports
      .filter((report) => report.connectionId === connectionId && report.route !== '$connect')
      .map(({ phase, body, route }) => `${phase} ${route === '$default' ? body : route}`);
    expect(handled).toEqual([
      ...sent.flatMap((body) => [`start ${body}`, `end ${body}`]),
      'start $disconnect',
      'end $disconnect',
    ]);
  });
});

describe('ordering options', () => {
  const handlersOnly = { handlers };

  it('defaults to in-order, and takes the mode and seed from the environment', () => {
    const unset = resolveGatewayOptions(handlersOnly, {});
    expect(unset.ordering).toBe('in-order');
    expect(Number.isInteger(unset.seed)).toBe(true);
    const fromEnv = resolveGatewayOptions(handlersOnly, {
      PATCHLINE_GATEWAY_ORDERING: 'harsh',
      PATCHLINE_GATEWAY_SEED: '42',
    });
    expect(fromEnv).toMatchObject({ ordering: 'harsh', seed: 42, maxJitterMs: 20 });
    const given = resolveGatewayOptions(
      { ...handlersOnly, ordering: 'in-order', seed: 7 },
      { PATCHLINE_GATEWAY_ORDERING: 'harsh', PATCHLINE_GATEWAY_SEED: '42' },
    );
    expect(given).toMatchObject({ ordering: 'in-order', seed: 7 });
  });

  it('refuses an unknown mode or a seed that is not a 32-bit integer', () => {
    expect(() => resolveGatewayOptions(handlersOnly, { PATCHLINE_GATEWAY_ORDERING: 'chaos' })).toThrow(
      RangeError,
    );
    expect(() => resolveGatewayOptions(handlersOnly, { PATCHLINE_GATEWAY_SEED: 'x' })).toThrow(RangeError);
    expect(() => resolveGatewayOptions({ ...handlersOnly, seed: 2 ** 32 }, {})).toThrow(RangeError);
  });

  it('draws the same jitter from the same seed', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, mulberry32(seed));
    expect(draw(SEED)).toEqual(draw(SEED));
    expect(draw(SEED)).not.toEqual(draw(SEED + 1));
    expect(draw(SEED).every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

function order(body: string): number {
  return Number(body.slice('n:'.length));
}

/** Resolves once `count` reports match. */
async function waitForCount(predicate: (report: ProbeReport) => boolean, count: number): Promise<void> {
  await probe.waitFor(() => probe.reports.filter(predicate).length >= count);
}
