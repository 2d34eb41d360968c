import { fileURLToPath } from 'node:url';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parseGatewayArgs } from '../src/gateway/local/cli-args.js';
import {
  type LocalGateway,
  type LocalGatewayOptions,
  startLocalGateway,
} from '../src/gateway/local/index.js';
import type { EchoReply } from './fixtures/echo-handler.js';
import { type EventReport, type EventSink, startEventSink } from './fixtures/event-sink.js';
import { openClient, refusedStatus, type TestClient } from './fixtures/ws-client.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
const handlers = {
  connect: fixture('connect-handler'),
  disconnect: fixture('disconnect-handler'),
  default: fixture('echo-handler'),
};
const FRAME_LIMIT = 32 * 1024;
const MESSAGE_LIMIT = 128 * 1024;

let sink: EventSink;
beforeAll(async () => {
  sink = await startEventSink();
  return () => sink.close();
});

/** The SDK's Node 20 deprecation notice would otherwise be printed by every worker. */
const quietSdk = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const fixtureEnv = () => ({ FIXTURE_REPORT_URL: sink.url, ...quietSdk });

/**
 * A gateway on port 0 whose handlers report to the sink; its log lines are collected. In order
 * whatever `PATCHLINE_GATEWAY_ORDERING` says: the harsh mode has its own tests
 * (`harsh-gateway.test.ts`).
 */
async function startGateway(options: Partial<LocalGatewayOptions> = {}) {
  const logs: string[] = [];
  const gateway = await startLocalGateway({
    port: 0,
    handlers,
    ordering: 'in-order',
    log: (message) => logs.push(message),
    env: ({ managementEndpoint }) => ({ ECHO_ENDPOINT: managementEndpoint, ...fixtureEnv() }),
    ...options,
  });
  return { gateway, logs };
}

function managementClient(endpoint: string): ApiGatewayManagementApiClient {
  const client = new ApiGatewayManagementApiClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  onTestFinished(() => client.destroy());
  return client;
}

let clientCount = 0;
/** Opens an authorised client and learns its connection id from its `$connect` event. */
async function connect(gateway: LocalGateway, headers: Record<string, string> = {}) {
  const label = String(++clientCount);
  const client = await openClient(`${gateway.url}/?token=ok&client=${label}`, headers);
  const { event } = await sink.waitFor(
    (report): report is EventReport =>
      report.kind === 'event' &&
      report.event.requestContext.routeKey === '$connect' &&
      report.event.queryStringParameters?.client === label,
  );
  return { client, connectionId: event.requestContext.connectionId };
}

const nextEcho = async (client: TestClient) => JSON.parse(await client.next()) as EchoReply;

