import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { readReleaseFields, setReleaseField } from '@patchline/shared';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLocalCognitoClient } from '../../src/local-stack/bootstrap-cognito.js';
import { type Actors, ownedRelease, signedInUser, signInActors } from '../support/api-actors.js';
import { apiClient } from '../support/api-client.js';
import { cognitoLocalKey, decodeJwt as decodeParts, signJwt } from '../support/forge-token.js';
import { decodeJwt } from '../support/jwt.js';
import { connectRelease, nextEvent } from '../support/release-client.js';
import { signIn } from '../support/sign-in.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/** Members, invites, the audit trail, live role changes and label groups (AB5–AB14). */
let stack: TestStack;
let actors: Actors;

beforeAll(async () => {
  const started = await startTestStack({ workers: 2 });
  stack = started.stack;
  actors = await signInActors(stack);
  return started.teardown;
});

interface Member {
  userId: string | null;
  email: string;
  role: string;
  via: string;
  isPending: boolean;
}
const membersOf = async (releaseId: string) =>
  (await actors.api.owner.get<{ members: Member[] }>(`/releases/${releaseId}/members`)).body.members;
/**
 * The code cognito-local generated for a sign-up, from its pool file under the stack's data
 * directory: locally no email goes out, so this stands in for reading one.
 */
function confirmationCodeOf(email: string): string | undefined {
  const poolFile = join(
    dirname(stack.configPath),
    'cognito',
    'db',
    `${stack.config.cognito.userPoolId}.json`,
  );
  const pool = JSON.parse(readFileSync(poolFile, 'utf8')) as {
    Users?: Record<
      string,
      { ConfirmationCode?: string; Attributes?: Array<{ Name: string; Value: string }> }
    >;
  };
  return Object.values(pool.Users ?? {}).find((user) =>
    user.Attributes?.some((attribute) => attribute.Name === 'email' && attribute.Value === email),
  )?.ConfirmationCode;
}
const roleIn = async (releaseId: string, userId: string) =>
  (await stack.stores.grants.get(releaseId, userId))?.role;

