import { beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/api-actors.js';
import { apiClient } from '../support/api-client.js';
import { idTokenOf } from '../support/sign-in.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

let stack: TestStack;
/** Every line the REST API logged, as the Lambda would write them to CloudWatch. */
const logLines: string[] = [];
/** Link previews and redemptions per client per minute, low enough to reach here. */
const LINK_REQUESTS_PER_MINUTE = 8;

beforeAll(async () => {
  const started = await startTestStack({
    workers: 1,
    apiOptions: {
      logger: true,
      logStream: { write: (line) => logLines.push(line) },
      apiLimits: { linkRequestsPerClientPerMinute: LINK_REQUESTS_PER_MINUTE },
    },
  });
  stack = started.stack;
  return started.teardown;
});

/** A raw request: odd paths the API client would not send. */
const send = (method: string, path: string, token?: string) =>
  fetch(`${stack.config.apiUrl}${path}`, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('share tokens in the REST API log', () => {
  it('never appear, whatever happens to the request that carries one', async () => {
    const manager = apiClient(stack.config, await idTokenOf(stack.config, 'manager'));
    const redeemer = await signedInUser(stack, 'redeemer@test.patchline.test', 'Rae Redeemer');
    const created = await manager.post<{ token: string; linkId: string }>(
      `/releases/${stack.demoReleaseId}/share-links`,
      { role: 'editor' },
    );
    expect(created.status).toBe(201);
    const { token, linkId } = created.body;
    const start = logLines.length;

    // The normal life of a link: a preview, a redemption…
    expect((await send('GET', `/share-links/${token}/preview`)).status).toBe(200);
    expect((await send('POST', `/share-links/${token}/redeem`, redeemer.token)).status).toBe(200);
    // …paths that reach no route (logged by Fastify as "Route … not found", the URL in the message)…
    expect((await send('POST', `/share-links/${token}/redeem/`, redeemer.token)).status).toBe(404);
    expect((await send('POST', `//share-links/${token}/redeem`, redeemer.token)).status).toBe(404);
    expect((await send('POST', `/SHARE-LINKS/${token}/REDEEM`, redeemer.token)).status).toBe(404);
    expect((await send('GET', `/share-links/${token}`)).status).toBe(404);
    // …refusals: no sign-in, a revoked link, the rate limit.
    expect((await send('POST', `/share-links/${token}/redeem`)).status).toBe(401);
    expect((await manager.delete(`/releases/${stack.demoReleaseId}/share-links/${linkId}`)).status).toBe(204);
    expect(
      (await send('POST', `/share-links/${token}/redeem`, redeemer.token)).status,
    ).toBeGreaterThanOrEqual(400);
    let status = 0;
    for (let i = 0; i <= LINK_REQUESTS_PER_MINUTE && status !== 429; i++)
      status = (await send('GET', `/share-links/${token}/preview?from=mail`)).status;
    expect(status).toBe(429);

    const logged = logLines.slice(start);
    // The requests were logged (a log with nothing in it would pass trivially)…
    const urls = logged
      .map((line) => (JSON.parse(line) as { req?: { url?: string } }).req?.url)
      .filter(Boolean);
    expect(urls).toContain('/share-links/[redacted]/redeem');
    expect(urls).toContain('/share-links/[redacted]/preview?from=mail');
    expect(logged.some((line) => line.includes('not found'))).toBe(true);
    // …and not one line holds the token, or a telling piece of it.
    for (const line of logged) {
      expect(line).not.toContain(token);
      expect(line).not.toContain(token.slice(0, 12));
      expect(line).not.toContain(token.slice(-12));
    }
  });
});
