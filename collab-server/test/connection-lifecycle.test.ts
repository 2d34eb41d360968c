import type { ReleaseRole } from '@patchline/permissions';
import { setReleaseField } from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyAccessChangeForUser } from '../src/core/access-changes.js';
import { DEFAULT_COLLAB_LIMITS } from '../src/core/limits.js';
import { type Actors, ownedRelease, signedInUser, signInActors } from './support/api-actors.js';
import { coreDeps } from './support/core-deps.js';
import {
  writeAwareness,
  writeAwarenessUpdate,
  writeSyncStep1,
  writeSyncUpdate,
} from './support/raw-client.js';
import {
  carriesPresence,
  carriesText,
  isError,
  isSyncStep2,
  openRecordingSocket,
  type RecordingSocket,
} from './support/recording-socket.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let actors: Actors;
let url: string;

beforeAll(async () => {
  const started = await startTestStack({ workers: 3 });
  stack = started.stack;
  url = stack.config.websocketUrl;
  actors = await signInActors(stack);
  return started.teardown;
});

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A socket that asked for the document and got it. */
async function servedSocket(releaseId: string, token: string): Promise<RecordingSocket> {
  const socket = openRecordingSocket(url, releaseId, token);
  expect(await socket.opened).toBe(true);
  socket.send(writeSyncStep1(new Uint8Array([0])));
  await socket.waitFor(isSyncStep2);
  return socket;
}

/** 'served' when the socket's sync step 1 is answered, 'closed' when the server closes it instead. */
async function servedOrClosed(socket: RecordingSocket): Promise<'served' | 'closed' | 'refused'> {
  if (!(await socket.opened)) return 'refused';
  socket.send(writeSyncStep1(new Uint8Array([0])));
  return Promise.race([
    socket.waitFor(isSyncStep2).then(() => 'served' as const),
    socket.closed.then(() => 'closed' as const),
  ]);
}

/** A new account with `role` on each of `releaseIds` (its own, so no other test's sockets count). */
async function personOn(releaseIds: string[], role: ReleaseRole, name: string) {
  const user = await signedInUser(stack, `${name}@test.patchline.test`, name);
  for (const releaseId of releaseIds) {
    await stack.stores.grants.put({
      releaseId,
      userId: user.sub,
      role,
      via: 'direct',
      grantedBy: actors.sub.owner,
      createdAt: new Date().toISOString(),
    });
  }
  return user;
}

describe('a revocation racing $connect (README, security model)', () => {
  it('no connection of the removed member survives, or gets an update or presence sent after the revoke was acknowledged', async () => {
    const releaseId = await ownedRelease(stack, actors);
    const editorGrant = (await stack.stores.grants.get(releaseId, actors.sub.editor))!;
    const bystander = await servedSocket(releaseId, actors.token.viewer);
    const owner = await servedSocket(releaseId, actors.token.owner);
    const ownerDoc = new Y.Doc();
    const ownerStep2 = owner.received.find(isSyncStep2)!;
    if (ownerStep2.kind === 'sync') Y.applyUpdate(ownerDoc, ownerStep2.payload);

    const rounds = 8;
    const connectsPerRound = DEFAULT_COLLAB_LIMITS.maxConnectionsPerUserPerRelease;
    for (let round = 0; round < rounds; round++) {
      await stack.stores.grants.put(editorGrant);
      // The member's connects start every 6 ms while the owner removes them: some read the
      // grant before it goes and record themselves after the revocation listed connections.
      const sockets: RecordingSocket[] = [];
      const connects = Array.from({ length: connectsPerRound }, (_, i) =>
        later(i * 6).then(() => {
          const socket = openRecordingSocket(url, releaseId, actors.token.editor);
          sockets.push(socket);
          // Half of them behave like the web client and ask for the document at once; the others
          // stay silent, as a client that only wants to listen would.
          if (i % 2 === 1)
            void socket.opened.then((open) => open && socket.send(writeSyncStep1(new Uint8Array([0]))));
        }),
      );
      await later((round % 4) * 6);
      const revoke = await actors.api.owner.delete(`/releases/${releaseId}/members/${actors.sub.editor}`);
      expect(revoke.status).toBe(204);
      await Promise.all(connects);

      // Acknowledged: whatever the owner does now must reach nobody of the removed member.
      const marker = `after-revoke-${round}`;
      const stateVector = Y.encodeStateVector(ownerDoc);
      setReleaseField(ownerDoc, 'title', marker);
      owner.send(writeSyncUpdate(Y.encodeStateAsUpdate(ownerDoc, stateVector)));
      owner.send(
        writeAwareness(
          writeAwarenessUpdate([
            {
              clientId: ownerDoc.clientID,
              clock: round + 1,
              state: JSON.stringify({ field: 'release.title' }),
            },
          ]),
        ),
      );
      await bystander.waitFor((item) => carriesText(item, marker));
      await bystander.waitFor((item) => carriesPresence(item, ownerDoc.clientID, round + 1));

      // Every socket that opened is told `revoked` and closed, by its first frame at the latest
      // (a silent one sends one now); a refused handshake never opened.
      for (const socket of sockets) {
        if (!(await socket.opened)) {
          expect(socket.refusedStatus).toBe(403);
          continue;
        }
        if (!socket.isClosed()) socket.send(writeSyncStep1(new Uint8Array([0])));
        await socket.closed;
        expect(
          socket.received.some((item) => item.kind === 'control' && item.message.type === 'revoked'),
        ).toBe(true);
        expect(socket.received.filter((item) => carriesText(item, marker))).toEqual([]);
        expect(socket.received.filter((item) => carriesPresence(item, ownerDoc.clientID, round + 1))).toEqual(
          [],
        );
      }
      const left = await stack.stores.connections.listForRelease(releaseId);
      expect(left.filter((connection) => connection.userId === actors.sub.editor)).toEqual([]);
      expect(
        (await stack.stores.connections.listForUser(actors.sub.editor)).filter(
          (c) => c.releaseId === releaseId,
        ),
      ).toEqual([]);
    }
  }, 120_000);
});