describe('members', () => {
  it('a second grant to a member is a conflict (409): change their role instead', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const again = await actors.api.owner.post(`/releases/${releaseId}/members`, {
      email: actors.email.editor,
      role: 'viewer',
    });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'conflict', message: expect.any(String) });
    const granted = await actors.api.owner.post(`/releases/${releaseId}/members`, {
      email: actors.email.outsider.toUpperCase(),
      role: 'viewer',
    });
    expect(granted).toMatchObject({ status: 201, body: { userId: actors.sub.outsider, isPending: false } });
    expect(
      (
        await actors.api.manager.post(`/releases/${releaseId}/members`, {
          email: actors.email.outsider,
          role: 'editor',
        })
      ).status,
    ).toBe(409);
    expect(await roleIn(releaseId, actors.sub.outsider)).toBe('viewer');
  });

  it('an owner grants editor and viewer but never owner; a manager may', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const refused = await actors.api.owner.post(`/releases/${releaseId}/members`, {
      email: actors.email.outsider,
      role: 'owner',
    });
    expect(refused.status).toBe(403);
    expect(await roleIn(releaseId, actors.sub.outsider)).toBeUndefined();
    expect(
      (await actors.api.owner.patch(`/releases/${releaseId}/members/${actors.sub.editor}`, { role: 'owner' }))
        .status,
    ).toBe(403);
    expect(await roleIn(releaseId, actors.sub.editor)).toBe('editor');
    // An editor or viewer grants nothing, not even viewer.
    for (const actor of ['editor', 'viewer'] as const) {
      const attempt = await actors.api[actor].post(`/releases/${releaseId}/members`, {
        email: actors.email.outsider,
        role: 'viewer',
      });
      expect(attempt.status).toBe(403);
    }
    const byManager = await actors.api.manager.post(`/releases/${releaseId}/members`, {
      email: actors.email.outsider,
      role: 'owner',
    });
    expect(byManager.status).toBe(201);
    expect(await roleIn(releaseId, actors.sub.outsider)).toBe('owner');
    // Now a co-owner: an owner cannot take the owner role away from them either.
    expect(
      (
        await actors.api.owner.patch(`/releases/${releaseId}/members/${actors.sub.outsider}`, {
          role: 'viewer',
        })
      ).status,
    ).toBe(403);
    expect(
      (await actors.api.owner.delete(`/releases/${releaseId}/members/${actors.sub.outsider}`)).status,
    ).toBe(403);
    expect(await roleIn(releaseId, actors.sub.outsider)).toBe('owner');
  });

  it('the last owner cannot leave nor be demoted (409); with a second owner they can', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const leave = await actors.api.owner.delete(`/releases/${releaseId}/members/${actors.sub.owner}`);
    expect(leave.status).toBe(409);
    const demote = await actors.api.manager.patch(`/releases/${releaseId}/members/${actors.sub.owner}`, {
      role: 'editor',
    });
    expect(demote.status).toBe(409);
    expect((await actors.api.admin.delete(`/releases/${releaseId}/members/${actors.sub.owner}`)).status).toBe(
      409,
    );
    expect(await roleIn(releaseId, actors.sub.owner)).toBe('owner');

    expect(
      (
        await actors.api.manager.patch(`/releases/${releaseId}/members/${actors.sub.editor}`, {
          role: 'owner',
        })
      ).status,
    ).toBe(200);
    expect((await actors.api.owner.delete(`/releases/${releaseId}/members/${actors.sub.owner}`)).status).toBe(
      204,
    );
    expect((await actors.api.owner.get(`/releases/${releaseId}`)).status).toBe(404);
    expect(
      (await actors.api.editor.delete(`/releases/${releaseId}/members/${actors.sub.editor}`)).status,
    ).toBe(409);
  });

  it('anyone may leave a release', async () => {
    const releaseId = await ownedRelease(stack, actors);
    for (const actor of ['viewer', 'editor'] as const) {
      expect(
        (await actors.api[actor].delete(`/releases/${releaseId}/members/${actors.sub[actor]}`)).status,
      ).toBe(204);
      expect((await actors.api[actor].get(`/releases/${releaseId}`)).status).toBe(404);
    }
    expect((await membersOf(releaseId)).map((m) => m.userId)).toEqual([actors.sub.owner]);
  });

  it('an invite to an email without an account is pending, and becomes a grant when that email signs in', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const email = 'not-yet-signed-up@test.patchline.test';
    const invited = await actors.api.owner.post(`/releases/${releaseId}/members`, { email, role: 'editor' });
    expect(invited).toMatchObject({
      status: 201,
      body: { userId: null, email, role: 'editor', isPending: true },
    });
    expect((await membersOf(releaseId)).at(-1)).toEqual({
      userId: null,
      email,
      name: email,
      role: 'editor',
      via: 'invite',
      isPending: true,
    });

    const newcomer = await signedInUser(stack, email, 'Nia Newcomer');
    const api = apiClient(stack.config, newcomer.token);
    expect((await api.get('/me')).body).toMatchObject({ userId: newcomer.sub, email });
    expect(await stack.stores.grants.get(releaseId, newcomer.sub)).toMatchObject({
      role: 'editor',
      via: 'direct',
    });
    expect(await stack.stores.invites.listForRelease(releaseId)).toEqual([]);
    expect((await api.get(`/releases/${releaseId}`)).body).toMatchObject({ role: 'editor' });
    const listed = (await membersOf(releaseId)).find((m) => m.email === email);
    expect(listed).toMatchObject({ userId: newcomer.sub, isPending: false });
  });

  it('an invite is not taken by an account whose email Cognito has not verified', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const email = 'unverified-claimant@test.patchline.test';
    expect(
      (await actors.api.owner.post(`/releases/${releaseId}/members`, { email, role: 'editor' })).status,
    ).toBe(201);
    const claimant = await signedInUser(stack, email, 'Una Verified', { emailVerified: false });
    expect(decodeJwt(claimant.token).email_verified).toBe(false);
    const api = apiClient(stack.config, claimant.token);
    expect((await api.get('/releases')).status).toBe(200); // where invites are taken
    expect(await stack.stores.grants.get(releaseId, claimant.sub)).toBeNull();
    expect((await api.get(`/releases/${releaseId}`)).status).toBe(404);
    expect((await membersOf(releaseId)).find((m) => m.email === email)).toMatchObject({ isPending: true });
  });

  it('a sign-up confirmed with the emailed code has a verified email, and takes its invite', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const email = 'signs-up-later@test.patchline.test';
    await actors.api.owner.post(`/releases/${releaseId}/members`, { email, role: 'viewer' });
    const cognito = createLocalCognitoClient(stack.config.cognito.endpoint, stack.config.region);
    onTestFinished(() => cognito.destroy());
    const password = stack.config.demo!.password;
    await cognito.send(
      new SignUpCommand({
        ClientId: stack.config.cognito.clientId,
        Username: email,
        Password: password,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'name', Value: 'Sam Signup' },
        ],
      }),
    );
    const code = confirmationCodeOf(email);
    expect(code).toMatch(/^\d+$/);
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: stack.config.cognito.clientId,
        Username: email,
        ConfirmationCode: code,
      }),
    );
    const token = (await signIn(stack.config, email, password)).getIdToken().getJwtToken();
    expect(decodeJwt(token).email_verified).toBe(true);
    const api = apiClient(stack.config, token);
    expect((await api.get('/releases')).status).toBe(200);
    expect((await api.get(`/releases/${releaseId}`)).body).toMatchObject({ role: 'viewer' });
  });

  it('the audit trail lists grants, role changes, revocations, invites, links and status changes', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const path = `/releases/${releaseId}`;
    await actors.api.owner.post(`${path}/members`, { email: actors.email.outsider, role: 'viewer' });
    await actors.api.owner.patch(`${path}/members/${actors.sub.outsider}`, { role: 'editor' });
    await actors.api.owner.delete(`${path}/members/${actors.sub.outsider}`);
    await actors.api.owner.post(`${path}/members`, { email: 'later@nowhere.test', role: 'viewer' });
    const link = await actors.api.owner.post<{ linkId: string; token: string }>(`${path}/share-links`, {
      role: 'viewer',
    });
    // Not the outsider: removed by the owner above, links no longer let them in.
    await actors.api.manager.post(`/share-links/${link.body.token}/redeem`);
    await actors.api.owner.delete(`${path}/share-links/${link.body.linkId}`);
    await actors.api.editor.post(`${path}/status`, { transition: 'submit' });

    const audit = await actors.api.manager.get<{
      events: Array<{ action: string; actorId: string; target?: string }>;
    }>(`${path}/audit`);
    // Newest first; events in the same millisecond have no defined order, so compare as sets.
    const key = ([action, actor]: string[]) => `${action} ${actor}`;
    const events = audit.body.events.map((e) => key([e.action, e.actorId]));
    expect(events.sort()).toEqual(
      [
        ['member.granted', actors.sub.owner],
        ['member.role-changed', actors.sub.owner],
        ['member.revoked', actors.sub.owner],
        ['member.invited', actors.sub.owner],
        ['link.created', actors.sub.owner],
        ['link.redeemed', actors.sub.manager],
        ['link.revoked', actors.sub.owner],
        ['status.changed', actors.sub.editor],
      ]
        .map(key)
        .sort(),
    );
    expect(audit.body.events.find((e) => e.action === 'status.changed')).toMatchObject({ target: 'submit' });
  });

  it('a live editor downgraded through the API is told at once and refused; revoked, it is disconnected', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Live' });
    const editor = connectRelease(stack.config.websocketUrl, releaseId, actors.token.editor);
    await editor.whenSynced();
    const member = `/releases/${releaseId}/members/${actors.sub.editor}`;

    const roleChanged = nextEvent<{ role: string }>(editor, 'role-changed');
    expect((await actors.api.owner.patch(member, { role: 'viewer' })).body).toMatchObject({ role: 'viewer' });
    expect(await roleChanged).toMatchObject({ role: 'viewer' });
    const rejected = nextEvent<{ reason: string }>(editor, 'rejected');
    setReleaseField(editor.doc, 'title', 'Edited after the downgrade');
    expect(await rejected).toMatchObject({ reason: 'read-only' });
    // A refusal makes the client start over on a fresh document and connection: live again
    // before the revocation, which is what this test is about. (Revoked while that handshake is
    // under way, the handshake is refused and the client is not told why: README.md, "Known
    // limits".)
    await editor.whenSynced();
    const stored = await stack.stores.documents.load(releaseId);
    expect(readReleaseFields(stored!.doc).title).toBe('Live');

    const revoked = nextEvent<{ message: string }>(editor, 'revoked');
    const closed = new Promise<void>((resolve) =>
      editor.on('status', (s) => s === 'disconnected' && resolve()),
    );
    expect((await actors.api.owner.delete(member)).status).toBe(204);
    await revoked;
    await closed;
    expect(editor.isRevoked).toBe(true);
    const connections = await stack.stores.connections.listForRelease(releaseId);
    expect(connections.filter((c) => c.userId === actors.sub.editor)).toEqual([]);
  });
});

