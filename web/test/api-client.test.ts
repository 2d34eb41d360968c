import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from '../lib/api-client';

/**
 * What the client does when the API answers 401. The first case (a refused token, refreshed and
 * retried) runs for real in web/e2e/sessions.spec.ts; an API that refuses a freshly refreshed
 * token too cannot be produced with the real stack (it takes any valid token of the pool), so
 * these answers come from a stand-in `fetch` that replies by token.
 */
function harness(answerFor: (token: string) => number) {
  const sent: string[] = [];
  const events: string[] = [];
  let generation = 0;
  const client = createApiClient({
    baseUrl: 'https://api.example.test',
    getIdToken: async () => `token-${generation}`,
    refreshIdToken: async () => {
      generation += 1;
      events.push('refresh');
      return `token-${generation}`;
    },
    onUnauthorized: () => events.push('signed-out'),
    fetch: async (_url, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      const token = String(headers.authorization).replace('Bearer ', '');
      sent.push(token);
      const status = answerFor(token);
      return new Response(
        status === 200 ? '{"ok":true}' : JSON.stringify({ error: `http-${status}`, message: 'no' }),
        { status },
      );
    },
  });
  return { client, sent, events };
}

describe(createApiClient.name, () => {
  it('refreshes once and retries with the new token when the API refuses the current one', async () => {
    const { client, sent, events } = harness((token) => (token === 'token-0' ? 401 : 200));
    await expect(client.get('/me')).resolves.toEqual({ ok: true });
    expect(sent).toEqual(['token-0', 'token-1']);
    expect(events).toEqual(['refresh']);
  });

  it('signs out when the API refuses the refreshed token too, and does not loop', async () => {
    const { client, sent, events } = harness(() => 401);
    await expect(client.post('/releases', { title: 'x' })).rejects.toEqual(expect.any(ApiError));
    expect(sent).toEqual(['token-0', 'token-1']);
    expect(events).toEqual(['refresh', 'signed-out']);
  });

  it('does not refresh for refusals that are not about the token', async () => {
    const { client, sent, events } = harness(() => 403);
    await expect(client.delete('/releases/r1')).rejects.toMatchObject({ status: 403 });
    expect(sent).toEqual(['token-0']);
    expect(events).toEqual([]);
  });
});
