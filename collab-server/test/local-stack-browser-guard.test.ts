import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLocalCognitoClient } from '../src/local-stack/bootstrap-cognito.js';
import { DEMO_ACCOUNTS } from '../src/local-stack/demo-data.js';
import { startCognitoLocal } from '../src/local-stack/start-cognito-local.js';
import { startDynalite } from '../src/local-stack/start-dynalite.js';
import { type LocalConfig, type LocalStack, startLocalStack } from '../src/local-stack/start-local-stack.js';

let dataDir: string;
let stack: LocalStack;
let config: LocalConfig;

/** Where the web app is served in this stack: the one browser origin cognito-local accepts. */
const WEB_PORT = 3917;
const WEB_ORIGIN = `http://127.0.0.1:${WEB_PORT}`;
const EVIL_ORIGIN = 'http://evil.example';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'patchline-guard-'));
  stack = await startLocalStack({
    dataDir,
    ports: { dynamodb: 0, cognito: 0, web: WEB_PORT },
    gateway: false,
    api: false,
  });
  config = stack.config;
  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}, 60_000);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A raw HTTP request to `endpoint`, with the headers a browser would send (fetch cannot forge
 * `Host`, and Node's fetch adds none of `Origin` or `Sec-Fetch-*`). `host: null` sends none.
 */
function send(
  endpoint: string,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    host?: string | null;
    body?: string;
  },
): Promise<Answer> {
  const url = new URL(endpoint);
  const headers: Record<string, string> = { ...options.headers };
  if (options.host !== undefined && options.host !== null) headers.host = options.host;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers,
        setHost: options.host === undefined,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * dynalite wants a SigV4-shaped `Authorization` and never checks the signature, so a page can
 * send this as well as the SDK can.
 */
const FAKE_SIGNATURE = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00',
  'x-amz-date': '20260101T000000Z',
};

/** An AWS JSON call, as the SDK (or a page's `fetch`) makes it. */
const awsCall = (
  endpoint: string,
  target: string,
  payload: unknown,
  extra: { headers?: Record<string, string>; host?: string | null } = {},
) =>
  send(endpoint, {
    method: 'POST',
    body: JSON.stringify(payload),
    host: extra.host,
    headers: {
      ...(target.startsWith('DynamoDB')
        ? { 'content-type': 'application/x-amz-json-1.0', ...FAKE_SIGNATURE }
        : { 'content-type': 'application/x-amz-json-1.1' }),
      'x-amz-target': target,
      ...extra.headers,
    },
  });

const portOf = (endpoint: string) => new URL(endpoint).port;

describe('dynalite, as a web page the developer visits would reach it', () => {
  const listTables = (extra: Parameters<typeof awsCall>[3] = {}) =>
    awsCall(config.dynamodb.endpoint, 'DynamoDB_20120810.ListTables', {}, extra);
  const putItem = (extra: Parameters<typeof awsCall>[3]) =>
    awsCall(
      config.dynamodb.endpoint,
      'DynamoDB_20120810.PutItem',
      { TableName: config.dynamodb.tableName, Item: { PK: { S: 'PWNED' }, SK: { S: 'PWNED' } } },
      extra,
    );
  const getPwned = () =>
    awsCall(config.dynamodb.endpoint, 'DynamoDB_20120810.GetItem', {
      TableName: config.dynamodb.tableName,
      Key: { PK: { S: 'PWNED' }, SK: { S: 'PWNED' } },
      ConsistentRead: true,
    });

  it('answers the SDK (no Origin) on its loopback address', async () => {
    const answer = await listTables();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ TableNames: [config.dynamodb.tableName] });
    expect(new URL(config.dynamodb.endpoint).hostname).toBe('127.0.0.1');
    const port = portOf(config.dynamodb.endpoint);
    expect((await listTables({ host: `localhost:${port}` })).status).toBe(200);
  });

  it.each([
    ['any Origin, even the web app’s', { headers: { origin: WEB_ORIGIN } }],
    ['a foreign Origin', { headers: { origin: EVIL_ORIGIN } }],
    ['Origin: null (sandboxed frame, file://)', { headers: { origin: 'null' } }],
    [
      'a cross-site no-cors request (no Origin)',
      { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' } },
    ],
    ['a same-site page on another port (no Origin)', { headers: { 'sec-fetch-site': 'same-site' } }],
    ['a DNS-rebound name in Host', { host: 'rebind.evil.example' }],
    ['a loopback Host with the wrong port', { host: '127.0.0.1:1' }],
  ] as const)('refuses %s with 403, reading nothing', async (_case, extra) => {
    const withPort =
      'host' in extra && extra.host === 'rebind.evil.example'
        ? { host: `rebind.evil.example:${portOf(config.dynamodb.endpoint)}` }
        : extra;
    const answer = await listTables(withPort as Parameters<typeof awsCall>[3]);
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain(config.dynamodb.tableName);
  });

  it('refuses a preflight and a write from a foreign page, and nothing is written', async () => {
    const preflight = await send(config.dynamodb.endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: EVIL_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target',
      },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect((await putItem({ headers: { origin: EVIL_ORIGIN } })).status).toBe(403);
    expect((await putItem({ host: `rebind.evil.example:${portOf(config.dynamodb.endpoint)}` })).status).toBe(
      403,
    );
    const read = await getPwned();
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body)).toEqual({});
  });
});

