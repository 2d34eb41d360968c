import { readReleaseFields, setReleaseField } from '@patchline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actors, ownedRelease, signInActors } from './support/api-actors.js';
import { apiClient } from './support/api-client.js';
import { cognitoLocalKey, decodeJwt, signJwt } from './support/forge-token.js';
import { connectRelease, nextEvent, waitForDoc } from './support/release-client.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Issue 12, "Demotion reaches live sessions and old tokens": an admin takes someone out of
 * `managers`, and within 5 s everywhere they are no longer a manager: their open connections are
 * told (and ended where they cannot read any more), their next message is judged without the
 * group, and the REST API neither trusts the group in a token issued before nor lets them
 * grant themselves anything.
 */

let stack: TestStack;
let actors: Actors;
let stop: () => Promise<void>;

beforeAll(async () => {
  const started = await startTestStack();
  stack = started.stack;
  stop = started.teardown;
  actors = await signInActors(stack);
});
afterAll(() => stop?.());

/** The manager's token as Cognito would have issued it a few seconds before now. */
function issuedEarlier(token: string): string {
  const { header, payload } = decodeJwt(token);
  return signJwt(header, { ...payload, iat: Number(payload.iat) - 5 }, cognitoLocalKey());
}

describe('demotion from managers', () => {
  it('reaches open connections, the next message and old tokens at once', async () => {
    const managerToken = issuedEarlier(actors.token.manager);
    // A release the manager reads only as label staff, and one where they also hold an editor grant.
    const labelOnly = await ownedRelease(stack, actors, { title: 'Label only' });
    const granted = await ownedRelease(stack, actors, {
      title: 'Granted',
      extra: { [actors.sub.manager]: 'editor' },
    });
    const onLabelOnly = connectRelease(stack.config.websocketUrl, labelOnly, managerToken);
    const onGranted = connectRelease(stack.config.websocketUrl, granted, managerToken);
    await Promise.all([onLabelOnly.whenSynced(), onGranted.whenSynced()]);
    // As a manager they may set a label field.
    setReleaseField(onGranted.doc, 'catalogNumber', 'CAT-BEFORE');
    await waitForStoredField(granted, 'catalogNumber', 'CAT-BEFORE');

    const revoked = nextEvent<{ message: string }>(onLabelOnly, 'revoked');
    const roleChanged = nextEvent<{ role: string }>(onGranted, 'role-changed');
    const started = Date.now();
    const demoted = await actors.api.admin.put(`/admin/users/${actors.sub.manager}/manager`, {
      isManager: false,
    });
    expect(demoted.status).toBe(200);
    await revoked;
    expect(await roleChanged).toMatchObject({ role: 'editor' });
    expect(Date.now() - started).toBeLessThan(5_000);

    // Their next label-field edit is refused, on the connection opened while they were a manager.
    const rejected = nextEvent<{ reason: string }>(onGranted, 'rejected');
    setReleaseField(onGranted.doc, 'catalogNumber', 'CAT-AFTER');
    expect(await rejected).toMatchObject({ reason: 'forbidden-field' });
    expect(readReleaseFields((await stack.stores.documents.load(granted))!.doc).catalogNumber).toBe(
      'CAT-BEFORE',
    );

    // The REST API: the old token is refused; a token from the demotion's own second carries no
    // manager power either (it may not grant itself owner, nor even read the label-only release).
    const grantSelf = { email: actors.email.manager, role: 'owner' };
    const stale = await apiClient(stack.config, managerToken).post(
      `/releases/${labelOnly}/members`,
      grantSelf,
    );
    expect(stale).toMatchObject({ status: 401, body: { error: 'expired-token' } });
    const sameSecond = await apiClient(stack.config, actors.token.manager).post(
      `/releases/${labelOnly}/members`,
      grantSelf,
    );
    expect([401, 404]).toContain(sameSecond.status);
    expect(await stack.stores.grants.get(labelOnly, actors.sub.manager)).toBeNull();
  });
});

async function waitForStoredField(releaseId: string, field: 'catalogNumber', value: string): Promise<void> {
  // Stored before it is sent: a second replica sees it only once it is in DynamoDB.
  const witness = connectRelease(stack.config.websocketUrl, releaseId, actors.token.admin);
  await waitForDoc(witness.doc, (doc) => readReleaseFields(doc)[field] === value);
  witness.destroy();
}
