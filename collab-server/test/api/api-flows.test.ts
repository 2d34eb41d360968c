import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { idTokenOf } from '../support/sign-in.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

let stack: TestStack;
let as: Record<'admin' | 'manager' | 'editor' | 'viewer', ReturnType<typeof apiClient>>;

beforeAll(async () => {
  const started = await startTestStack({ workers: 2 });
  stack = started.stack;
  as = {
    admin: apiClient(stack.config, await idTokenOf(stack.config, 'admin')),
    manager: apiClient(stack.config, await idTokenOf(stack.config, 'manager')),
    editor: apiClient(stack.config, await idTokenOf(stack.config, 'editor')),
    viewer: apiClient(stack.config, await idTokenOf(stack.config, 'viewer')),
  };
  return started.teardown;
});

describe('REST API flows', () => {
  it('serves health and the OpenAPI document without auth', async () => {
    const anonymous = apiClient(stack.config);
    expect((await anonymous.get('/health')).status).toBe(200);
    const docs = await anonymous.get<{ paths: Record<string, unknown> }>('/docs/json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toContain('/releases/{releaseId}/share-links');
    expect((await anonymous.get('/releases')).status).toBe(401);
  });

  it('creates, lists, shares by link, redeems and exports', async () => {
    const created = await as.editor.post<{ releaseId: string }>('/releases', {
      title: 'Side Project',
      trackCount: 2,
    });
    expect(created.status).toBe(201);
    const id = created.body.releaseId;
    const mine = await as.editor.get<{ releases: Array<{ releaseId: string; role: string }> }>(
      '/releases?q=side',
    );
    expect(mine.body.releases).toEqual([expect.objectContaining({ releaseId: id, role: 'owner' })]);
    expect((await as.viewer.get(`/releases/${id}`)).status).toBe(404);

    const link = await as.editor.post<{ token: string; url: string }>(`/releases/${id}/share-links`, {
      role: 'viewer',
    });
    expect(link.status).toBe(201);
    const preview = await apiClient(stack.config).get(`/share-links/${link.body.token}/preview`);
    expect(preview.body).toEqual({ releaseTitle: 'Side Project', role: 'viewer', isExpired: false });
    const redeemed = await as.viewer.post(`/share-links/${link.body.token}/redeem`);
    expect(redeemed.body).toMatchObject({ releaseId: id, role: 'viewer' });
    expect((await as.viewer.get(`/releases/${id}`)).status).toBe(200);

    const members = await as.viewer.get<{ members: Array<{ role: string; via: string }> }>(
      `/releases/${id}/members`,
    );
    expect(members.body.members.map((m) => [m.role, m.via])).toEqual([
      ['owner', 'owner'],
      ['viewer', 'link'],
    ]);
    const csv = await as.viewer.get<string>(`/releases/${id}/export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect((await as.viewer.delete(`/releases/${id}`)).status).toBe(403);
    expect((await as.editor.delete(`/releases/${id}`)).status).toBe(204);
    expect((await as.viewer.get(`/releases/${id}`)).status).toBe(404);
  });

  it('runs the status workflow with readiness checks', async () => {
    const id = stack.demoReleaseId;
    expect((await as.viewer.post(`/releases/${id}/status`, { transition: 'submit' })).status).toBe(403);
    const submitted = await as.editor.post(`/releases/${id}/status`, { transition: 'submit' });
    expect(submitted.body).toMatchObject({ status: 'in_review' });
    expect((await as.editor.post(`/releases/${id}/status`, { transition: 'approve' })).status).toBe(403);
    expect((await as.manager.post(`/releases/${id}/status`, { transition: 'approve' })).body).toMatchObject({
      status: 'approved',
    });
    expect((await as.manager.post(`/releases/${id}/status`, { transition: 'reopen' })).body).toMatchObject({
      status: 'draft',
    });
    const empty = await as.editor.post<{ releaseId: string }>('/releases', { title: 'Empty' });
    const refused = await as.editor.post<{ details: Array<{ path: string }> }>(
      `/releases/${empty.body.releaseId}/status`,
      { transition: 'submit' },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.details.map((p) => p.path)).toContain('release.upc');
  });

  it('rejects invalid bodies with field-level details', async () => {
    const response = await as.manager.post<{ details: Array<{ field: string }> }>(
      `/releases/${stack.demoReleaseId}/members`,
      {
        email: 'not-an-email',
        role: 'god',
      },
    );
    expect(response.status).toBe(400);
    expect(response.body.details.map((d) => d.field).sort()).toEqual(['body.email', 'body.role']);
  });
});
