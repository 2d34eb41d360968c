import { request as httpRequest } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/api/app.js';
import { createApiDeps } from '../../src/api/create-api-deps.js';
import type { ApiLimits } from '../../src/services/api-limits.js';
import { type Actors, ownedRelease, signedInUser, signInActors } from '../support/api-actors.js';
import { apiClient } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/**
 * The REST API's limits per person, client and link (issue 12, `services/api-limits.ts`), with
 * small numbers in a stack of their own so no other suite is throttled. Each client is a real
 * source address on loopback (127.0.0.x), as distinct clients are to the API.
 */
const LIMITS: ApiLimits = {
  linkRequestsPerClientPerMinute: 3,
  redemptionsPerLinkPerMinute: 2,
  releasesPerUserPerDay: 3,
  labelChecksPerUserPerMinute: 3,
  versionsPerUserPerDay: 2,
  importsPerUserPerMinute: 2,
};
let stack: TestStack;
let actors: Actors;
let releaseId: string;

beforeAll(async () => {
  const started = await startTestStack({ workers: 2, apiOptions: { apiLimits: LIMITS } });
  stack = started.stack;
  actors = await signInActors(stack);
  releaseId = await ownedRelease(stack, actors, { title: 'Throttled' });
  return started.teardown;
});

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  retryAfter: number | null;
}

let clients = 10;
/** A loopback address no other client of this suite uses. */
const nextAddress = () => {
  clients += 1;
  return `127.0.0.${clients}`;
};

