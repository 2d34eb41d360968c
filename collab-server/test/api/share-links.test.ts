import { createHash } from 'node:crypto';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Actors,
  type ApiClient,
  ownedRelease,
  signedInUser,
  signInActors,
} from '../support/api-actors.js';
import { apiClient } from '../support/api-client.js';
import { connectRelease, nextEvent } from '../support/release-client.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/** Share links (permissions/SPEC.md, issue 4): tokens, preview, redeem, expiry, revocation, use limits. */
let stack: TestStack;
let actors: Actors;

beforeAll(async () => {
  const started = await startTestStack({ workers: 2 });
  stack = started.stack;
  actors = await signInActors(stack);
  return started.teardown;
});

interface CreatedLink {
  linkId: string;
  token: string;
  url: string;
  role: string;
  expiresAt: string;
  maxUses: number | null;
}

let redeemers = 0;
/** A new signed-in user with no group and no grant, and their API client. */
async function newcomer() {
  redeemers += 1;
  const user = await signedInUser(stack, `redeemer-${redeemers}@test.patchline.test`, `Reed ${redeemers}`);
  return { ...user, api: apiClient(stack.config, user.token) };
}

async function createLink(
  releaseId: string,
  body: Record<string, unknown>,
  as: ApiClient = actors.api.owner,
) {
  const response = await as.post<CreatedLink>(`/releases/${releaseId}/share-links`, body);
  expect(response.status).toBe(201);
  return response.body;
}

const preview = (token: string) => actors.api.anonymous.get(`/share-links/${token}/preview`);
const redeem = (as: ApiClient, token: string) => as.post(`/share-links/${token}/redeem`);
const canRead = async (as: ApiClient, releaseId: string) => (await as.get(`/releases/${releaseId}`)).status;

