import type { ReleaseStatus } from '@patchline/shared';
import { randomId } from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ACTORS,
  type Actor,
  type Actors,
  type ApiClient,
  ownedRelease,
  signInActors,
} from '../support/api-actors.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/**
 * Every endpoint × every actor (permissions/SPEC.md AB1–AB19, issue 4 "Bad input and abuse").
 * Actors: the demo admin (`admins`) and manager (`managers`, no grant on these releases); `owner`
 * owns the release (no group); the demo editor and viewer hold direct grants on it; `outsider`
 * is signed in with no group and no grant; `anonymous` sends no token. A release the caller
 * cannot read answers 404, never 403; one it can read but may not act on answers 403.
 *
 * setup: `-` one shared draft release for the whole row; `fresh` a new draft per cell (the
 * request destroys or spends something); `review` / `approved` a new release in that status;
 * `delivered` one release delivered through the API (with a kept delivery), made once.
 */
const MATRIX = `
 endpoint                                          | setup    | admin | manager | owner | editor | viewer | outsider | anonymous
 GET    /health                                    | -        | 200   | 200     | 200   | 200    | 200    | 200      | 200
 GET    /docs/json                                 | -        | 200   | 200     | 200   | 200    | 200    | 200      | 200
 GET    /me                                        | -        | 200   | 200     | 200   | 200    | 200    | 200      | 401
 GET    /releases                                  | -        | 200   | 200     | 200   | 200    | 200    | 200      | 401
 POST   /releases                                  | -        | 201   | 201     | 201   | 201    | 201    | 201      | 401
 GET    /releases/:id                              | -        | 200   | 200     | 200   | 200    | 200    | 404      | 401
 DELETE /releases/:id                              | fresh    | 204   | 403     | 204   | 403    | 403    | 404      | 401
 GET    /releases/:id/export.json                  | -        | 200   | 200     | 200   | 200    | 200    | 404      | 401
 GET    /releases/:id/export.csv                   | -        | 200   | 200     | 200   | 200    | 200    | 404      | 401
 GET    /releases/:id/export.ddex.xml              | -        | 200   | 200     | 200   | 200    | 200    | 404      | 401
 GET    /releases/:id/deliveries                   | -        | 200   | 200     | 200   | 200    | 200    | 404      | 401
 GET    /releases/:id/deliveries/:d/export.ddex.xml | delivered | 200  | 200     | 200   | 200    | 200    | 404      | 401
 GET    /releases/:id/deliveries/:d/export.json    | delivered | 200   | 200     | 200   | 200    | 200    | 404      | 401
 GET    /releases/:id/checks                       | -        | 200   | 200     | 200   | 200    | 200    | 404      | 401
 GET    /releases/:id/members                      | -        | 200   | 200     | 200   | 200    | 200    | 404      | 401
 POST   /releases/:id/members {editor}             | -        | 201   | 201     | 201   | 403    | 403    | 404      | 401
 POST   /releases/:id/members {owner}              | -        | 201   | 201     | 403   | 403    | 403    | 404      | 401
 PATCH  /releases/:id/members/:member {editor}     | -        | 200   | 200     | 200   | 403    | 403    | 404      | 401
 PATCH  /releases/:id/members/:member {owner}      | fresh    | 200   | 200     | 403   | 403    | 403    | 404      | 401
 DELETE /releases/:id/members/:member              | fresh    | 204   | 204     | 204   | 403    | 403    | 404      | 401
 DELETE /releases/:id/invites/:email               | fresh    | 204   | 204     | 204   | 403    | 403    | 404      | 401
 GET    /releases/:id/audit                        | -        | 200   | 200     | 200   | 403    | 403    | 404      | 401
 POST   /releases/:id/share-links {editor}         | -        | 201   | 201     | 201   | 403    | 403    | 404      | 401
 GET    /releases/:id/share-links                  | -        | 200   | 200     | 200   | 403    | 403    | 404      | 401
 DELETE /releases/:id/share-links/:linkId          | fresh    | 204   | 204     | 204   | 403    | 403    | 404      | 401
 GET    /share-links/:token/preview                | -        | 200   | 200     | 200   | 200    | 200    | 200      | 200
 POST   /share-links/:token/redeem                 | fresh    | 200   | 200     | 200   | 200    | 200    | 200      | 401
 POST   /releases/:id/status {submit}              | fresh    | 200   | 200     | 200   | 200    | 403    | 404      | 401
 POST   /releases/:id/status {approve}             | review   | 200   | 200     | 403   | 403    | 403    | 404      | 401
 POST   /releases/:id/status {request_changes}     | review   | 200   | 200     | 403   | 403    | 403    | 404      | 401
 POST   /releases/:id/status {reopen}              | approved | 200   | 200     | 403   | 403    | 403    | 404      | 401
 POST   /releases/:id/status {deliver}             | approved | 200   | 200     | 403   | 403    | 403    | 404      | 401
 POST   /imports/preview                           | -        | 200   | 200     | 200   | 200    | 200    | 200      | 401
 POST   /releases/import                           | -        | 201   | 201     | 201   | 201    | 201    | 201      | 401
 POST   /releases/:id/import                       | fresh    | 200   | 200     | 200   | 200    | 403    | 404      | 401
 GET    /admin/users                               | -        | 200   | 403     | 403   | 403    | 403    | 403      | 401
 GET    /releases/:id/versions                     | -        | 200   | 200     | 200   | 200    | 200    | 404      | 401
 POST   /releases/:id/versions                     | -        | 201   | 201     | 201   | 201    | 403    | 404      | 401
 GET    /releases/:id/versions/:versionId          | -        | 200   | 200     | 200   | 200    | 200    | 404      | 401
 GET    /releases/:id/compare                      | -        | 200   | 200     | 200   | 200    | 200    | 404      | 401
 GET    /releases/:id/history                      | -        | 200   | 200     | 200   | 200    | 200    | 404      | 401
 POST   /releases/:id/versions/:versionId/restore  | -        | 200   | 200     | 200   | 200    | 403    | 404      | 401
 POST   /releases/:id/versions/:versionId/copy     | -        | 201   | 201     | 201   | 403    | 403    | 404      | 401
 GET    /releases/:id/activity                     | -        | 200   | 200     | 200   | 403    | 403    | 404      | 401
 PUT    /admin/users/:userId/manager               | -        | 200   | 403     | 403   | 403    | 403    | 403      | 401
`;