describe('startLocalGateway, handlers in-process', () => {
  let gateway: LocalGateway;
  let logs: string[];
  beforeAll(async () => {
    ({ gateway, logs } = await startGateway());
    return () => gateway.close();
  });

  it('refuses the handshake with the $connect status, and with 500 when $connect throws', async () => {
    expect(gateway.url).toBe(`ws://127.0.0.1:${gateway.port}`);
    expect(await refusedStatus(`${gateway.url}/?doc=r1`)).toBe(401);
    expect(await refusedStatus(`${gateway.url}/?token=forbidden`)).toBe(403);
    expect(await refusedStatus(`${gateway.url}/?token=throw`)).toBe(500);
    expect(logs.some((line) => line.includes('$connect handler failed'))).toBe(true);
  });

  it('gives $connect the query, the headers and an opaque API Gateway-style id', async () => {
    const { connectionId } = await connect(gateway, { 'User-Agent': 'patchline-test' });
    const { event } = await sink.waitForEvent('$connect', connectionId);
    expect(connectionId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(event.queryStringParameters).toMatchObject({ token: 'ok' });
    expect(event.headers).toMatchObject({ 'User-Agent': 'patchline-test', 'X-Forwarded-Proto': 'http' });
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      stage: 'local',
      domainName: `127.0.0.1:${gateway.port}`,
    });
  });

  it('turns a text frame into a $default event and delivers PostToConnection as a text frame', async () => {
    const { client, connectionId } = await connect(gateway);
    client.ws.send('hello');
    const reply = await nextEcho(client);
    expect(reply.body).toBe('hello');
    expect(reply.pid).toBe(process.pid);
    expect(reply.endpoint).toBe(gateway.managementEndpoint);
    expect(reply.injectedEndpoint).toBe(gateway.managementEndpoint);
    expect(reply.event).toMatchObject({
      body: 'hello',
      isBase64Encoded: false,
      requestContext: { routeKey: '$default', eventType: 'MESSAGE', connectionId },
    });
    expect(reply.event.requestContext.messageId).toEqual(expect.any(String));
  });

  it('closes with 1003 on a binary frame and fires $disconnect', async () => {
    const { client, connectionId } = await connect(gateway);
    client.ws.send(Buffer.from('binary'), { binary: true });
    expect((await client.closed).code).toBe(1003);
    const { event } = await sink.waitForEvent('$disconnect', connectionId);
    expect(event.requestContext.disconnectStatusCode).toBe(1003);
  });

  it('takes a 32 KB frame and closes with 1009 one byte over', async () => {
    const { client } = await connect(gateway);
    const atLimit = `echo:${'x'.repeat(FRAME_LIMIT - 'echo:'.length)}`;
    client.ws.send(atLimit);
    expect(await client.next()).toBe(atLimit.slice('echo:'.length));

    const { client: overLimit, connectionId } = await connect(gateway);
    overLimit.ws.send('x'.repeat(FRAME_LIMIT + 1));
    expect((await overLimit.closed).code).toBe(1009);
    const { event } = await sink.waitForEvent('$disconnect', connectionId);
    expect(event.requestContext.disconnectStatusCode).toBe(1009);
  });

  it('delivers 128 KB of PostToConnection data as one frame and answers 413 one byte over', async () => {
    const { client, connectionId } = await connect(gateway);
    const management = managementClient(gateway.managementEndpoint);
    const data = 'y'.repeat(MESSAGE_LIMIT);
    await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
    expect(await client.next()).toBe(data);

    const tooLarge = new PostToConnectionCommand({ ConnectionId: connectionId, Data: `${data}y` });
    await expect(management.send(tooLarge)).rejects.toMatchObject({
      name: 'PayloadTooLargeException',
      $metadata: { httpStatusCode: 413 },
    });
  });

  it('answers GetConnection, with or without a stage in the endpoint', async () => {
    const before = Date.now();
    const { connectionId } = await connect(gateway, { 'User-Agent': 'patchline-test' });
    for (const endpoint of [gateway.managementEndpoint, `${gateway.managementEndpoint}/local`]) {
      const answer = await managementClient(endpoint).send(
        new GetConnectionCommand({ ConnectionId: connectionId }),
      );
      expect(answer.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: 'patchline-test' });
      expect(answer.ConnectedAt).toBeInstanceOf(Date);
      expect(answer.ConnectedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(answer.LastActiveAt!.getTime()).toBeGreaterThanOrEqual(answer.ConnectedAt!.getTime());
    }
  });

  it('throws GoneException for a closed or unknown connection id', async () => {
    const { client, connectionId } = await connect(gateway);
    client.ws.close(1000, 'bye');
    await sink.waitForEvent('$disconnect', connectionId);
    const management = managementClient(gateway.managementEndpoint);
    for (const id of [connectionId, 'AAAAAAAAAAAAAAA=']) {
      await expect(
        management.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'late' })),
      ).rejects.toMatchObject({
        name: 'GoneException',
        $metadata: { httpStatusCode: 410 },
      });
      await expect(management.send(new GetConnectionCommand({ ConnectionId: id }))).rejects.toMatchObject({
        name: 'GoneException',
      });
    }
  });

  it('closes the socket with 1000 on DeleteConnection and fires $disconnect', async () => {
    const { client, connectionId } = await connect(gateway);
    const management = managementClient(gateway.managementEndpoint);
    await management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    expect((await client.closed).code).toBe(1000);
    const { event } = await sink.waitForEvent('$disconnect', connectionId);
    expect(event.requestContext).toMatchObject({ eventType: 'DISCONNECT', disconnectStatusCode: 1000 });
    await expect(
      management.send(new DeleteConnectionCommand({ ConnectionId: connectionId })),
    ).rejects.toMatchObject({
      name: 'GoneException',
    });
  });

  it('fires $disconnect with the client close code and reason when the client closes', async () => {
    const { client, connectionId } = await connect(gateway);
    client.ws.close(4000, 'bye');
    const { event } = await sink.waitForEvent('$disconnect', connectionId);
    expect(event.requestContext).toMatchObject({
      routeKey: '$disconnect',
      connectionId,
      disconnectStatusCode: 4000,
      disconnectReason: 'bye',
    });
  });

  it('drops a message whose handler throws and keeps the connection', async () => {
    const { client } = await connect(gateway);
    client.ws.send('throw');
    client.ws.send('echo:still here');
    expect(await client.next()).toBe('still here');
    expect(logs.some((line) => line.includes('$default handler failed'))).toBe(true);
  });

  it('closes open sockets with 1001 on close() and fires $disconnect once per connection', async () => {
    const { client } = await connect(gateway);
    await gateway.close();
    expect((await client.closed).code).toBe(1001);
    const ofThisGateway = (route: '$connect' | '$disconnect') =>
      sink
        .eventsOf(route)
        .filter(({ event }) => event.requestContext.domainName === `127.0.0.1:${gateway.port}`);
    const accepted = ofThisGateway('$connect').filter(
      ({ event }) => event.queryStringParameters?.token === 'ok',
    );
    const disconnects = ofThisGateway('$disconnect').map(({ event }) => event.requestContext.connectionId);
    expect(accepted.length).toBeGreaterThan(5);
    expect(disconnects.sort()).toEqual(accepted.map(({ event }) => event.requestContext.connectionId).sort());
  });
});

