import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, createPatchlineApi, queryString } from '../lib/api-client';

/**
 * The typed client's side of the contract: which request each endpoint sends and what it does
 * with an answer that is not the contract's shape. The answers come from a stand-in `fetch` that
 * records requests (as in api-client.test.ts); the real API answers these in the e2e specs.
 */
function harness(answer: (url: URL, init: RequestInit) => { status: number; body?: unknown }) {
  const sent: Array<{ method: string; path: string; body: unknown }> = [];
  const client = createApiClient({
    baseUrl: 'https://api.example.test',
    getIdToken: async () => 'token',
    refreshIdToken: async () => 'token',
    onUnauthorized: () => {},
    fetch: async (input, init = {}) => {
      const url = new URL(String(input));
      sent.push({
        method: init.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
      });
      const { status, body } = answer(url, init);
      return new Response(body === undefined ? null : JSON.stringify(body), { status });
    },
  });
  return { api: createPatchlineApi(client), sent };
}

const version = {
  versionId: 'v1',
  seq: 4,
  kind: 'named',
  name: 'Sent to distributor',
  status: 'draft',
  createdAt: '2026-12-03T10:00:00.000Z',
  createdBy: { userId: 'u1', name: 'Mo Manager' },
  contributors: [{ userId: 'u1', name: 'Mo Manager' }],
  summary: 'UPC set',
};

describe(createPatchlineApi.name, () => {
  it('sends each history request to its route, ids and query values encoded', async () => {
    const { api, sent } = harness((url) => {
      if (url.pathname.endsWith('/compare'))
        return {
          status: 200,
          body: {
            diff: { release: [], tracks: { added: [], removed: [], moved: [], changed: [] }, notes: null },
          },
        };
      if (url.pathname.endsWith('/activity')) return { status: 200, body: { items: [], nextCursor: null } };
      if (url.pathname.endsWith('/restore')) return { status: 200, body: { restored: ['release.upc'] } };
      if (url.pathname.endsWith('/history')) return { status: 200, body: { entries: [] } };
      return { status: 201, body: version };
    });
    await api.history.compare('r1', 'v 1', 'current');
    await api.history.activity('r1', { kinds: ['edit', 'status'], limit: 50, cursor: null });
    await api.history.field('r1', 'tracks.t1.isrc');
    await expect(api.history.restore('r1', 'v1', { paths: ['release.upc'] })).resolves.toEqual({
      restored: ['release.upc'],
    });
    await expect(api.history.saveVersion('r1', { name: 'Sent to distributor' })).resolves.toEqual(version);
    expect(sent).toEqual([
      { method: 'GET', path: '/releases/r1/compare?from=v+1&to=current', body: undefined },
      { method: 'GET', path: '/releases/r1/activity?kinds=edit%2Cstatus&limit=50', body: undefined },
      { method: 'GET', path: '/releases/r1/history?path=tracks.t1.isrc', body: undefined },
      { method: 'POST', path: '/releases/r1/versions/v1/restore', body: { paths: ['release.upc'] } },
      { method: 'POST', path: '/releases/r1/versions', body: { name: 'Sent to distributor' } },
    ]);
  });

  it('turns an answer that is not the contract’s shape into an ApiError, not data', async () => {
    const { api } = harness(() => ({ status: 200, body: { versions: [{ ...version, kind: 'weekly' }] } }));
    const failure = api.history.versions('r1');
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ error: 'invalid-response' });
  });

  it('passes the API’s refusals through with their status and message', async () => {
    const { api } = harness(() => ({
      status: 409,
      body: { error: 'conflict', message: 'The release is approved: nothing can be restored into it now' },
    }));
    await expect(api.history.restore('r1', 'v1', {})).rejects.toMatchObject({
      status: 409,
      message: 'The release is approved: nothing can be restored into it now',
    });
  });

  it('exports a version through ?version=, and the current sheet without it', async () => {
    const { api, sent } = harness(() => ({ status: 200, body: {} }));
    await api.releases.export('r1', 'csv', 'v1');
    await api.releases.export('r1', 'ddex.xml');
    expect(sent.map((request) => request.path)).toEqual([
      '/releases/r1/export.csv?version=v1',
      '/releases/r1/export.ddex.xml',
    ]);
  });
});

describe(queryString.name, () => {
  it('leaves out empty values and answers nothing when none is left', () => {
    expect(queryString({ q: '', status: undefined, cursor: null })).toBe('');
    expect(queryString({ q: 'night drives', limit: 50 })).toBe('?q=night+drives&limit=50');
  });
});