type Setup = '-' | 'fresh' | 'review' | 'approved' | 'delivered';
interface Row {
  endpoint: string;
  setup: Setup;
  expected: Record<Actor, number>;
}

function parseMatrix(text: string): Row[] {
  const [header, ...lines] = text
    .trim()
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()));
  expect(header).toEqual(['endpoint', 'setup', ...ACTORS]);
  return lines.map(([endpoint, setup, ...cells]) => ({
    endpoint: endpoint!.replace(/\s+/g, ' '),
    setup: setup as Setup,
    expected: Object.fromEntries(ACTORS.map((actor, i) => [actor, Number(cells[i])])) as Record<
      Actor,
      number
    >,
  }));
}

/** What a cell acts on: a release owned by `owner`, with a member, a link and a pending invite. */
interface Fixture {
  releaseId: string;
  /** A viewer with no account behind it (grants need only a user id). */
  memberId: string;
  linkId: string;
  token: string;
  inviteEmail: string;
  /** The kept delivery of a `delivered` fixture. */
  deliveryId?: string;
  /** A named version of the release as created. */
  versionId: string;
}

type Request = [method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, body?: unknown];

/** A spreadsheet with team fields only (a title), which every role that may edit may import. */
const IMPORT_FILE = {
  fileName: 'tracks.csv',
  contentBase64: Buffer.from('Track Title\r\nImported\r\n').toString('base64'),
};

