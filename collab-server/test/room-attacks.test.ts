import {
  addTrack,
  notesFragment,
  readReleaseFields,
  readSheet,
  replaceNotesText,
  setReleaseField,
  tracksMap,
} from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRelease } from '../src/core/create-release.js';
import { gcClaim } from '../src/room/update-structure.test.js';
import { apiClient } from './support/api-client.js';
import { openBystanders, storedState } from './support/bystanders.js';
import { openRawClient, type RawClient, type Reply, writeSyncUpdate } from './support/raw-client.js';
import { connectRelease, waitForDoc } from './support/release-client.js';
import { idTokenOf } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * The sync core under attack (ARCHITECTURE.md, "The room"; PROTOCOL.md, "Client ids" and
 * "Limits"): each case is written from the attacker's seat, an editor with a valid token and a
 * raw socket, beside honest clients of other people.
 */
let stack: TestStack;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const started = await startTestStack({ workers: 3 });
  stack = started.stack;
  for (const role of ['editor', 'manager', 'viewer'] as const)
    tokens[role] = await idTokenOf(stack.config, role);
  return started.teardown;
});

const subOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).sub as string;

/** The update one local edit produces. */
function updateOf(doc: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  edit(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

/** A copy of what is stored, to build real updates on, writing under `clientId` if given. */
async function storedCopy(releaseId: string, clientId?: number): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await storedState(stack, releaseId)).state);
  // Set after loading: Yjs gives a document a new id when an update it receives holds its own.
  if (clientId !== undefined) doc.clientID = clientId;
  return doc;
}

/** The next control message to this raw client (skipping sync answers). */
async function nextControl(raw: RawClient): Promise<Extract<Reply, { kind: 'control' }>['message']> {
  for (;;) {
    const reply = await raw.nextReply();
    if (reply.kind === 'control') return reply.message;
  }
}

/** A new release owned by the demo editor, with the demo manager as a member. */
async function editorsRelease(title: string): Promise<string> {
  const releaseId = await createRelease(stack.stores, {
    ownerId: subOf(tokens.editor!),
    seed: { release: { title } },
  });
  await stack.stores.grants.put({
    releaseId,
    userId: subOf(tokens.manager!),
    role: 'editor',
    via: 'direct',
    grantedBy: subOf(tokens.editor!),
    createdAt: new Date().toISOString(),
  });
  return releaseId;
}

describe('stored = authorized: the room stores and relays only the update it integrated', () => {
  it('a re-sent struct with changed content (a UPC at a clock the server has) is neither stored nor relayed', async () => {
    const releaseId = await editorsRelease('Canonical');
    const base = (await storedState(stack, releaseId)).state;
    const upcBefore = readReleaseFields(await storedCopy(releaseId)).upc;
    const peer = connectRelease(stack.config.websocketUrl, releaseId, tokens.manager!);
    await peer.whenSynced();
    const received: Uint8Array[] = [];
    peer.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== null) received.push(update);
    });
    const raw = await openRawClient(stack.config.websocketUrl, releaseId, tokens.editor!);
    const attacker = await storedCopy(releaseId);
    const twin = await storedCopy(releaseId, attacker.clientID);
    const first = updateOf(attacker, (doc) => setReleaseField(doc, 'title', 'First'));
    raw.sendMessage(writeSyncUpdate(first));
    await waitForDoc(peer.doc, (doc) => readReleaseFields(doc).title === 'First');
    // Same client, same clock 0, different content: a UPC (label-only), then a genre at clock 1.
    const forged = updateOf(twin, (doc) => {
      setReleaseField(doc, 'upc', '036000291452');
      setReleaseField(doc, 'genre', 'Second');
    });
    raw.sendMessage(writeSyncUpdate(forged));
    await waitForDoc(peer.doc, (doc) => readReleaseFields(doc).genre === 'Second');

    const log = await stack.stores.documents.readLogAfter(releaseId, 0);
    const writesUpc = (update: Uint8Array) =>
      Y.decodeUpdate(update).structs.some((struct) => struct instanceof Y.Item && struct.parentSub === 'upc');
    expect(log.filter((item) => writesUpc(item.data))).toEqual([]);
    expect(received.filter(writesUpc)).toEqual([]);
    // A peer that gets the stored updates in the other order shows no editor-set UPC either.
    const reversed = new Y.Doc();
    Y.applyUpdate(reversed, base);
    for (const item of [...log].reverse()) Y.applyUpdate(reversed, item.data);
    expect(readReleaseFields(reversed).upc).toBe(upcBefore);
    expect(readReleaseFields(peer.doc).upc).toBe(upcBefore);
    raw.ws.close();
  });
});