/** A client whose requests leave from `localAddress`. */
function clientAt(localAddress: string, apiUrl = stack.config.apiUrl) {
  const call = <T>(method: string, path: string, token?: string) =>
    new Promise<Answer<T>>((resolve, reject) => {
      const url = new URL(path, apiUrl);
      const body = method === 'POST' ? '{}' : undefined;
      const outgoing = httpRequest(
        url,
        {
          method,
          localAddress,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => {
            const retryAfter = response.headers['retry-after'];
            resolve({
              status: response.statusCode ?? 0,
              body: (text ? JSON.parse(text) : {}) as T,
              retryAfter: retryAfter === undefined ? null : Number(retryAfter),
            });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  return {
    preview: (token: string) => call('GET', `/share-links/${token}/preview`),
    redeem: (token: string, as: string) => call('POST', `/share-links/${token}/redeem`, as),
    createRelease: (as: string) => call<{ releaseId: string }>('POST', '/releases', as),
    checks: (id: string, as: string) => call('GET', `/releases/${id}/checks`, as),
  };
}

const newClient = () => clientAt(nextAddress());

const newLink = async (role: 'viewer' | 'editor' = 'viewer') =>
  (
    await actors.api.owner.post<{ token: string; linkId: string }>(`/releases/${releaseId}/share-links`, {
      role,
    })
  ).body;

let people = 0;
async function newPerson() {
  people += 1;
  return signedInUser(stack, `limited-${people}@test.patchline.test`, `Lim ${people}`);
}

function expectThrottled(answer: Answer, limit: keyof ApiLimits, windowSeconds: number) {
  expect(answer.status).toBe(429);
  expect(answer.body).toEqual({
    error: 'rate-limited',
    message: expect.any(String),
    details: { limit, retryAfterSeconds: answer.retryAfter },
  });
  expect(answer.retryAfter).toBeGreaterThan(0);
  expect(answer.retryAfter).toBeLessThanOrEqual(windowSeconds);
}

describe('share links: per client', () => {
  it('previews and redemptions share 3 a minute per client, guesses included; then 429 with Retry-After, and nothing granted', async () => {
    const link = await newLink();
    const client = newClient();
    const [first, second] = [await newPerson(), await newPerson()];
    const answers = [
      await client.preview(link.token),
      await client.preview('A'.repeat(43)),
      await client.redeem(link.token, first.token),
      await client.preview(link.token),
      await client.redeem(link.token, second.token),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 200, 429, 429]);
    expectThrottled(answers[3]!, 'linkRequestsPerClientPerMinute', 60);
    expectThrottled(answers[4]!, 'linkRequestsPerClientPerMinute', 60);
    expect(await stack.stores.grants.get(releaseId, first.sub)).toMatchObject({
      role: 'viewer',
      via: 'link',
    });
    expect(await stack.stores.grants.get(releaseId, second.sub)).toBeNull();
    // Another client is not held back by this one.
    expect((await newClient().preview(link.token)).status).toBe(200);
  });

  it('is counted in DynamoDB: a second API instance (as a second Lambda would be) sees the same count', async () => {
    const { config } = stack;
    const deps = await createApiDeps({
      tableName: config.dynamodb.tableName,
      region: config.region,
      dynamoEndpoint: config.dynamodb.endpoint,
      userPoolId: config.cognito.userPoolId,
      clientId: config.cognito.clientId,
      localIssuer: config.cognito.issuer,
      cognitoEndpoint: config.cognito.endpoint,
      managementEndpoint: config.websocketManagementUrl,
      webUrl: config.webUrl,
    });
    const second: FastifyInstance = await buildApi(deps, { apiLimits: LIMITS });
    const secondUrl = await second.listen({ host: '127.0.0.1', port: 0 });
    try {
      const link = await newLink();
      // One client (one source address), whichever instance answers.
      const address = nextAddress();
      const [viaFirst, viaSecond] = [clientAt(address), clientAt(address, secondUrl)];
      const statuses = [
        (await viaFirst.preview(link.token)).status,
        (await viaSecond.preview(link.token)).status,
        (await viaFirst.preview(link.token)).status,
        (await viaSecond.preview(link.token)).status,
        (await viaFirst.preview(link.token)).status,
      ];
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await second.close();
      deps.stores.client.destroy();
    }
  });

  it('concurrent requests from one client never count past the limit', async () => {
    const link = await newLink();
    const client = newClient();
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => client.preview(link.token)))).map(
      (answer) => answer.status,
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
  });
});

describe('share links: per link', () => {
  it('2 redemptions of one link a minute, whoever redeems from wherever; the third is 429 and gets nothing', async () => {
    const link = await newLink('editor');
    const [a, b, c] = [await newPerson(), await newPerson(), await newPerson()];
    expect((await newClient().redeem(link.token, a.token)).status).toBe(200);
    expect((await newClient().redeem(link.token, b.token)).status).toBe(200);
    const third = await newClient().redeem(link.token, c.token);
    expectThrottled(third, 'redemptionsPerLinkPerMinute', 60);
    expect(await stack.stores.grants.get(releaseId, c.sub)).toBeNull();
    expect((await stack.stores.shareLinks.get(releaseId, link.linkId))?.uses).toBe(2);
    // Another link of the same release is not held back.
    expect((await newClient().redeem((await newLink('editor')).token, c.token)).status).toBe(200);
  });
});

describe('versions per person', () => {
  it('2 saved in 24 hours; the 3rd is 429 with Retry-After and saves nothing', async () => {
    const url = `/releases/${releaseId}/versions`;
    const save = (name: string) =>
      fetch(`${stack.config.apiUrl}${url}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${actors.token.editor}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
    for (const name of ['One', 'Two']) expect((await save(name)).status).toBe(201);
    const refused = await save('Three');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(23 * 3600);
    expect((await stack.stores.history.listVersions(releaseId)).map((v) => v.name)).toEqual(['Two', 'One']);
  });
});

describe('releases per person', () => {
  it('3 in 24 hours; the 4th is 429 with Retry-After and creates nothing; someone else still can', async () => {
    const person = await newPerson();
    const client = newClient();
    for (let i = 0; i < 3; i += 1) expect((await client.createRelease(person.token)).status).toBe(201);
    const refused = await client.createRelease(person.token);
    expectThrottled(refused, 'releasesPerUserPerDay', 24 * 3600);
    expect(refused.retryAfter).toBeGreaterThan(23 * 3600);
    const owned = (await stack.stores.grants.listForUser(person.sub)).filter((g) => g.role === 'owner');
    expect(owned).toHaveLength(3);
    expect((await client.createRelease((await newPerson()).token)).status).toBe(201);
  });

  it('5 at once from one person: exactly 3 are created', async () => {
    const person = await newPerson();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => newClient().createRelease(person.token)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 429, 429]);
    const owned = (await stack.stores.grants.listForUser(person.sub)).filter((g) => g.role === 'owner');
    expect(owned.map((g) => g.releaseId).sort()).toEqual(
      answers
        .filter((a) => a.status === 201)
        .map((a) => a.body.releaseId)
        .sort(),
    );
  });
});

describe('delivery checks per person', () => {
  it('3 a minute: each reads every release of the label, so a script cannot make the API do that without end', async () => {
    const person = await newPerson();
    const own = (await newClient().createRelease(person.token)).body.releaseId;
    const answers = [];
    // From different addresses: the limit is the person's, not the client's.
    for (let i = 0; i < 4; i += 1) answers.push(await newClient().checks(own, person.token));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expectThrottled(answers[3]!, 'labelChecksPerUserPerMinute', 60);
    // Someone else is not held back by this person.
    expect((await newClient().checks(releaseId, actors.token.owner)).status).toBe(200);
  });
});

describe('everything else', () => {
  it('other routes are not throttled', async () => {
    for (let i = 0; i < 10; i += 1) expect((await actors.api.outsider.get('/me')).status).toBe(200);
  });
});

describe('imports per person', () => {
  it('answers 429 with Retry-After past importsPerUserPerMinute, previews and applies counted alike', async () => {
    const user = await signedInUser(stack, `importer-${Date.now()}@test.patchline.test`, 'Ivy Importer');
    const api = apiClient(stack.config, user.token);
    const file = { fileName: 't.csv', contentBase64: Buffer.from('Track Title\r\nA\r\n').toString('base64') };
    expect((await api.post('/imports/preview', file)).status).toBe(200);
    expect((await api.post('/releases/import', file)).status).toBe(201);
    const refused = await api.post('/imports/preview', file);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toBe('You can import 2 files a minute. Try again in a minute.');
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  });
});