/** How each row of the table is sent; `actor` keeps bodies distinct per cell where it matters. */
const REQUESTS: Record<string, (f: Fixture, actor: Actor) => Request> = {
  'GET /health': () => ['get', '/health'],
  'GET /docs/json': () => ['get', '/docs/json'],
  'GET /me': () => ['get', '/me'],
  'GET /releases': () => ['get', '/releases'],
  'POST /releases': (_, actor) => ['post', '/releases', { title: `By ${actor}` }],
  'GET /releases/:id': (f) => ['get', `/releases/${f.releaseId}`],
  'DELETE /releases/:id': (f) => ['delete', `/releases/${f.releaseId}`],
  'GET /releases/:id/export.json': (f) => ['get', `/releases/${f.releaseId}/export.json`],
  'GET /releases/:id/export.csv': (f) => ['get', `/releases/${f.releaseId}/export.csv`],
  'GET /releases/:id/export.ddex.xml': (f) => ['get', `/releases/${f.releaseId}/export.ddex.xml`],
  'GET /releases/:id/deliveries': (f) => ['get', `/releases/${f.releaseId}/deliveries`],
  'GET /releases/:id/deliveries/:d/export.ddex.xml': (f) => [
    'get',
    `/releases/${f.releaseId}/deliveries/${f.deliveryId}/export.ddex.xml`,
  ],
  'GET /releases/:id/deliveries/:d/export.json': (f) => [
    'get',
    `/releases/${f.releaseId}/deliveries/${f.deliveryId}/export.json`,
  ],
  'GET /releases/:id/checks': (f) => ['get', `/releases/${f.releaseId}/checks`],
  'GET /releases/:id/members': (f) => ['get', `/releases/${f.releaseId}/members`],
  'POST /releases/:id/members {editor}': (f, actor) => [
    'post',
    `/releases/${f.releaseId}/members`,
    { email: `new-editor-by-${actor}@nowhere.test`, role: 'editor' },
  ],
  'POST /releases/:id/members {owner}': (f, actor) => [
    'post',
    `/releases/${f.releaseId}/members`,
    { email: `new-owner-by-${actor}@nowhere.test`, role: 'owner' },
  ],
  'PATCH /releases/:id/members/:member {editor}': (f) => [
    'patch',
    `/releases/${f.releaseId}/members/${f.memberId}`,
    { role: 'editor' },
  ],
  'PATCH /releases/:id/members/:member {owner}': (f) => [
    'patch',
    `/releases/${f.releaseId}/members/${f.memberId}`,
    { role: 'owner' },
  ],
  'DELETE /releases/:id/members/:member': (f) => ['delete', `/releases/${f.releaseId}/members/${f.memberId}`],
  'DELETE /releases/:id/invites/:email': (f) => [
    'delete',
    `/releases/${f.releaseId}/invites/${f.inviteEmail}`,
  ],
  'GET /releases/:id/audit': (f) => ['get', `/releases/${f.releaseId}/audit`],
  'POST /releases/:id/share-links {editor}': (f) => [
    'post',
    `/releases/${f.releaseId}/share-links`,
    { role: 'editor' },
  ],
  'GET /releases/:id/share-links': (f) => ['get', `/releases/${f.releaseId}/share-links`],
  'DELETE /releases/:id/share-links/:linkId': (f) => [
    'delete',
    `/releases/${f.releaseId}/share-links/${f.linkId}`,
  ],
  'GET /share-links/:token/preview': (f) => ['get', `/share-links/${f.token}/preview`],
  'POST /share-links/:token/redeem': (f) => ['post', `/share-links/${f.token}/redeem`],
  'POST /releases/:id/status {submit}': (f) => [
    'post',
    `/releases/${f.releaseId}/status`,
    { transition: 'submit' },
  ],
  'POST /releases/:id/status {approve}': (f) => [
    'post',
    `/releases/${f.releaseId}/status`,
    { transition: 'approve' },
  ],
  'POST /releases/:id/status {request_changes}': (f) => [
    'post',
    `/releases/${f.releaseId}/status`,
    { transition: 'request_changes' },
  ],
  'POST /releases/:id/status {reopen}': (f) => [
    'post',
    `/releases/${f.releaseId}/status`,
    { transition: 'reopen' },
  ],
  'POST /releases/:id/status {deliver}': (f) => [
    'post',
    `/releases/${f.releaseId}/status`,
    { transition: 'deliver' },
  ],
  'POST /imports/preview': () => ['post', '/imports/preview', IMPORT_FILE],
  'POST /releases/import': () => ['post', '/releases/import', IMPORT_FILE],
  'POST /releases/:id/import': (f) => ['post', `/releases/${f.releaseId}/import`, IMPORT_FILE],
  'GET /admin/users': () => ['get', '/admin/users'],
  'GET /releases/:id/versions': (f) => ['get', `/releases/${f.releaseId}/versions`],
  'POST /releases/:id/versions': (f, actor) => [
    'post',
    `/releases/${f.releaseId}/versions`,
    { name: `By ${actor}` },
  ],
  'GET /releases/:id/versions/:versionId': (f) => ['get', `/releases/${f.releaseId}/versions/${f.versionId}`],
  'GET /releases/:id/compare': (f) => [
    'get',
    `/releases/${f.releaseId}/compare?from=${f.versionId}&to=current`,
  ],
  'GET /releases/:id/history': (f) => ['get', `/releases/${f.releaseId}/history?path=release.title`],
  // Nothing changed since the version: every cell restores nothing, so the row can share one release.
  'POST /releases/:id/versions/:versionId/restore': (f) => [
    'post',
    `/releases/${f.releaseId}/versions/${f.versionId}/restore`,
    {},
  ],
  'POST /releases/:id/versions/:versionId/copy': (f) => [
    'post',
    `/releases/${f.releaseId}/versions/${f.versionId}/copy`,
  ],
  'GET /releases/:id/activity': (f) => ['get', `/releases/${f.releaseId}/activity`],
  // Removing someone who is not a manager changes nothing, so every admin cell may repeat it.
  'PUT /admin/users/:userId/manager': () => [
    'put',
    `/admin/users/${actors.sub.outsider}/manager`,
    { isManager: false },
  ],
};

