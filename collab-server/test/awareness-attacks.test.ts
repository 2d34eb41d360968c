import { colorForUser, notesFragment } from '@patchline/shared';
import type { ReleaseConnection } from '@patchline/shared/client';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readAwarenessEntries } from '../src/core/awareness-entries.js';
import { handleMessage } from '../src/core/handle-message.js';
import { openBystanders } from './support/bystanders.js';
import { coreDeps } from './support/core-deps.js';
import { openRawClient, type Reply, writeAwareness, writeAwarenessUpdate } from './support/raw-client.js';
import { idTokenOf } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
const tokens: Record<string, string> = {};
/**
 * What the gateway reported about the handlers (as in bad-input.test.ts): one that threw or a
 * worker that died. A 410 to a closing socket is no failure, nor is the note of its mode.
 */
const gatewayReports: string[] = [];

beforeAll(async () => {
  const started = await startTestStack({
    workers: 3,
    gatewayOptions: {
      log: (message, error) => {
        console.error(`[local-gateway] ${message}`, error ?? '');
        if (message.startsWith('PostToConnection') || message.startsWith('harsh ordering')) return;
        gatewayReports.push(error === undefined ? message : `${message}: ${String(error)}`);
      },
    },
  });
  stack = started.stack;
  for (const role of ['editor', 'manager', 'viewer'] as const) {
    tokens[role] = await idTokenOf(stack.config, role);
  }
  return started.teardown;
});

/**
 * The Yjs client id each attacker's raw socket speaks for, one per test: a socket closed by the
 * previous test may still be listed (its `$disconnect` runs after), with its presence at a
 * higher clock than a new one's.
 */
let lastAttacker = 4241;

const badAwareness: Reply = {
  kind: 'control',
  message: { type: 'error', code: 'bad-awareness', message: expect.any(String) },
};

/** The `sub` claim of an ID token (read, not verified: the test signed it in itself). */
const subOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;

/**
 * What Tiptap's CollaborationCaret (y-prosemirror's cursor plugin) does with every peer's state
 * on each awareness change: a `cursor` that is not null is read as two RelativePosition JSONs
 * and resolved in the document. It throws on a malformed one, inside every peer's editor.
 */
function drawCarets(awareness: ReleaseConnection['awareness'], doc: Y.Doc): void {
  for (const state of awareness.getStates().values()) {
    const cursor = (state as { cursor?: { anchor: unknown; head: unknown } | null } | null)?.cursor;
    if (cursor == null) continue;
    for (const position of [cursor.anchor, cursor.head])
      Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(position), doc);
  }
}

/** A caret in the notes as CollaborationCaret publishes it: RelativePosition objects, as JSON. */
function notesCursor(doc: Y.Doc) {
  const position = JSON.parse(JSON.stringify(Y.createRelativePositionFromTypeIndex(notesFragment(doc), 0)));
  return { anchor: position, head: position };
}

/**
 * Two well-behaved clients (an editor writing, a manager reading) and a raw client, signed in
 * as `role`, that misbehaves. Everything the reader's awareness takes in is recorded, client by
 * client and in order, and its carets are drawn on every change as the notes editor would.
 */
async function attack(role: 'viewer' | 'editor') {
  const releaseId = stack.demoReleaseId;
  const bystanders = await openBystanders(stack, releaseId, {
    writer: tokens.editor!,
    reader: tokens.manager!,
  });
  const { reader } = bystanders;
  const received = new Map<number, unknown[]>();
  const caretErrors: unknown[] = [];
  reader.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
    for (const clientId of [...added, ...updated]) {
      received.set(clientId, [...(received.get(clientId) ?? []), reader.awareness.getStates().get(clientId)]);
    }
    try {
      drawCarets(reader.awareness, reader.doc);
    } catch (error) {
      caretErrors.push(error);
    }
  });
  const known = new Set(
    (await stack.stores.connections.listForRelease(releaseId)).map((c) => c.connectionId),
  );
  const raw = await openRawClient(stack.config.websocketUrl, releaseId, tokens[role]!);
  const mine = (await stack.stores.connections.listForRelease(releaseId)).filter(
    (c) => !known.has(c.connectionId),
  );
  expect(mine).toHaveLength(1);
  const connection = mine[0]!;
  let clock = 0;
  const attacker = ++lastAttacker;
  return {
    attacker,
    raw,
    bystanders,
    received,
    caretErrors,
    /** The user the server verified at $connect, as others must see it. */
    verifiedUser: { sub: connection.userId, name: connection.name, color: colorForUser(connection.userId) },
    /**
     * Sends the attacker's own state over its socket, clock counting up. The gateway may run a
     * connection's messages at once and in any order (API Gateway does; so does the test stack's
     * harsh mode), so each test waits for what one message caused before it sends the next.
     */
    publish(state: unknown) {
      clock += 1;
      raw.sendMessage(
        writeAwareness(writeAwarenessUpdate([{ clientId: attacker, clock, state: JSON.stringify(state) }])),
      );
    },
    /**
     * Runs the message handler itself on awareness entries from the attacker's connection, and
     * waits for it: a dropped entry causes no reply to wait for.
     */
    async handle(entries: { clientId: number; state: unknown }[]) {
      clock += 1;
      const update = entries.map(({ clientId, state }) => ({
        clientId,
        clock,
        state: JSON.stringify(state),
      }));
      await handleMessage(coreDeps(stack), connection, writeAwareness(writeAwarenessUpdate(update)));
    },
    /**
     * Resolves once the reader holds `predicate` for `clientId`'s state. A handler posts its
     * broadcast before it returns, and posts to one socket arrive in order: what a message handled
     * before reached the reader before.
     */
    readerSees(clientId: number, predicate: (state: unknown) => boolean): Promise<void> {
      const holds = () => predicate(reader.awareness.getStates().get(clientId));
      if (holds()) return Promise.resolve();
      return new Promise((resolve) => {
        const check = () => {
          if (!holds()) return;
          reader.awareness.off('change', check);
          resolve();
        };
        reader.awareness.on('change', check);
      });
    },
    /** The attacker's presence as stored for joiners, decoded. */
    async stored() {
      const record = await stack.stores.connections.getInRelease(releaseId, connection.connectionId);
      return record?.awareness
        ? readAwarenessEntries(record.awareness).map(({ clientId, state }) => ({
            clientId,
            state: JSON.parse(state) as unknown,
          }))
        : [];
    },
    async expectOthersServed() {
      await bystanders.proveServing();
      expect(gatewayReports).toEqual([]);
    },
  };
}