describe('every connection of a user', () => {
  it('listForUser lists them across releases, and the listing of their releases (GSI1) shows no connection', async () => {
    const releases = [await ownedRelease(stack, actors), await ownedRelease(stack, actors)];
    const person = await personOn(releases, 'editor', 'Lia Lister');
    const before = await stack.stores.grants.listForUser(person.sub);
    expect(before.map((grant) => grant.releaseId).sort()).toEqual([...releases].sort());
    await servedSocket(releases[0]!, person.token);
    await servedSocket(releases[1]!, person.token);
    await servedSocket(releases[1]!, person.token);

    const listed = await stack.stores.connections.listForUser(person.sub);
    const inReleases = (await Promise.all(releases.map((id) => stack.stores.connections.listForRelease(id))))
      .flat()
      .filter((connection) => connection.userId === person.sub);
    expect(listed.map((c) => c.connectionId).sort()).toEqual(inReleases.map((c) => c.connectionId).sort());
    expect(listed.map((c) => c.releaseId).sort()).toEqual([releases[0], releases[1], releases[1]].sort());
    expect(await stack.stores.grants.listForUser(person.sub)).toEqual(before);
    const listing = await actors.api.editor.get<{ id: string }[]>('/releases');
    expect(listing.status).toBe(200);
  });

  it('applyAccessChangeForUser tells each of them: role-changed where access remains, revoked (and closed) where it went', async () => {
    const releases = [await ownedRelease(stack, actors), await ownedRelease(stack, actors)];
    const person = await personOn(releases, 'editor', 'Ada Across');
    const kept = await servedSocket(releases[0]!, person.token);
    const removed = await servedSocket(releases[1]!, person.token);
    const grant = (await stack.stores.grants.get(releases[0]!, person.sub))!;
    await stack.stores.grants.put({ ...grant, role: 'viewer' });
    await stack.stores.grants.delete(releases[1]!, person.sub);

    await applyAccessChangeForUser(coreDeps(stack), person.sub);
    expect(
      await kept.waitFor((item) => item.kind === 'control' && item.message.type === 'role-changed'),
    ).toMatchObject({ message: { type: 'role-changed', role: 'viewer' } });
    expect(
      await removed.waitFor((item) => item.kind === 'control' && item.message.type === 'revoked'),
    ).toBeTruthy();
    await removed.closed;
    expect((await stack.stores.connections.listForUser(person.sub)).map((c) => c.releaseId)).toEqual([
      releases[0],
    ]);
  });
});

describe('connections per person (limits.ts; PROTOCOL.md, "Limits per person")', () => {
  const { maxConnectionsPerUserPerRelease: perRelease, maxConnectionsPerUser: overall } =
    DEFAULT_COLLAB_LIMITS;

  it(`one more than ${perRelease} on a release ends the oldest with too-many-connections; the newest are served`, async () => {
    const releaseId = await ownedRelease(stack, actors);
    const person = await personOn([releaseId], 'editor', 'Tab Hoarder');
    const sockets: RecordingSocket[] = [];
    for (let i = 0; i < perRelease; i++) sockets.push(await servedSocket(releaseId, person.token));
    const newest = await servedSocket(releaseId, person.token);

    const [oldest, ...others] = sockets;
    await oldest!.waitFor(isError('too-many-connections'));
    await oldest!.closed;
    for (const socket of [...others, newest]) expect(await servedOrClosed(socket)).toBe('served');
    expect(await stack.stores.connections.listForUser(person.sub)).toHaveLength(perRelease);
  });

  it(`connects racing past the limit: at most ${perRelease} survive, the others are refused (429) or ended`, async () => {
    const releaseId = await ownedRelease(stack, actors);
    const person = await personOn([releaseId], 'editor', 'Burst Opener');
    const sockets = Array.from({ length: 3 * perRelease }, () =>
      openRecordingSocket(url, releaseId, person.token),
    );
    await Promise.all(sockets.map((socket) => socket.opened));
    const outcomes = await Promise.all(sockets.map(servedOrClosed));
    const served = outcomes.filter((outcome) => outcome === 'served').length;
    expect(served).toBeGreaterThanOrEqual(1);
    expect(served).toBeLessThanOrEqual(perRelease);
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome === 'refused') expect(sockets[i]!.refusedStatus).toBe(429);
    }
    const listed = await stack.stores.connections.listForUser(person.sub);
    expect(listed.length).toBeLessThanOrEqual(perRelease);
  }, 60_000);

  it(`one more than ${overall} across releases ends the person's oldest connection`, async () => {
    const releases = await Promise.all(
      Array.from({ length: Math.ceil((overall + 1) / perRelease) }, () => ownedRelease(stack, actors)),
    );
    const person = await personOn(releases, 'viewer', 'Label Staffer');
    const sockets: RecordingSocket[] = [];
    for (let i = 0; i <= overall; i++) {
      const releaseId = releases[Math.floor(i / perRelease)]!;
      sockets.push(await servedSocket(releaseId, person.token));
    }
    await sockets[0]!.waitFor(isError('too-many-connections'));
    await sockets[0]!.closed;
    expect(await stack.stores.connections.listForUser(person.sub)).toHaveLength(overall);
    expect(sockets.slice(1).filter((socket) => socket.isClosed())).toEqual([]);
  }, 60_000);
});