describe('startLocalGateway, idle timeout', () => {
  let gateway: LocalGateway;
  beforeAll(async () => {
    ({ gateway } = await startGateway({ idleTimeoutMs: 300 }));
    return () => gateway.close();
  });

  it('closes a silent connection with 1001 and fires $disconnect', async () => {
    const { client, connectionId } = await connect(gateway);
    expect((await client.closed).code).toBe(1001);
    const { event } = await sink.waitForEvent('$disconnect', connectionId);
    expect(event.requestContext).toMatchObject({
      disconnectStatusCode: 1001,
      disconnectReason: 'idle timeout',
    });
  });
});

describe('startLocalGateway, maximum connection duration', () => {
  let gateway: LocalGateway;
  beforeAll(async () => {
    ({ gateway } = await startGateway({ maxConnectionMs: 300 }));
    return () => gateway.close();
  });

  it('closes the connection with 1001 when its time is up', async () => {
    const { client, connectionId } = await connect(gateway);
    expect((await client.closed).code).toBe(1001);
    const { event } = await sink.waitForEvent('$disconnect', connectionId);
    expect(event.requestContext.disconnectReason).toBe('maximum connection duration');
  });
});

describe('startLocalGateway, handler modules', () => {
  it.each([0, 1])('refuses to start when a module has no handler export (workers: %i)', async (workers) => {
    const start = startLocalGateway({
      port: 0,
      workers,
      handlers: { ...handlers, default: fixture('no-handler') },
    });
    await expect(start).rejects.toThrow(/does not export a function named "handler"/);
  });
});

describe('startLocalGateway, three handler workers', () => {
  let gateway: LocalGateway;
  let logs: string[];
  beforeAll(async () => {
    ({ gateway, logs } = await startGateway({
      workers: 3,
      env: ({ managementEndpoint }) => ({
        ECHO_ENDPOINT: managementEndpoint,
        FIXTURE_ALLOW_CRASH: '1',
        ...fixtureEnv(),
      }),
    }));
    return () => gateway.close();
  }, 30_000);

  it('runs invocations of one connection in several processes', async () => {
    const { client } = await connect(gateway);
    const pids = new Set<number>();
    for (let i = 0; i < 10; i++) {
      client.ws.send(`message ${i}`);
      pids.add((await nextEcho(client)).pid);
    }
    expect(pids.has(process.pid)).toBe(false);
    expect(pids.size).toBeGreaterThanOrEqual(2);
  });

  it("keeps one connection's messages in order", async () => {
    const { client } = await connect(gateway);
    const sent = Array.from({ length: 20 }, (_, i) => `echo:${i}`);
    for (const message of sent) client.ws.send(message);
    const received: string[] = [];
    for (const _ of sent) received.push(await client.next());
    expect(received).toEqual(sent.map((message) => message.slice('echo:'.length)));
  });

  it('restarts a worker that crashed, and the connection carries on', async () => {
    const workerPids = new Set(
      sink.reports
        .filter((report) => report.kind === 'loaded' && report.pid !== process.pid)
        .map(({ pid }) => pid),
    );
    expect(workerPids.size).toBe(3);
    const { client } = await connect(gateway);
    client.ws.send('crash');
    const isKnown = (pid: number) => pid === process.pid || workerPids.has(pid);
    await sink.waitFor((report) => report.kind === 'loaded' && !isKnown(report.pid));
    expect(logs.some((line) => /handler worker \d exited/.test(line))).toBe(true);
    client.ws.send('echo:after the crash');
    expect(await client.next()).toBe('after the crash');
  });
});

describe(parseGatewayArgs.name, () => {
  it('takes flags over environment variables over defaults', () => {
    expect(parseGatewayArgs([], {})).toEqual({
      port: 4001,
      host: '127.0.0.1',
      workers: 2,
      ordering: 'in-order',
      seed: undefined,
    });
    expect(parseGatewayArgs(['--port', '5001'], { GATEWAY_PORT: '6001', GATEWAY_WORKERS: '0' })).toEqual({
      port: 5001,
      host: '127.0.0.1',
      workers: 0,
      ordering: 'in-order',
      seed: undefined,
    });
  });

  it('takes the ordering and its seed from --ordering/--seed or PATCHLINE_GATEWAY_ORDERING/SEED', () => {
    const env = { PATCHLINE_GATEWAY_ORDERING: 'harsh', PATCHLINE_GATEWAY_SEED: '42' };
    expect(parseGatewayArgs([], env)).toMatchObject({ ordering: 'harsh', seed: 42 });
    expect(parseGatewayArgs(['--ordering', 'in-order', '--seed', '7'], env)).toMatchObject({
      ordering: 'in-order',
      seed: 7,
    });
    expect(() => parseGatewayArgs(['--ordering', 'chaos'], {})).toThrow(RangeError);
    expect(() => parseGatewayArgs(['--seed', 'x'], {})).toThrow(RangeError);
  });

  it('rejects a port or worker count that is not a small integer', () => {
    expect(() => parseGatewayArgs(['--port', 'abc'], {})).toThrow(RangeError);
    expect(() => parseGatewayArgs(['--workers=-1'], {})).toThrow(RangeError);
    expect(() => parseGatewayArgs(['--unknown'], {})).toThrow();
  });
});
