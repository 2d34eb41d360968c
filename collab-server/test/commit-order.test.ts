import { type Frame, readFrame, readReleaseFields, setReleaseField } from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CollabDeps } from '../src/core/collab-deps.js';
import { createRelease } from '../src/core/create-release.js';
import { Rooms } from '../src/room/rooms.js';
import { DynamoDocumentStore } from '../src/store/dynamo-document-store.js';
import { coreDeps } from './support/core-deps.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;

beforeAll(async () => {
  const started = await startTestStack({ gateway: false, seed: false });
  stack = started.stack;
  return started.teardown;
});

/**
 * A handler process whose commits wait at a gate before their PutItem: the real store, paused
 * between authorizing and storing, as a Lambda instance may be for any length of time. Without
 * a gateway in this test, what the process sends to connections is recorded instead.
 */
function gatedProcess({ isGated = true } = {}) {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let reachedGate: () => void = () => undefined;
  const atGate = new Promise<void>((resolve) => {
    reachedGate = resolve;
  });
  const documents = new DynamoDocumentStore(stack.stores.client, stack.stores.tableName);
  const appendAt = documents.appendAt.bind(documents);
  documents.appendAt = async (...args) => {
    reachedGate();
    if (isGated) await gate;
    return appendAt(...args);
  };
  const sent: Frame[] = [];
  const base = coreDeps(stack);
  const deps: CollabDeps = {
    ...base,
    stores: { ...stack.stores, documents },
    // The sender's frames are recorded: what it is told is what this test checks.
    messenger: {
      ...base.messenger,
      post: async (_connectionId, frame) => {
        sent.push(readFrame(frame));
        return 'sent';
      },
    },
  };
  return { rooms: new Rooms(deps), open, atGate, sent };
}

async function draftWithEditor() {
  const releaseId = await createRelease(stack.stores, {
    ownerId: 'owner-1',
    seed: { release: { title: 'Before' } },
  });
  await stack.stores.grants.put({
    releaseId,
    userId: 'ed',
    role: 'editor',
    via: 'direct',
    grantedBy: 'owner-1',
    createdAt: '',
  });
  const editor = new Y.Doc();
  Y.applyUpdate(editor, Y.encodeStateAsUpdate((await stack.stores.documents.load(releaseId))!.doc));
  const vector = Y.encodeStateVector(editor);
  setReleaseField(editor, 'title', 'Edited while in draft');
  const update = Y.encodeStateAsUpdate(editor, vector);
  const connection = {
    connectionId: 'editor-connection',
    releaseId,
    userId: 'ed',
    name: 'Editor',
    groups: [],
    role: 'editor' as const,
    connectedAt: Date.now(),
    expiresAt: 0,
  };
  return { releaseId, update, connection, editor };
}

const submit = (rooms: Rooms, releaseId: string) =>
  rooms.get(releaseId).edit(
    (doc) => readReleaseFields(doc).status,
    (doc) => setReleaseField(doc, 'status', 'in_review'),
    ['release.status'],
  );

describe('status changes are atomic with edits (ST1)', () => {
  it('an edit authorized under draft is not stored after "in review" was acknowledged; its sender is asked again', async () => {
    const { releaseId, update, connection } = await draftWithEditor();
    const editorProcess = gatedProcess();
    const received = editorProcess.rooms.get(releaseId).receiveUpdate(connection, update);
    // Authorized under draft, now between its verdict and its PutItem.
    await editorProcess.atGate;
    // Another process submits the release, and the submit is acknowledged.
    expect(await submit(gatedProcess({ isGated: false }).rooms, releaseId)).toBe('draft');
    editorProcess.open();
    await received;

    const stored = readReleaseFields((await stack.stores.documents.load(releaseId))!.doc);
    expect(stored.status).toBe('in_review');
    expect(stored.title).toBe('Before');
    // The editor was asked for its edit again (sync step 1), and not told it was stored.
    expect(editorProcess.sent).toHaveLength(1);
    const [asked] = editorProcess.sent;
    expect(asked?.kind === 'data' && [...asked.message.slice(0, 2)]).toEqual([0, 0]); // sync, step 1

    // Sent again, it is judged under "in review", where an editor changes nothing.
    const again = gatedProcess({ isGated: false });
    await again.rooms.get(releaseId).receiveUpdate(connection, update);
    expect(readReleaseFields((await stack.stores.documents.load(releaseId))!.doc).title).toBe('Before');
    const [answer] = again.sent;
    expect(answer?.kind === 'control' && answer.message).toMatchObject({
      type: 'rejected',
      reason: 'read-only',
    });
  });

  it('a status change checked before an edit was stored is checked again on the document with it', async () => {
    const { releaseId, update, connection } = await draftWithEditor();
    const statusProcess = gatedProcess();
    const submitted = submit(statusProcess.rooms, releaseId);
    await statusProcess.atGate;
    // The edit is stored while the status change waits between its check and its PutItem.
    await gatedProcess({ isGated: false }).rooms.get(releaseId).receiveUpdate(connection, update);
    statusProcess.open();
    expect(await submitted).toBe('draft');

    const stored = readReleaseFields((await stack.stores.documents.load(releaseId))!.doc);
    expect(stored).toMatchObject({ status: 'in_review', title: 'Edited while in draft' });
    const log = await stack.stores.documents.readLogAfter(releaseId, 0);
    // The edit first, then the status change, each stored once.
    expect(log.map((item) => item.paths)).toEqual([['release.title'], ['release.status']]);
  });
});

describe('one clock is stored once (ST1)', () => {
  it('the same edit accepted by two processes at once is stored, and its sender is not asked again', async () => {
    const { releaseId, update, connection } = await draftWithEditor();
    const first = gatedProcess();
    const received = first.rooms.get(releaseId).receiveUpdate(connection, update);
    await first.atGate;
    // The client's resend reached another process, which stored it first.
    await gatedProcess({ isGated: false }).rooms.get(releaseId).receiveUpdate(connection, update);
    first.open();
    await received;
    expect(first.sent).toEqual([]);
    expect(readReleaseFields((await stack.stores.documents.load(releaseId))!.doc).title).toBe(
      'Edited while in draft',
    );
  });

  it('two versions of one edit (same client and clocks, other content) are not both stored; the later sender is asked again', async () => {
    const { releaseId, update, connection, editor } = await draftWithEditor();
    // The same client id and clock, another title: what only the id's owner can send.
    const twin = new Y.Doc();
    twin.clientID = editor.clientID;
    Y.applyUpdate(twin, Y.encodeStateAsUpdate((await stack.stores.documents.load(releaseId))!.doc));
    const vector = Y.encodeStateVector(twin);
    setReleaseField(twin, 'title', 'The other version');
    const other = Y.encodeStateAsUpdate(twin, vector);

    const first = gatedProcess();
    const received = first.rooms.get(releaseId).receiveUpdate(connection, update);
    await first.atGate;
    await gatedProcess({ isGated: false }).rooms.get(releaseId).receiveUpdate(connection, other);
    first.open();
    await received;
    expect(readReleaseFields((await stack.stores.documents.load(releaseId))!.doc).title).toBe(
      'The other version',
    );
    const log = await stack.stores.documents.readLogAfter(releaseId, 0);
    expect(log).toHaveLength(1);
    const [asked] = first.sent;
    expect(asked?.kind === 'data' && [...asked.message.slice(0, 2)]).toEqual([0, 0]); // sync, step 1
  });
});