describe('cognito-local, as a web page the developer visits would reach it', () => {
  const signIn = (extra: Parameters<typeof awsCall>[3]) =>
    awsCall(
      config.cognito.endpoint,
      'AWSCognitoIdentityProviderService.InitiateAuth',
      {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: config.cognito.clientId,
        AuthParameters: { USERNAME: DEMO_ACCOUNTS.viewer.email, PASSWORD: config.demo!.password },
      },
      extra,
    );

  it('serves the web app’s own sign-in from its origin (preflight and call)', async () => {
    const preflight = await send(config.cognito.endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: WEB_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent',
        'sec-fetch-site': 'same-site',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toMatch(/^(\*|http:\/\/127\.0\.0\.1:3917)$/);
    const answer = await signIn({ headers: { origin: WEB_ORIGIN, 'sec-fetch-site': 'same-site' } });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).AuthenticationResult.IdToken).toEqual(expect.any(String));
  });

  it('answers the SDK (no Origin) and a page typed into the address bar', async () => {
    expect((await signIn({})).status).toBe(200);
    const port = portOf(config.cognito.endpoint);
    expect(
      (await send(config.cognito.endpoint, { path: '/health', headers: { 'sec-fetch-site': 'none' } }))
        .status,
    ).toBe(200);
    expect((await send(config.cognito.endpoint, { path: '/health', host: `localhost:${port}` })).status).toBe(
      200,
    );
    expect((await send(config.cognito.endpoint, { path: '/health', host: `[::1]:${port}` })).status).toBe(
      200,
    );
  });

  it.each([
    ['a foreign Origin', { headers: { origin: EVIL_ORIGIN } }],
    ['the web app’s host on another port', { headers: { origin: 'http://127.0.0.1:3918' } }],
    ['the web app’s origin over https', { headers: { origin: 'https://127.0.0.1:3917' } }],
    ['Origin: null', { headers: { origin: 'null' } }],
    ['two Origins', { headers: { origin: `${WEB_ORIGIN}, ${EVIL_ORIGIN}` } }],
    ['a cross-site request without Origin', { headers: { 'sec-fetch-site': 'cross-site' } }],
    ['a DNS-rebound name in Host', { host: 'rebind.evil.example:PORT' }],
    [
      'a DNS-rebound name in Host, with the web app’s Origin',
      { host: 'rebind.evil.example:PORT', headers: { origin: WEB_ORIGIN } },
    ],
    ['a loopback Host with the wrong port', { host: '127.0.0.1:1' }],
  ] as const)('refuses %s with 403: no tokens', async (_case, extra) => {
    const port = portOf(config.cognito.endpoint);
    const host =
      'host' in extra && extra.host
        ? extra.host.replace('PORT', port)
        : 'host' in extra
          ? extra.host
          : undefined;
    const answer = await signIn({ ...('headers' in extra ? { headers: { ...extra.headers } } : {}), host });
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('IdToken');
  });

  it('refuses a foreign page’s preflight and sign-up, and no account is made', async () => {
    const preflight = await send(config.cognito.endpoint, {
      method: 'OPTIONS',
      headers: { origin: EVIL_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const email = 'planted@evil.example';
    const signUp = await awsCall(
      config.cognito.endpoint,
      'AWSCognitoIdentityProviderService.SignUp',
      {
        ClientId: config.cognito.clientId,
        Username: email,
        Password: 'Planted-password-1',
        UserAttributes: [{ Name: 'email', Value: email }],
      },
      { headers: { origin: EVIL_ORIGIN } },
    );
    expect(signUp.status).toBe(403);
    const cognito = createLocalCognitoClient(config.cognito.endpoint, config.region);
    onTestFinished(() => cognito.destroy());
    const users = await cognito.send(new ListUsersCommand({ UserPoolId: config.cognito.userPoolId }));
    expect(users.Users?.map((user) => user.Username)).not.toContain(email);
    expect(JSON.stringify(users.Users)).not.toContain(email);
  });
});

describe('both services', () => {
  it('refuse a request without Host (Node answers 400 before either sees it)', async () => {
    for (const endpoint of [config.dynamodb.endpoint, config.cognito.endpoint]) {
      const answer = await send(endpoint, { method: 'POST', host: null, headers: FAKE_SIGNATURE });
      expect(answer.status).toBe(400);
    }
  });

  it('refuse to listen anywhere but loopback', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchline-bind-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      await expect(startDynalite({ host, port: 0, path: join(dir, 'db') })).rejects.toThrow(/loopback/);
      await expect(
        startCognitoLocal({ host, port: 0, path: join(dir, 'cognito'), allowedOrigins: [] }),
      ).rejects.toThrow(/loopback/);
    }
  });
});