const STATUS_OF: Record<Exclude<Setup, '-' | 'delivered'>, ReleaseStatus> = {
  fresh: 'draft',
  review: 'in_review',
  approved: 'approved',
};

let stack: TestStack;
let actors: Actors;
let shared: Fixture;
let delivered: Promise<Fixture> | null = null;

/** An approved release delivered by the admin, and its kept delivery. */
async function makeDelivered(): Promise<Fixture> {
  const fixture = await makeFixture('approved');
  const deliver = await actors.api.admin.post(`/releases/${fixture.releaseId}/status`, {
    transition: 'deliver',
  });
  const list = await actors.api.admin.get<{ deliveries: { deliveryId: string }[] }>(
    `/releases/${fixture.releaseId}/deliveries`,
  );
  expect([deliver.status, list.body.deliveries.length]).toEqual([200, 1]);
  return { ...fixture, deliveryId: list.body.deliveries[0]!.deliveryId };
}

async function makeFixture(status: ReleaseStatus = 'draft'): Promise<Fixture> {
  const memberId = `member-${randomId(8)}`;
  const releaseId = await ownedRelease(stack, actors, { status, extra: { [memberId]: 'viewer' } });
  const owner = actors.api.owner;
  const link = await owner.post<{ linkId: string; token: string }>(`/releases/${releaseId}/share-links`, {
    role: 'viewer',
  });
  const inviteEmail = `pending-${randomId(8)}@nowhere.test`;
  const invite = await owner.post(`/releases/${releaseId}/members`, { email: inviteEmail, role: 'viewer' });
  const version = await owner.post<{ versionId: string }>(`/releases/${releaseId}/versions`, {
    name: 'Fixture',
  });
  expect([link.status, invite.status, version.status]).toEqual([201, 201, 201]);
  return {
    releaseId,
    memberId,
    linkId: link.body.linkId,
    token: link.body.token,
    inviteEmail,
    versionId: version.body.versionId,
  };
}

const send = (client: ApiClient, [method, path, body]: Request) =>
  method === 'get' || method === 'delete' ? client[method](path) : client[method](path, body);

beforeAll(async () => {
  const started = await startTestStack({ workers: 2 });
  stack = started.stack;
  actors = await signInActors(stack);
  shared = await makeFixture();
  return started.teardown;
});

describe('every endpoint × every actor', () => {
  const rows = parseMatrix(MATRIX);

  it('the table names every route of the OpenAPI document, and only those', async () => {
    const docs = await actors.api.anonymous.get<{ paths: Record<string, Record<string, unknown>> }>(
      '/docs/json',
    );
    const routes = Object.entries(docs.body.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const normalise = (route: string) => route.replace(/ \{.*\}$/, '').replace(/[:{][A-Za-z]+\}?/g, '*');
    const tabled = new Set(rows.map((row) => normalise(row.endpoint)));
    expect(new Set(routes.map(normalise))).toEqual(
      new Set([...tabled].filter((r) => r !== 'GET /docs/json')),
    );
    expect(Object.keys(REQUESTS).sort()).toEqual(rows.map((row) => row.endpoint).sort());
  });

  it.each(rows)('$endpoint', async ({ endpoint, setup, expected }) => {
    const request = REQUESTS[endpoint]!;
    const actual = {} as Record<Actor, number>;
    for (const actor of ACTORS) {
      if (setup === 'delivered') delivered ??= makeDelivered();
      const fixture =
        setup === '-'
          ? shared
          : setup === 'delivered'
            ? await delivered!
            : await makeFixture(STATUS_OF[setup]);
      actual[actor] = (await send(actors.api[actor], request(fixture, actor))).status;
    }
    expect(actual).toEqual(expected);
  });

  it('refusals carry { error, message } and never say more about an unreadable release', async () => {
    const id = shared.releaseId;
    const asOutsider = await actors.api.outsider.get(`/releases/${id}`);
    const unknown = await actors.api.outsider.get(`/releases/${randomId(16)}`);
    expect(asOutsider.body).toEqual(unknown.body);
    expect(asOutsider.body).toEqual({ error: 'not-found', message: expect.any(String) });
    const asViewer = await actors.api.viewer.delete(`/releases/${id}`);
    expect(asViewer.body).toEqual({ error: 'forbidden', message: expect.any(String) });
  });
});
