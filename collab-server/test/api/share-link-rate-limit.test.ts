import { beforeAll, describe, expect, it } from 'vitest';
import { type Actors, ownedRelease, signInActors } from '../support/api-actors.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/**
 * Link preview and redemption are rate-limited per client (issue 4: guessing tokens must be
 * slow). A stack of its own with a limit of 3 a minute, so no other suite is throttled.
 */
const LIMIT = 3;
let stack: TestStack;
let actors: Actors;
let releaseId: string;
let token: string;

beforeAll(async () => {
  const started = await startTestStack({
    workers: 2,
    apiOptions: { linkRateLimit: { max: LIMIT, timeWindow: 60_000 } },
  });
  stack = started.stack;
  actors = await signInActors(stack);
  releaseId = await ownedRelease(stack, actors, { title: 'Throttled' });
  token = (
    await actors.api.owner.post<{ token: string }>(`/releases/${releaseId}/share-links`, { role: 'viewer' })
  ).body.token;
  return started.teardown;
});

describe('share-link rate limiting', () => {
  it(`previews: ${LIMIT} a minute, then 429 with { error, message } and retry-after — guesses count too`, async () => {
    const statuses: number[] = [];
    for (const guess of [token, 'A'.repeat(43), token, token, 'B'.repeat(43)]) {
      statuses.push((await actors.api.anonymous.get(`/share-links/${guess}/preview`)).status);
    }
    expect(statuses).toEqual([200, 404, 200, 429, 429]);
    const throttled = await actors.api.anonymous.get(`/share-links/${token}/preview`);
    expect(throttled.status).toBe(429);
    expect(throttled.body).toEqual({ error: 'rate-limited', message: expect.any(String) });
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it(`redemptions: ${LIMIT} a minute per client, then 429, whoever signs in`, async () => {
    const statuses: number[] = [];
    for (const actor of ['viewer', 'outsider', 'editor', 'manager', 'admin'] as const) {
      statuses.push((await actors.api[actor].post(`/share-links/${token}/redeem`)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // The throttled callers got nothing; the outsider, let through, did.
    expect(await stack.stores.grants.get(releaseId, actors.sub.manager)).toBeNull();
    expect(await stack.stores.grants.get(releaseId, actors.sub.admin)).toBeNull();
    expect(await stack.stores.grants.get(releaseId, actors.sub.outsider)).toMatchObject({
      role: 'viewer',
      via: 'link',
    });
  });

  it('other routes are not throttled', async () => {
    for (let i = 0; i < LIMIT * 3; i += 1) expect((await actors.api.outsider.get('/me')).status).toBe(200);
  });
});