describe('client ids belong to people', () => {
  it("clock squatting: GC structs at another person's next clock are refused, and that person's next edit is stored", async () => {
    const releaseId = await editorsRelease('Squat');
    const victim = connectRelease(stack.config.websocketUrl, releaseId, tokens.manager!);
    await victim.whenSynced();
    setReleaseField(victim.doc, 'genre', 'Jazz');
    await waitForStored(releaseId, (doc) => readReleaseFields(doc).genre === 'Jazz');
    const raw = await openRawClient(stack.config.websocketUrl, releaseId, tokens.editor!);
    const next = Y.getState(victim.doc.store, victim.doc.clientID);
    raw.sendMessage(writeSyncUpdate(gcClaim(victim.doc.clientID, next, 1000)));
    expect(await nextControl(raw)).toMatchObject({ type: 'rejected', reason: 'clock-claim' });
    // A bare claim on an id nobody holds yet is refused too (it would squat on a newcomer).
    raw.sendMessage(writeSyncUpdate(gcClaim(victim.doc.clientID + 1, 0, 10)));
    expect(await nextControl(raw)).toMatchObject({ type: 'rejected', reason: 'clock-claim' });

    setReleaseField(victim.doc, 'genre', 'Blues');
    await waitForStored(releaseId, (doc) => readReleaseFields(doc).genre === 'Blues');
    expect(Y.getState((await storedCopy(releaseId)).store, victim.doc.clientID)).toBe(
      Y.getState(victim.doc.store, victim.doc.clientID),
    );
    raw.ws.close();
  });

  it("content under another person's client id is refused with foreign-client-id", async () => {
    const releaseId = await editorsRelease('Foreign');
    const victim = connectRelease(stack.config.websocketUrl, releaseId, tokens.manager!);
    await victim.whenSynced();
    setReleaseField(victim.doc, 'genre', 'Jazz');
    await waitForStored(releaseId, (doc) => readReleaseFields(doc).genre === 'Jazz');
    const raw = await openRawClient(stack.config.websocketUrl, releaseId, tokens.editor!);
    const impostor = await storedCopy(releaseId, victim.doc.clientID);
    raw.sendMessage(writeSyncUpdate(updateOf(impostor, (doc) => setReleaseField(doc, 'genre', 'Impostor'))));
    expect(await nextControl(raw)).toMatchObject({ type: 'rejected', reason: 'foreign-client-id' });
    // The seed's id belongs to the system: nobody extends it.
    const before = await storedState(stack, releaseId);
    const seedClient = [...Y.decodeStateVector(Y.encodeStateVectorFromUpdate(before.state)).keys()].find(
      (client) => client !== victim.doc.clientID,
    )!;
    const system = await storedCopy(releaseId, seedClient);
    raw.sendMessage(writeSyncUpdate(updateOf(system, (doc) => setReleaseField(doc, 'genre', 'System'))));
    expect(await nextControl(raw)).toMatchObject({ type: 'rejected', reason: 'foreign-client-id' });
    expect(readReleaseFields(await storedCopy(releaseId)).genre).toBe('Jazz');
    raw.ws.close();
  });

  it('the same person may keep writing under their id from another tab (offline edits)', async () => {
    const releaseId = await editorsRelease('Same person');
    const tab = connectRelease(stack.config.websocketUrl, releaseId, tokens.editor!);
    await tab.whenSynced();
    setReleaseField(tab.doc, 'genre', 'One');
    await waitForStored(releaseId, (doc) => readReleaseFields(doc).genre === 'One');
    tab.destroy();
    // The same document edited offline, then reconnected: same user, same client id.
    setReleaseField(tab.doc, 'genre', 'Offline');
    const back = connectRelease(stack.config.websocketUrl, releaseId, tokens.editor!, tab.doc);
    await back.whenSynced();
    await waitForStored(releaseId, (doc) => readReleaseFields(doc).genre === 'Offline');
  });
});

describe('exact layout', () => {
  it('a Y.Array under the track key "aaaaaaaa.x" is refused; the sheet and its exports keep working', async () => {
    const releaseId = await editorsRelease('Brick');
    const raw = await openRawClient(stack.config.websocketUrl, releaseId, tokens.editor!);
    const before = await storedState(stack, releaseId);
    for (const key of ['aaaaaaaa.x', '']) {
      const attacker = await storedCopy(releaseId);
      raw.sendMessage(
        writeSyncUpdate(updateOf(attacker, (doc) => tracksMap(doc).set(key, new Y.Array() as never))),
      );
      expect(await nextControl(raw)).toMatchObject({ type: 'rejected', reason: 'invalid-value' });
    }
    expect((await storedState(stack, releaseId)).state).toEqual(before.state);
    const api = apiClient(stack.config, tokens.manager!);
    expect((await api.get(`/releases/${releaseId}/export.json`)).status).toBe(200);
    expect((await api.get(`/releases/${releaseId}/export.csv`)).status).toBe(200);
    raw.ws.close();
  });
});

