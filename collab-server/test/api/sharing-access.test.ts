import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Actors,
  type ApiClient,
  ownedRelease,
  type SignedInActor,
  signedInUser,
  signInActors,
} from '../support/api-actors.js';
import { apiClient } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/**
 * Issue 12: removal is sticky (a removed member does not come back through a link), links have
 * a use limit by default, a link stops working when its creator may no longer share, and
 * editors and viewers see other members' names and roles, never their email addresses.
 */
let stack: TestStack;
let actors: Actors;

beforeAll(async () => {
  const started = await startTestStack({ workers: 2 });
  stack = started.stack;
  actors = await signInActors(stack);
  return started.teardown;
});

let newcomers = 0;
/** A new signed-in user with no group and no grant, and their API client. */
async function newcomer() {
  newcomers += 1;
  const email = `sharer-${newcomers}@test.patchline.test`;
  const user = await signedInUser(stack, email, `Sam Sharer ${newcomers}`);
  return { ...user, email, api: apiClient(stack.config, user.token) };
}

async function createLink(releaseId: string, body: Record<string, unknown>, as: ApiClient) {
  const response = await as.post<{ linkId: string; token: string; maxUses: number }>(
    `/releases/${releaseId}/share-links`,
    body,
  );
  expect(response.status).toBe(201);
  return response.body;
}

const redeem = (as: ApiClient, token: string) => as.post(`/share-links/${token}/redeem`);
const preview = (token: string) => actors.api.anonymous.get(`/share-links/${token}/preview`);
const canRead = async (as: ApiClient, releaseId: string) => (await as.get(`/releases/${releaseId}`)).status;
const usesOf = async (releaseId: string, linkId: string) =>
  (await stack.stores.shareLinks.get(releaseId, linkId))?.uses;

describe('removal is sticky', () => {
  it('someone removed by an owner cannot come back through a link they redeemed before, nor a new one', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Sticky' });
    const link = await createLink(releaseId, { role: 'editor' }, actors.api.owner);
    const person = await newcomer();
    expect((await redeem(person.api, link.token)).body).toEqual({ releaseId, role: 'editor' });
    expect((await actors.api.owner.delete(`/releases/${releaseId}/members/${person.sub}`)).status).toBe(204);

    const again = await redeem(person.api, link.token);
    expect(again.status).toBe(403);
    expect(again.body).toEqual({ error: 'forbidden', message: expect.stringContaining('removed') });
    const fresh = await createLink(releaseId, { role: 'viewer' }, actors.api.manager);
    expect((await redeem(person.api, fresh.token)).status).toBe(403);
    expect(await canRead(person.api, releaseId)).toBe(404);
    expect(await stack.stores.grants.get(releaseId, person.sub)).toBeNull();
    // Refused before a use is spent.
    expect(await usesOf(releaseId, link.linkId)).toBe(1);
    expect(await usesOf(releaseId, fresh.linkId)).toBe(0);
    // Signing in again (where invites are taken) changes nothing.
    expect((await person.api.get('/me')).status).toBe(200);
    expect(await canRead(person.api, releaseId)).toBe(404);
  });

  it('an owner adding them again deliberately clears it: links work for them again', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Welcome Back' });
    const link = await createLink(releaseId, { role: 'editor' }, actors.api.owner);
    const person = await newcomer();
    await redeem(person.api, link.token);
    await actors.api.owner.delete(`/releases/${releaseId}/members/${person.sub}`);
    expect((await redeem(person.api, link.token)).status).toBe(403);

    const added = await actors.api.owner.post(`/releases/${releaseId}/members`, {
      email: person.email,
      role: 'viewer',
    });
    expect(added.status).toBe(201);
    expect(await canRead(person.api, releaseId)).toBe(200);
    expect((await redeem(person.api, link.token)).body).toEqual({ releaseId, role: 'editor' });
  });

  it('an editor removed by a manager is removed for good too; leaving of one’s own accord is not a removal', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Leavers' });
    const link = await createLink(releaseId, { role: 'viewer' }, actors.api.owner);
    const [removed, leaver] = [await newcomer(), await newcomer()];
    for (const person of [removed, leaver]) await redeem(person.api, link.token);
    expect((await actors.api.manager.delete(`/releases/${releaseId}/members/${removed.sub}`)).status).toBe(
      204,
    );
    expect((await leaver.api.delete(`/releases/${releaseId}/members/${leaver.sub}`)).status).toBe(204);
    expect((await redeem(removed.api, link.token)).status).toBe(403);
    expect((await redeem(leaver.api, link.token)).body).toEqual({ releaseId, role: 'viewer' });
  });

  it('a pending invite sent before the removal does not bring them back', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Old Invite' });
    const email = `invited-then-removed-${Date.now()}@test.patchline.test`;
    expect(
      (await actors.api.owner.post(`/releases/${releaseId}/members`, { email, role: 'editor' })).status,
    ).toBe(201);
    // They sign up and come in through a link before their first listing takes the invite.
    const link = await createLink(releaseId, { role: 'viewer' }, actors.api.owner);
    const user = await signedInUser(stack, email, 'Ivy Invited');
    const api = apiClient(stack.config, user.token);
    expect((await redeem(api, link.token)).status).toBe(200);
    expect((await actors.api.owner.delete(`/releases/${releaseId}/members/${user.sub}`)).status).toBe(204);
    expect((await api.get('/me')).status).toBe(200);
    expect(await canRead(api, releaseId)).toBe(404);
    expect(await stack.stores.grants.get(releaseId, user.sub)).toBeNull();
  });
});

