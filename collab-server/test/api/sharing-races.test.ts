import { beforeAll, describe, expect, it } from 'vitest';
import { type Actors, ownedRelease, signedInUser, signInActors } from '../support/api-actors.js';
import { apiClient } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/**
 * Issue 12's races, as concurrent requests through the real REST API: two redemptions of the
 * last use of a link, a removal while the removed person redeems a link, and owners demoting or
 * leaving at the same time (a release must never be left without an owner). Each race runs
 * several rounds, since one round may happen not to interleave.
 */
let stack: TestStack;
let actors: Actors;
let secondManager: { sub: string; api: ReturnType<typeof apiClient> };

const ROUNDS = 6;

beforeAll(async () => {
  const started = await startTestStack({ workers: 2 });
  stack = started.stack;
  actors = await signInActors(stack);
  // Managers may take the owner role away; two of them, each an owner, can demote each other.
  const email = 'second-manager@test.patchline.test';
  const user = await signedInUser(stack, email, 'Mo Manager');
  expect((await actors.api.admin.put(`/admin/users/${user.sub}/manager`, { isManager: true })).status).toBe(
    200,
  );
  const token = (await signedInUser(stack, email, 'Mo Manager')).token;
  secondManager = { sub: user.sub, api: apiClient(stack.config, token) };
  return started.teardown;
});

let newcomers = 0;
async function newcomer() {
  newcomers += 1;
  const user = await signedInUser(stack, `racer-${newcomers}@test.patchline.test`, `Ray Racer ${newcomers}`);
  return { ...user, api: apiClient(stack.config, user.token) };
}

const ownersOf = async (releaseId: string) =>
  (await stack.stores.grants.listForRelease(releaseId))
    .filter((grant) => grant.role === 'owner')
    .map((grant) => grant.userId);

describe('races', () => {
  it('two redemptions of a 1-use link at once: exactly one gets in', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'One Seat' });
    for (let round = 0; round < ROUNDS; round += 1) {
      const link = (
        await actors.api.owner.post<{ linkId: string; token: string }>(`/releases/${releaseId}/share-links`, {
          role: 'editor',
          maxUses: 1,
        })
      ).body;
      const [a, b] = [await newcomer(), await newcomer()];
      const answers = await Promise.all(
        [a, b].map((person) => person.api.post(`/share-links/${link.token}/redeem`)),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 410]);
      const granted = await Promise.all(
        [a, b].map((person) => stack.stores.grants.get(releaseId, person.sub)),
      );
      expect(granted.filter(Boolean)).toHaveLength(1);
      expect((await stack.stores.shareLinks.get(releaseId, link.linkId))?.uses).toBe(1);
    }
  });

  it('a member removed while they redeem a link does not end up with access', async () => {
    const releaseId = await ownedRelease(stack, actors, { title: 'Removed Mid-Redeem' });
    const link = (
      await actors.api.owner.post<{ token: string }>(`/releases/${releaseId}/share-links`, {
        role: 'editor',
        maxUses: 100,
      })
    ).body;
    const outcomes: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const person = await newcomer();
      // A viewer, upgrading to editor through the link while an owner removes them.
      expect(
        (
          await actors.api.owner.post(`/releases/${releaseId}/members`, {
            email: person.email,
            role: 'viewer',
          })
        ).status,
      ).toBe(201);
      const [redeemed, removed] = await Promise.all([
        person.api.post(`/share-links/${link.token}/redeem`),
        actors.api.owner.delete(`/releases/${releaseId}/members/${person.sub}`),
      ]);
      outcomes.push(redeemed.status);
      expect(removed.status).toBe(204);
      expect([200, 403, 409]).toContain(redeemed.status);
      expect(await stack.stores.grants.get(releaseId, person.sub)).toBeNull();
      expect((await person.api.get(`/releases/${releaseId}`)).status).toBe(404);
      // …and stays out: the link no longer lets them in.
      expect((await person.api.post(`/share-links/${link.token}/redeem`)).status).toBe(403);
    }
    expect(outcomes).toHaveLength(ROUNDS);
  });

  it('two owners (both managers) demoting each other at once: one wins, the release keeps an owner', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const releaseId = await ownedRelease(stack, actors, {
        ownerId: actors.sub.manager,
        extra: { [secondManager.sub]: 'owner' },
      });
      const member = (sub: string) => `/releases/${releaseId}/members/${sub}`;
      const answers = await Promise.all([
        actors.api.manager.patch(member(secondManager.sub), { role: 'editor' }),
        secondManager.api.patch(member(actors.sub.manager), { role: 'editor' }),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      const owners = await ownersOf(releaseId);
      expect(owners).toHaveLength(1);
      expect(await stack.stores.grants.owners.list(releaseId)).toEqual(owners);
    }
  });

  it('two owners leaving at once: one leaves, the other stays owner', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const releaseId = await ownedRelease(stack, actors, { extra: { [actors.sub.outsider]: 'owner' } });
      const answers = await Promise.all(
        (['owner', 'outsider'] as const).map((actor) =>
          actors.api[actor].delete(`/releases/${releaseId}/members/${actors.sub[actor]}`),
        ),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([204, 409]);
      expect(await ownersOf(releaseId)).toHaveLength(1);
    }
  });

  it('an owner removed by an admin while the other owner leaves: one of the two stays owner', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const releaseId = await ownedRelease(stack, actors, { extra: { [actors.sub.outsider]: 'owner' } });
      const answers = await Promise.all([
        actors.api.admin.delete(`/releases/${releaseId}/members/${actors.sub.owner}`),
        actors.api.outsider.delete(`/releases/${releaseId}/members/${actors.sub.outsider}`),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([204, 409]);
      expect(await ownersOf(releaseId)).toHaveLength(1);
    }
  });
});

describe('the owner set after a crash between its two writes', () => {
  it('an owner taken out of the set whose grant was never demoted: removals stay safe, and making them owner again repairs it', async () => {
    const releaseId = await ownedRelease(stack, actors, { extra: { [actors.sub.outsider]: 'owner' } });
    // The first half of a demotion of the outsider, then the process died: the set lets them go,
    // the grant still says owner.
    const outsiderGrant = (await stack.stores.grants.get(releaseId, actors.sub.outsider))!;
    expect(await stack.stores.grants.owners.release(outsiderGrant)).toBeNull();
    expect(await stack.stores.grants.owners.list(releaseId)).toEqual([actors.sub.owner]);

    // Errs on the safe side: the owner cannot leave, the set counting nobody else.
    const member = (sub: string) => `/releases/${releaseId}/members/${sub}`;
    expect((await actors.api.owner.delete(member(actors.sub.owner))).status).toBe(409);
    expect(await ownersOf(releaseId)).toHaveLength(2);
    // A manager making the outsider owner again puts them back in the set.
    const repaired = await actors.api.manager.patch(member(actors.sub.outsider), { role: 'owner' });
    expect(repaired.status).toBe(200);
    expect(await stack.stores.grants.owners.list(releaseId)).toEqual(
      [actors.sub.owner, actors.sub.outsider].sort(),
    );
    expect((await actors.api.owner.delete(member(actors.sub.owner))).status).toBe(204);
    expect(await ownersOf(releaseId)).toEqual([actors.sub.outsider]);
  });
});