describe('share links', () => {
  it('a token carries at least 128 random bits and only its SHA-256 is stored', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Hashed' });
    const link = await createLink(releaseId, { role: 'viewer' });
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(Buffer.from(link.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(link.url).toBe(`${stack.config.webUrl}/share/${link.token}`);
    // Default expiry: 7 days.
    const days = (Date.parse(link.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);

    const { Items = [] } = await stack.stores.client.send(
      new ScanCommand({ TableName: stack.stores.tableName }),
    );
    const everything = JSON.stringify(Items);
    expect(everything).not.toContain(link.token);
    const hash = createHash('sha256').update(link.token).digest('hex');
    const holding = Items.filter((item) => JSON.stringify(item).includes(hash)).map(
      (item) => `${item.PK} ${item.SK}`,
    );
    expect(holding.sort()).toEqual([`REL#${releaseId} LINK#${link.linkId}`, `TOKEN#${hash} META`].sort());
    // The list never shows tokens either.
    const listed = await actors.api.owner.get(`/releases/${releaseId}/share-links`);
    expect(JSON.stringify(listed.body)).not.toContain(link.token);
  });

  it('the preview shows only { releaseTitle, role, isExpired }, without auth; unknown tokens are 404', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Preview Me' });
    const link = await createLink(releaseId, { role: 'editor', maxUses: 5, expiresInDays: 90 });
    const shown = await preview(link.token);
    expect(shown.status).toBe(200);
    expect(shown.body).toStrictEqual({ releaseTitle: 'Preview Me', role: 'editor', isExpired: false });
    for (const token of ['A'.repeat(43), link.token.slice(0, -1), `${link.token}x`, 'short']) {
      expect((await preview(token)).status).toBe(404);
    }
  });

  it('an expired link previews as expired and redeems with 410; nobody gets in', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Old News' });
    const link = await createLink(releaseId, { role: 'viewer' });
    await stack.stores.client.send(
      new UpdateCommand({
        TableName: stack.stores.tableName,
        Key: { PK: `REL#${releaseId}`, SK: `LINK#${link.linkId}` },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
      }),
    );
    expect((await preview(link.token)).body).toEqual({
      releaseTitle: 'Old News',
      role: 'viewer',
      isExpired: true,
    });
    const late = await newcomer();
    const refused = await redeem(late.api, link.token);
    expect(refused.status).toBe(410);
    expect(refused.body).toEqual({ error: 'gone', message: expect.any(String) });
    expect(await canRead(late.api, releaseId)).toBe(404);
    expect(await stack.stores.grants.get(releaseId, late.sub)).toBeNull();
    expect((await stack.stores.shareLinks.get(releaseId, link.linkId))?.uses).toBe(0);
    const listed = await actors.api.owner.get<{ links: Array<{ isActive: boolean }> }>(
      `/releases/${releaseId}/share-links`,
    );
    expect(listed.body.links).toEqual([expect.objectContaining({ isActive: false })]);
  });

  it('revoking a link removes everyone who joined only through it, at once, and keeps direct grants', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Revoked' });
    const link = await createLink(releaseId, { role: 'editor' });
    const [first, second] = [await newcomer(), await newcomer()];
    for (const user of [first, second]) {
      expect((await redeem(user.api, link.token)).body).toEqual({ releaseId, role: 'editor' });
      expect(await canRead(user.api, releaseId)).toBe(200);
    }
    // The demo viewer holds a direct viewer grant and upgrades through the link.
    expect((await redeem(actors.api.viewer, link.token)).body).toEqual({ releaseId, role: 'editor' });
    // The demo editor already had editor: nothing changes for them, and no use is spent.
    expect((await redeem(actors.api.editor, link.token)).body).toEqual({ releaseId, role: 'editor' });
    expect((await stack.stores.grants.get(releaseId, actors.sub.editor))?.via).toBe('direct');
    expect((await stack.stores.shareLinks.get(releaseId, link.linkId))?.uses).toBe(3);

    const live = connectRelease(stack.config.websocketUrl, releaseId, first.token);
    await live.whenSynced();
    const revoked = nextEvent(live, 'revoked');
    const closed = new Promise<void>((resolve) =>
      live.on('status', (s) => s === 'disconnected' && resolve()),
    );
    expect((await actors.api.owner.delete(`/releases/${releaseId}/share-links/${link.linkId}`)).status).toBe(
      204,
    );
    await revoked;
    await closed;

    expect((await preview(link.token)).status).toBe(404);
    const latecomer = await newcomer();
    expect((await redeem(latecomer.api, link.token)).status).toBe(404);
    expect(await canRead(latecomer.api, releaseId)).toBe(404);
    for (const user of [first, second]) expect(await canRead(user.api, releaseId)).toBe(404);
    expect(await canRead(actors.api.editor, releaseId)).toBe(200);
    // Joined by a direct grant first: back to that grant, not out.
    expect(await canRead(actors.api.viewer, releaseId)).toBe(200);
    expect(await stack.stores.grants.get(releaseId, actors.sub.viewer)).toMatchObject({
      role: 'viewer',
      via: 'direct',
    });
    const members = await actors.api.owner.get<{ members: Array<{ userId: string }> }>(
      `/releases/${releaseId}/members`,
    );
    expect(members.body.members.map((m) => m.userId).sort()).toEqual(
      [actors.sub.owner, actors.sub.editor, actors.sub.viewer].sort(),
    );
    const audit = await actors.api.owner.get<{
      events: Array<{ action: string; details?: Record<string, unknown> }>;
    }>(`/releases/${releaseId}/audit`);
    expect(audit.body.events.find((e) => e.action === 'link.revoked')?.details).toMatchObject({
      removedMembers: 2,
      restoredMembers: 1,
    });
  });

  it('an exhausted link (maxUses 1) refuses the second redeemer with 410; the first keeps access', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'One Seat' });
    const link = await createLink(releaseId, { role: 'viewer', maxUses: 1 });
    const [first, second] = [await newcomer(), await newcomer()];
    expect((await redeem(first.api, link.token)).body).toEqual({ releaseId, role: 'viewer' });
    expect((await redeem(second.api, link.token)).status).toBe(410);
    expect(await canRead(first.api, releaseId)).toBe(200);
    expect(await canRead(second.api, releaseId)).toBe(404);
    expect((await preview(link.token)).body).toMatchObject({ isExpired: true });
    // Redeeming again does not need a use: the first redeemer already holds the role.
    expect((await redeem(first.api, link.token)).body).toEqual({ releaseId, role: 'viewer' });
  });

  it('redeeming never downgrades: an owner or editor keeps the stronger role', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'No Downgrade' });
    const link = await createLink(releaseId, { role: 'viewer' });
    expect((await redeem(actors.api.owner, link.token)).body).toEqual({ releaseId, role: 'owner' });
    expect((await redeem(actors.api.editor, link.token)).body).toEqual({ releaseId, role: 'editor' });
    expect(await stack.stores.grants.get(releaseId, actors.sub.owner)).toMatchObject({
      role: 'owner',
      via: 'owner',
    });
    expect(await stack.stores.grants.get(releaseId, actors.sub.editor)).toMatchObject({
      role: 'editor',
      via: 'direct',
    });
    expect((await stack.stores.shareLinks.get(releaseId, link.linkId))?.uses).toBe(0);
  });

  it('deleting the release ends its links, its grants and its open connections', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Short Lived' });
    const link = await createLink(releaseId, { role: 'editor' });
    const joiner = await newcomer();
    await redeem(joiner.api, link.token);
    const live = connectRelease(stack.config.websocketUrl, releaseId, joiner.token);
    await live.whenSynced();
    const revoked = nextEvent(live, 'revoked');
    const closed = new Promise<void>((resolve) =>
      live.on('status', (s) => s === 'disconnected' && resolve()),
    );
    expect((await actors.api.owner.delete(`/releases/${releaseId}`)).status).toBe(204);
    await revoked;
    await closed;
    expect((await preview(link.token)).status).toBe(404);
    expect((await redeem(actors.api.outsider, link.token)).status).toBe(404);
    expect(await canRead(joiner.api, releaseId)).toBe(404);
    const { Items = [] } = await stack.stores.client.send(
      new ScanCommand({ TableName: stack.stores.tableName }),
    );
    expect(Items.filter((item) => JSON.stringify(item).includes(releaseId))).toEqual([]);
  });

  it('links offer editor or viewer only, expire within 90 days, and bad bodies are 400 with fields', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Limits' });
    for (const body of [
      { role: 'owner' },
      { role: 'viewer', expiresInDays: 91 },
      { role: 'viewer', maxUses: 0 },
    ]) {
      const refused = await actors.api.manager.post<{ details: Array<{ field: string }> }>(
        `/releases/${releaseId}/share-links`,
        body,
      );
      expect(refused.status).toBe(400);
      expect(refused.body.details.length).toBeGreaterThan(0);
    }
    expect((await actors.api.manager.get(`/releases/${releaseId}/share-links`)).body).toEqual({ links: [] });
  });
});