describe('link use limits', () => {
  it('a link without a limit gets 25 uses; the limit is at most 100', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Limited' });
    expect((await createLink(releaseId, { role: 'viewer' }, actors.api.owner)).maxUses).toBe(25);
    expect((await createLink(releaseId, { role: 'viewer', maxUses: 100 }, actors.api.owner)).maxUses).toBe(
      100,
    );
    const tooMany = await actors.api.owner.post<{ details: Array<{ field: string }> }>(
      `/releases/${releaseId}/share-links`,
      { role: 'viewer', maxUses: 101 },
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.details).toEqual([expect.objectContaining({ field: 'body.maxUses' })]);
    const listed = await actors.api.owner.get<{ links: Array<{ maxUses: number }> }>(
      `/releases/${releaseId}/share-links`,
    );
    expect(listed.body.links.map((l) => l.maxUses).sort()).toEqual([100, 25]);
  });

  it('a link stored without a limit (made before limits) stops after 25 uses too', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Legacy' });
    const link = await createLink(releaseId, { role: 'viewer' }, actors.api.owner);
    await stack.stores.client.send(
      new UpdateCommand({
        TableName: stack.stores.tableName,
        Key: { PK: `REL#${releaseId}`, SK: `LINK#${link.linkId}` },
        UpdateExpression: 'REMOVE maxUses SET #uses = :used',
        ExpressionAttributeNames: { '#uses': 'uses' },
        ExpressionAttributeValues: { ':used': 24 },
      }),
    );
    const [last, late] = [await newcomer(), await newcomer()];
    expect((await redeem(last.api, link.token)).status).toBe(200);
    expect((await redeem(late.api, link.token)).status).toBe(410);
    expect(await canRead(late.api, releaseId)).toBe(404);
    expect((await preview(link.token)).body).toMatchObject({ isExpired: true });
    expect(await usesOf(releaseId, link.linkId)).toBe(25);
  });
});

describe('a link stops working when its creator may no longer share', () => {
  it('an owner demoted to editor: the link previews as not working and redeems with 410; promoted again, it works', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Demoted Sharer' });
    const link = await createLink(releaseId, { role: 'viewer' }, actors.api.owner);
    const early = await newcomer();
    expect((await redeem(early.api, link.token)).status).toBe(200);
    // Another owner first: the last owner cannot be demoted.
    const member = (sub: string) => `/releases/${releaseId}/members/${sub}`;
    expect((await actors.api.manager.patch(member(actors.sub.editor), { role: 'owner' })).status).toBe(200);
    expect((await actors.api.manager.patch(member(actors.sub.owner), { role: 'editor' })).status).toBe(200);

    expect((await preview(link.token)).body).toMatchObject({ isExpired: true });
    const late = await newcomer();
    const refused = await redeem(late.api, link.token);
    expect(refused.status).toBe(410);
    expect(refused.body).toEqual({ error: 'gone', message: expect.stringContaining('can no longer share') });
    expect(await canRead(late.api, releaseId)).toBe(404);
    expect(await usesOf(releaseId, link.linkId)).toBe(1);
    // Those who came in before keep their access: the link's grants go with `DELETE …/share-links`.
    expect(await canRead(early.api, releaseId)).toBe(200);

    expect((await actors.api.manager.patch(member(actors.sub.owner), { role: 'owner' })).status).toBe(200);
    expect((await redeem(late.api, link.token)).status).toBe(200);
  });

  it('an owner removed from the release: their links stop working', async () => {
    const releaseId = await ownedRelease(stack, actors, {
      title: 'Removed Sharer',
      extra: { [actors.sub.outsider]: 'owner' },
    });
    const link = await createLink(releaseId, { role: 'editor' }, actors.api.outsider);
    expect(
      (await actors.api.admin.delete(`/releases/${releaseId}/members/${actors.sub.outsider}`)).status,
    ).toBe(204);
    expect((await redeem((await newcomer()).api, link.token)).status).toBe(410);
  });

  it('a manager taken out of managers: the links they made as a manager stop working', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Former Manager' });
    const email = `briefly-manager-${Date.now()}@test.patchline.test`;
    const user = await signedInUser(stack, email, 'Bri Manager');
    expect((await actors.api.admin.put(`/admin/users/${user.sub}/manager`, { isManager: true })).status).toBe(
      200,
    );
    const managerApi = apiClient(stack.config, (await signedInUser(stack, email, 'Bri Manager')).token);
    const link = await createLink(releaseId, { role: 'editor' }, managerApi);
    expect((await redeem((await newcomer()).api, link.token)).status).toBe(200);

    expect(
      (await actors.api.admin.put(`/admin/users/${user.sub}/manager`, { isManager: false })).status,
    ).toBe(200);
    // The manager's own token still says `managers`: the link is judged on their groups now.
    expect((await preview(link.token)).body).toMatchObject({ isExpired: true });
    const late = await newcomer();
    expect((await redeem(late.api, link.token)).status).toBe(410);
    expect(await canRead(late.api, releaseId)).toBe(404);
  });
});