describe('label groups', () => {
  it('an admin promotes a user to managers and demotes them again, effective at once for the tokens in hand', async () => {
    const email = 'promoted@test.patchline.test';
    const user = await signedInUser(stack, email, 'Pat Promoted');
    await ownedRelease(stack, actors, { title: 'Not theirs' });
    const allIds = (await stack.stores.releases.listAll()).map((r) => r.releaseId).sort();
    const listed = async (token: string) =>
      (
        await apiClient(stack.config, token).get<{ releases: Array<{ releaseId: string }> }>('/releases')
      ).body.releases
        .map((r) => r.releaseId)
        .sort();
    expect(await listed(user.token)).toEqual([]);

    const promoted = await actors.api.admin.put(`/admin/users/${user.sub}/manager`, { isManager: true });
    expect(promoted).toMatchObject({ status: 200, body: { userId: user.sub, groups: ['managers'] } });
    // At once, with the token in hand (it says no groups): the groups an admin set decide.
    expect(await listed(user.token)).toEqual(allIds);
    const managerToken = (await signedInUser(stack, email, 'Pat Promoted')).token;
    expect(decodeJwt(managerToken)['cognito:groups']).toContain('managers');
    expect(await listed(managerToken)).toEqual(allIds);

    const users = await actors.api.admin.get<{ users: Array<{ userId: string; groups: string[] }> }>(
      '/admin/users',
    );
    expect(users.body.users.find((u) => u.userId === user.sub)?.groups).toEqual(['managers']);

    // The manager token as Cognito would have issued it a few seconds before the demotion.
    const { header, payload } = decodeParts(managerToken);
    const earlierToken = signJwt(header, { ...payload, iat: Number(payload.iat) - 5 }, cognitoLocalKey());
    expect(await listed(earlierToken)).toEqual(allIds);
    const demoted = await actors.api.admin.put(`/admin/users/${user.sub}/manager`, { isManager: false });
    expect(demoted).toMatchObject({ status: 200, body: { groups: [] } });
    // Signed out: it is refused now. The token in hand is refused too, or, issued in the very
    // second of the demotion, lists nothing: either way no manager power is left in it.
    const stale = await apiClient(stack.config, earlierToken).get('/releases');
    expect(stale).toMatchObject({ status: 401, body: { error: 'expired-token' } });
    const inHand = await apiClient(stack.config, managerToken).get<{ releases: unknown[] }>('/releases');
    expect(inHand.status === 401 ? [] : inHand.body.releases).toEqual([]);
    const plainToken = (await signedInUser(stack, email, 'Pat Promoted')).token;
    expect(decodeJwt(plainToken)['cognito:groups'] ?? []).not.toContain('managers');
    expect(await listed(plainToken)).toEqual([]);
  });
});
