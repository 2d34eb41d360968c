import { randomId } from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Actors, ownedRelease, partitionOf, signInActors } from '../support/api-actors.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/**
 * IDOR (AB23): the owner, editor and viewer of release A send release B's ids (B they cannot
 * read) to every id-taking route. Each answer is the 404 an unknown id gets, and nothing in B's
 * partition (nor A's) changes: no grant, link, invite, status, document update or audit event.
 */
let stack: TestStack;
let actors: Actors;
/** Owned by `owner`; the demo editor and viewer have direct grants. */
let releaseA: string;
/** Owned by someone with no account here; none of the actors has a grant. */
let releaseB: string;
const B_MEMBER = 'b-member';
let bLink: { linkId: string; token: string };
const B_INVITE = 'b-invitee@nowhere.test';

beforeAll(async () => {
  const started = await startTestStack({ workers: 2 });
  stack = started.stack;
  actors = await signInActors(stack);
  releaseA = await ownedRelease(stack, actors, { title: 'Release A' });
  releaseB = await ownedRelease(stack, actors, {
    title: 'Release B',
    ownerId: 'b-owner',
    extra: { [B_MEMBER]: 'viewer' },
  });
  // B's link and invite, made by label staff through the API.
  const link = await actors.api.admin.post<{ linkId: string; token: string }>(
    `/releases/${releaseB}/share-links`,
    {
      role: 'editor',
    },
  );
  bLink = link.body;
  expect(
    (await actors.api.admin.post(`/releases/${releaseB}/members`, { email: B_INVITE, role: 'editor' }))
      .status,
  ).toBe(201);
  return started.teardown;
});

type Attempt = [method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: unknown];

/** Every route that takes a release id, aimed at `id`. */
const releaseRoutes = (id: string, knownMember: string): Attempt[] => [
  ['get', `/releases/${id}`],
  ['delete', `/releases/${id}`],
  ['get', `/releases/${id}/export.json`],
  ['get', `/releases/${id}/export.csv`],
  ['get', `/releases/${id}/checks`],
  ['get', `/releases/${id}/members`],
  ['post', `/releases/${id}/members`, { email: 'sneaky@nowhere.test', role: 'editor' }],
  ['patch', `/releases/${id}/members/${knownMember}`, { role: 'owner' }],
  ['delete', `/releases/${id}/members/${knownMember}`],
  ['delete', `/releases/${id}/invites/${B_INVITE}`],
  ['get', `/releases/${id}/audit`],
  ['post', `/releases/${id}/share-links`, { role: 'editor' }],
  ['get', `/releases/${id}/share-links`],
  ['delete', `/releases/${id}/share-links/${bLink.linkId}`],
  ['post', `/releases/${id}/status`, { transition: 'submit' }],
];

async function send(actor: keyof Actors['api'], [method, path, body]: Attempt) {
  const client = actors.api[actor];
  const response =
    method === 'get' || method === 'delete' ? await client[method](path) : await client[method](path, body);
  return { route: `${method.toUpperCase()} ${path}`, status: response.status, body: response.body };
}

const untouched = async () => ({
  a: await partitionOf(stack, releaseA),
  b: await partitionOf(stack, releaseB),
  listing: await stack.stores.releases.get(releaseB),
});

describe('IDOR: ids of a release the caller cannot read', () => {
  it.each(['owner', 'editor', 'viewer'] as const)(
    "the %s of release A gets 404 on every route with release B's id, and nothing changes",
    async (actor) => {
      const before = await untouched();
      // B's ids answer exactly as ids that never existed do.
      const unknownId = randomId(16);
      for (const attempt of releaseRoutes(releaseB, B_MEMBER)) {
        const result = await send(actor, attempt);
        const unknown = await send(actor, [attempt[0], attempt[1].replace(releaseB, unknownId), attempt[2]]);
        expect({ route: result.route, status: result.status }).toEqual({ route: result.route, status: 404 });
        expect(result.body).toEqual(unknown.body);
      }
      expect(await untouched()).toEqual(before);
      // …and B's link still works for whoever holds its token (it was not revoked).
      const preview = await actors.api.anonymous.get(`/share-links/${bLink.token}/preview`);
      expect(preview.body).toMatchObject({ isExpired: false });
    },
  );

  it("the owner of A cannot reach B's member, link or invite through A's id", async () => {
    const before = await untouched();
    const attempts: Attempt[] = [
      ['patch', `/releases/${releaseA}/members/${B_MEMBER}`, { role: 'editor' }],
      ['delete', `/releases/${releaseA}/members/${B_MEMBER}`],
      ['delete', `/releases/${releaseA}/members/b-owner`],
      ['delete', `/releases/${releaseA}/share-links/${bLink.linkId}`],
      ['delete', `/releases/${releaseA}/invites/${B_INVITE}`],
    ];
    for (const attempt of attempts) {
      const result = await send('owner', attempt);
      expect({ route: result.route, status: result.status }).toEqual({ route: result.route, status: 404 });
    }
    expect(await untouched()).toEqual(before);
    expect((await stack.stores.grants.get(releaseB, B_MEMBER))?.role).toBe('viewer');
    expect((await stack.stores.shareLinks.get(releaseB, bLink.linkId))?.revokedAt).toBeNull();
  });

  it("A's lists never show B: releases, members and links are scoped to what the caller may read", async () => {
    const list = await actors.api.owner.get<{ releases: Array<{ releaseId: string }> }>('/releases');
    expect(list.body.releases.map((r) => r.releaseId)).toEqual([releaseA]);
    const members = await actors.api.owner.get<{ members: Array<{ userId: string | null }> }>(
      `/releases/${releaseA}/members`,
    );
    expect(members.body.members.map((m) => m.userId)).not.toContain(B_MEMBER);
    const links = await actors.api.owner.get<{ links: Array<{ linkId: string }> }>(
      `/releases/${releaseA}/share-links`,
    );
    expect(links.body.links.map((l) => l.linkId)).not.toContain(bLink.linkId);
  });

  it('admin user ids: an unknown user is 404 for an admin, 403 for everyone else', async () => {
    expect(
      (await actors.api.admin.put('/admin/users/no-such-user/manager', { isManager: true })).status,
    ).toBe(404);
    expect(
      (await actors.api.owner.put(`/admin/users/${actors.sub.owner}/manager`, { isManager: true })).status,
    ).toBe(403);
    const groups = await actors.api.admin.get<{ users: Array<{ userId: string; groups: string[] }> }>(
      '/admin/users',
    );
    expect(groups.body.users.find((u) => u.userId === actors.sub.owner)?.groups).toEqual([]);
  });

  it('unknown member, link and invite ids of a readable release are 404; malformed ids are 400 with the field', async () => {
    for (const attempt of [
      ['patch', `/releases/${releaseA}/members/nobody`, { role: 'viewer' }],
      ['delete', `/releases/${releaseA}/members/nobody`],
      ['delete', `/releases/${releaseA}/share-links/${randomId(12)}`],
      ['delete', `/releases/${releaseA}/invites/nobody@nowhere.test`],
    ] satisfies Attempt[]) {
      const result = await send('owner', attempt);
      expect({ route: result.route, status: result.status }).toEqual({ route: result.route, status: 404 });
    }
    const malformed = [
      ['get', '/releases/not.an.id', 'params.releaseId'],
      ['delete', `/releases/${releaseA}/share-links/..%2F..`, 'params.linkId'],
      ['delete', `/releases/${releaseA}/invites/not-an-email`, 'params.email'],
    ] as const;
    for (const [method, path, field] of malformed) {
      const result = await send('owner', [method, path]);
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({
        error: 'invalid-request',
        details: [expect.objectContaining({ field })],
      });
    }
  });
});