describe('who sees email addresses', () => {
  interface Member {
    userId: string | null;
    email?: string;
    name: string;
    role: string;
    isPending: boolean;
  }
  const membersAs = async (actor: SignedInActor, releaseId: string) => {
    const response = await actors.api[actor].get<{ members: Member[] }>(`/releases/${releaseId}/members`);
    expect(response.status).toBe(200);
    return response.body.members;
  };

  async function releaseWithEveryKindOfMember() {
    const releaseId = await ownedRelease(stack, actors, { title: 'Who Is Who' });
    const link = await createLink(releaseId, { role: 'viewer' }, actors.api.owner);
    const linked = await newcomer();
    await redeem(linked.api, link.token);
    const inviteEmail = `pending-${Date.now()}@test.patchline.test`;
    await actors.api.owner.post(`/releases/${releaseId}/members`, { email: inviteEmail, role: 'editor' });
    return { releaseId, linked, inviteEmail };
  }

  it('owners, managers and admins see every email and pending invites', async () => {
    const { releaseId, linked, inviteEmail } = await releaseWithEveryKindOfMember();
    for (const actor of ['owner', 'manager', 'admin'] as const) {
      const members = await membersAs(actor, releaseId);
      const emailOf = (userId: string | null) => members.find((m) => m.userId === userId)?.email;
      expect(emailOf(actors.sub.owner)).toBe(actors.email.owner);
      expect(emailOf(actors.sub.editor)).toBe(actors.email.editor);
      expect(emailOf(actors.sub.viewer)).toBe(actors.email.viewer);
      expect(emailOf(linked.sub)).toBe(linked.email);
      expect(members.find((m) => m.isPending)).toMatchObject({ email: inviteEmail, userId: null });
    }
  });

  it('editors and viewers see names and roles only: no other member’s email, no invites; their own email, yes', async () => {
    const { releaseId, linked, inviteEmail } = await releaseWithEveryKindOfMember();
    for (const actor of ['editor', 'viewer'] as const) {
      const members = await membersAs(actor, releaseId);
      expect(
        members
          .map((m) => ({ userId: m.userId, role: m.role }))
          .sort((a, b) => String(a.userId).localeCompare(String(b.userId))),
      ).toEqual(
        [
          { userId: actors.sub.owner, role: 'owner' },
          { userId: actors.sub.editor, role: 'editor' },
          { userId: actors.sub.viewer, role: 'viewer' },
          { userId: linked.sub, role: 'viewer' },
        ].sort((a, b) => a.userId.localeCompare(b.userId)),
      );
      for (const member of members) {
        expect(member.email).toBe(member.userId === actors.sub[actor] ? actors.email[actor] : undefined);
      }
      // Names, not addresses: the owner's from the directory, the link holder's from their token.
      expect(members.find((m) => m.userId === actors.sub.owner)?.name).toBe('Olu Owner');
      expect(members.find((m) => m.userId === linked.sub)?.name).toMatch(/^Sam Sharer \d+$/);
      const text = JSON.stringify(members);
      for (const email of [
        actors.email.owner,
        linked.email,
        inviteEmail,
        actors.email[actor === 'editor' ? 'viewer' : 'editor'],
      ])
        expect(text).not.toContain(email);
    }
  });

  it('the other places that name people by email answer editors and viewers 403: audit log and links', async () => {
    const { releaseId, linked } = await releaseWithEveryKindOfMember();
    for (const actor of ['editor', 'viewer'] as const) {
      for (const path of ['audit', 'share-links']) {
        const response = await actors.api[actor].get(`/releases/${releaseId}/${path}`);
        expect(response.status).toBe(403);
        expect(JSON.stringify(response.body)).not.toContain(linked.email);
      }
    }
    const audit = await actors.api.owner.get(`/releases/${releaseId}/audit`);
    expect(audit.status).toBe(200);
  });
});