describe('bounds', () => {
  it('an update over maxUpdateBytes is refused with update-too-large and nothing is stored', async () => {
    const releaseId = await editorsRelease('Big paste');
    const raw = await openRawClient(stack.config.websocketUrl, releaseId, tokens.editor!);
    const before = await storedState(stack, releaseId);
    const attacker = await storedCopy(releaseId);
    const paste = updateOf(attacker, (doc) => replaceNotesText(doc, 'p'.repeat(380 * 1024)));
    raw.sendMessage(writeSyncUpdate(paste));
    expect(await nextControl(raw)).toMatchObject({ type: 'rejected', reason: 'update-too-large' });
    expect(await storedState(stack, releaseId)).toEqual(before);
    raw.ws.close();
  });

  it('a release stops growing at maxDocumentBytes with document-too-large, and a fresh client still opens it', async () => {
    const releaseId = await editorsRelease('Full');
    const peer = connectRelease(stack.config.websocketUrl, releaseId, tokens.manager!);
    await peer.whenSynced();
    const raw = await openRawClient(stack.config.websocketUrl, releaseId, tokens.editor!);
    const writer = await storedCopy(releaseId);
    const refusal = nextControl(raw);
    let outcome: unknown = 'stored';
    let pastes = 0;
    while (outcome === 'stored' && pastes < 12) {
      const title = `paste ${pastes}`;
      // 200 KB of new text in a paragraph of its own: the document grows by that much each time.
      const paste = updateOf(writer, (doc) => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText(String(pastes % 10).repeat(200 * 1024))]);
        notesFragment(doc).push([paragraph]);
        addTrack(doc, { title });
      });
      raw.sendMessage(writeSyncUpdate(paste));
      outcome = await Promise.race([
        waitForDoc(peer.doc, (doc) => readSheet(doc).tracks.some((track) => track.title === title)).then(
          () => 'stored',
        ),
        refusal,
      ]);
      pastes += 1;
    }
    expect(outcome).toMatchObject({ type: 'rejected', reason: 'document-too-large' });
    expect(pastes).toBeGreaterThan(5);
    const stored = await storedState(stack, releaseId);
    expect(stored.state.length).toBeLessThanOrEqual(1536 * 1024);
    expect(stored.state.length).toBeGreaterThan(1024 * 1024);
    // Its sync step 2 is over 1 MB: it goes out chunked, and a new client opens the release.
    const fresh = connectRelease(stack.config.websocketUrl, releaseId, tokens.manager!);
    await fresh.whenSynced();
    expect(readSheet(fresh.doc).tracks).toHaveLength(readSheet(await storedCopy(releaseId)).tracks.length);
    raw.ws.close();
  });
});

describe('refusals cost the room a reload, so they are bounded', () => {
  it('a connection that keeps sending refused updates is closed', async () => {
    const releaseId = await editorsRelease('Flood');
    const raw = await openRawClient(stack.config.websocketUrl, releaseId, tokens.editor!);
    const stored = (await storedState(stack, releaseId)).state;
    for (let i = 0; i < 12; i++) {
      // Each from a document of its own: independent refusals, none waiting on another.
      const attacker = new Y.Doc();
      Y.applyUpdate(attacker, stored);
      raw.sendMessage(
        writeSyncUpdate(updateOf(attacker, (doc) => setReleaseField(doc, 'upc', `03600029145${i % 10}`))),
      );
    }
    await raw.closed;
    const bystanders = await openBystanders(stack, releaseId, {
      writer: tokens.editor!,
      reader: tokens.manager!,
    });
    await bystanders.proveServing();
  });
});

describe('out of order', () => {
  it("an update whose dependencies have not arrived is answered with sync step 1, and the client's answer is stored", async () => {
    const releaseId = await editorsRelease('Order');
    const raw = await openRawClient(stack.config.websocketUrl, releaseId, tokens.editor!);
    const writer = await storedCopy(releaseId);
    const serverState = Y.encodeStateVector(writer);
    const first = updateOf(writer, (doc) => setReleaseField(doc, 'genre', 'One'));
    const second = updateOf(writer, (doc) => setReleaseField(doc, 'genre', 'Two'));
    void first;
    raw.sendMessage(writeSyncUpdate(second));
    let reply = await raw.nextReply();
    while (reply.kind !== 'sync-step1') reply = await raw.nextReply();
    expect(reply.stateVector).toEqual(serverState);
    raw.sendMessage(writeSyncUpdate(Y.encodeStateAsUpdate(writer, reply.stateVector)));
    await waitForStored(releaseId, (doc) => readReleaseFields(doc).genre === 'Two');
    raw.ws.close();
  });
});

/** Resolves once the stored document satisfies `predicate` (polls DynamoDB: storage has no events). */
async function waitForStored(releaseId: string, predicate: (doc: Y.Doc) => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (predicate(await storedCopy(releaseId))) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the stored document never got there');
}