const fieldIs = (field: string) => (state: unknown) =>
  (state as { field?: unknown } | undefined)?.field === field;

describe('a malformed cursor (PROTOCOL.md, "Presence") never reaches a peer', () => {
  it('a viewer sending {"cursor": {}} gets bad-awareness; peers never see it, and their carets still draw', async () => {
    const scene = await attack('viewer');
    const malformed = [
      { cursor: {} },
      { cursor: { anchor: {}, head: {} } },
      // Every part null: Yjs cannot resolve it and throws (an unexpected case).
      { cursor: { anchor: { assoc: 0 }, head: { assoc: 0 } } },
      {
        cursor: { anchor: { item: { client: -1, clock: 0 }, assoc: 0 }, head: { tname: 'notes', assoc: 0 } },
      },
      { cursor: 'here' },
      { field: 'x'.repeat(201) },
      { field: 'release.title"><img src=x onerror=alert(1)>' },
    ];
    for (const state of malformed) {
      scene.publish(state);
      expect(await scene.raw.nextReply(), JSON.stringify(state)).toEqual(badAwareness);
    }
    expect(await scene.stored()).toEqual([]);

    const cursor = notesCursor(scene.bystanders.reader.doc);
    scene.publish({ user: { name: 'whatever' }, field: 'notes', cursor });
    await scene.readerSees(scene.attacker, fieldIs('notes'));
    // The honest state is the first and only one the reader got from the attacker's client.
    expect(scene.received.get(scene.attacker)).toEqual([
      { user: scene.verifiedUser, field: 'notes', cursor },
    ]);
    expect(scene.caretErrors).toEqual([]);

    // Leaving (the null state) still goes through.
    scene.publish(null);
    await scene.readerSees(scene.attacker, (state) => state === undefined);
    await scene.raw.expectServed();
    await scene.expectOthersServed();
  });
});

describe('the user others see is the verified one (PROTOCOL.md, "Presence")', () => {
  it("a client claiming another person's sub, name and colour is shown as itself", async () => {
    const scene = await attack('editor');
    const claimed = {
      user: { sub: subOf(tokens.manager!), name: 'Mo Manager (owner)', color: '#000000' },
      field: 'release.upc',
      role: 'owner',
    };
    expect(scene.verifiedUser.sub).not.toBe(claimed.user.sub);
    scene.publish(claimed);
    await scene.readerSees(scene.attacker, fieldIs('release.upc'));
    expect(scene.received.get(scene.attacker)).toEqual([{ user: scene.verifiedUser, field: 'release.upc' }]);
    expect(await scene.stored()).toEqual([
      { clientId: scene.attacker, state: { user: scene.verifiedUser, field: 'release.upc' } },
    ]);

    // A state with no user at all is shown with the verified one too.
    scene.publish({ field: 'release.title' });
    await scene.readerSees(scene.attacker, fieldIs('release.title'));
    expect(scene.received.get(scene.attacker)).toEqual([
      { user: scene.verifiedUser, field: 'release.upc' },
      { user: scene.verifiedUser, field: 'release.title' },
    ]);
    await scene.raw.expectServed();
    await scene.expectOthersServed();
  });
});

describe("a connection speaks only for the Yjs client it announced (another client's id)", () => {
  it("state for someone else's client id, alone or beside its own, is neither stored nor relayed", async () => {
    const scene = await attack('editor');
    const { writer, reader } = scene.bystanders;
    const victim = writer.doc.clientID;
    // Its first state of its own (y-protocols ignores a peer's clock-0 state).
    writer.awareness.setLocalStateField('field', 'release.catalogNumber');
    await scene.readerSees(victim, fieldIs('release.catalogNumber'));
    const victimState = reader.awareness.getStates().get(victim);
    const seenBefore = scene.received.get(victim)?.length;

    await scene.handle([{ clientId: scene.attacker, state: { field: 'release.genre' } }]);
    const forged = { field: 'release.title', cursor: null };
    await scene.handle([{ clientId: victim, state: forged }]);
    await scene.handle([
      { clientId: victim, state: forged },
      { clientId: scene.attacker, state: { field: 'release.label' } },
    ]);
    // An attempt to make the victim leave everyone's screen.
    await scene.handle([{ clientId: victim, state: null }]);
    await scene.handle([{ clientId: scene.attacker, state: { field: 'release.upc' } }]);
    await scene.readerSees(scene.attacker, fieldIs('release.upc'));

    expect(reader.awareness.getStates().get(victim)).toEqual(victimState);
    expect(scene.received.get(victim)?.length).toBe(seenBefore);
    expect(scene.received.get(scene.attacker)?.map((state) => (state as { field: string }).field)).toEqual([
      'release.genre',
      'release.label',
      'release.upc',
    ]);
    expect(await scene.stored()).toEqual([
      { clientId: scene.attacker, state: { user: scene.verifiedUser, field: 'release.upc' } },
    ]);
    await scene.raw.expectServed();
    await scene.expectOthersServed();
  });
});
