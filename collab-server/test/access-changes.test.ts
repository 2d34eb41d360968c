import { readReleaseFields, setReleaseField } from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAccessChange } from '../src/core/access-changes.js';
import { refusedStatus } from './fixtures/ws-client.js';
import { coreDeps } from './support/core-deps.js';
import { decodeJwt } from './support/jwt.js';
import { openRawClient, writeSyncStep1 } from './support/raw-client.js';
import { connectRelease, nextEvent, waitForDoc } from './support/release-client.js';
import { idTokenOf } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let editorToken: string;
let managerToken: string;

beforeAll(async () => {
  const started = await startTestStack({ workers: 3 });
  stack = started.stack;
  editorToken = await idTokenOf(stack.config, 'editor');
  managerToken = await idTokenOf(stack.config, 'manager');
  return started.teardown;
});

describe(applyAccessChange.name, () => {
  it('a downgrade reaches the open connection at once and is enforced on its next edit; a revocation disconnects', async () => {
    const releaseId = stack.demoReleaseId;
    const editorSub = decodeJwt(editorToken).sub as string;
    const editor = connectRelease(stack.config.websocketUrl, releaseId, editorToken);
    const manager = connectRelease(stack.config.websocketUrl, releaseId, managerToken);
    await Promise.all([editor.whenSynced(), manager.whenSynced()]);
    const grant = (await stack.stores.grants.get(releaseId, editorSub))!;
    expect(grant.role).toBe('editor');

    // Downgrade: the grant changes, then the API tells the open connections.
    const roleChanged = nextEvent<{ role: string }>(editor, 'role-changed');
    await stack.stores.grants.put({ ...grant, role: 'viewer' });
    await applyAccessChange(coreDeps(stack), { releaseId, userId: editorSub });
    expect(await roleChanged).toMatchObject({ role: 'viewer' });
    const rejected = nextEvent<{ reason: string }>(editor, 'rejected');
    const before = readReleaseFields(manager.doc).title;
    setReleaseField(editor.doc, 'title', 'Edited after downgrade');
    expect(await rejected).toMatchObject({ reason: 'read-only' });
    await editor.whenSynced();
    await waitForDoc(editor.doc, (doc) => readReleaseFields(doc).title === before);

    // Revocation: the grant goes, the connection is told and closed, and cannot come back.
    const revoked = nextEvent<{ message: string }>(editor, 'revoked');
    const closed = new Promise<void>((resolve) =>
      editor.on('status', (s) => s === 'disconnected' && resolve()),
    );
    await stack.stores.grants.delete(releaseId, editorSub);
    await applyAccessChange(coreDeps(stack), { releaseId, userId: editorSub });
    await revoked;
    await closed;
    expect(editor.isRevoked).toBe(true);
    const connections = await stack.stores.connections.listForRelease(releaseId);
    expect(connections.some((c) => c.userId === editorSub)).toBe(false);
    const url = `${stack.config.websocketUrl}/?doc=${releaseId}&token=${editorToken}`;
    expect(await refusedStatus(url)).toBe(403);
    expect(readReleaseFields(manager.doc).title).toBe(before);

    await stack.stores.grants.put(grant); // leave the demo release as it was for other suites
  });

  it('a connection that outlived its grant is revoked, not served, when it asks for the document', async () => {
    const releaseId = stack.demoReleaseId;
    const editorSub = decodeJwt(editorToken).sub as string;
    const grant = (await stack.stores.grants.get(releaseId, editorSub))!;
    const raw = await openRawClient(stack.config.websocketUrl, releaseId, editorToken);
    await raw.expectServed();
    // Revoked in storage, and no access-change call reaches this connection (the race of a
    // connection recorded just after the revocation listed the open ones).
    await stack.stores.grants.delete(releaseId, editorSub);
    try {
      raw.sendMessage(writeSyncStep1(new Uint8Array([0])));
      expect(await raw.nextReply()).toMatchObject({ kind: 'control', message: { type: 'revoked' } });
      await raw.closed;
      const connections = await stack.stores.connections.listForRelease(releaseId);
      expect(connections.some((c) => c.userId === editorSub)).toBe(false);
    } finally {
      await stack.stores.grants.put(grant);
    }
  });
});
