import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  fieldPath,
  orderedTrackIds,
  readReleaseStatus,
  recordedValues,
  setReleaseFields,
  setTrackFields,
} from '@patchline/shared';
import * as Y from 'yjs';
import { createRelease } from '../core/create-release.js';
import type { Stores } from '../store/create-stores.js';
import { ensureUser } from './bootstrap-cognito.js';
import {
  DEMO_ACCOUNTS,
  DEMO_EDITS,
  DEMO_FIRST_DRAFT,
  DEMO_FIRST_DRAFT_VERSION,
  DEMO_PASSWORD,
  DEMO_ROLES,
  type DemoRole,
} from './demo-data.js';

export interface DemoSeed {
  releaseId: string;
  /** Cognito `sub` of each demo account: the user id grants and connections carry. */
  userIds: Record<DemoRole, string>;
}

/** The manager owns the demo release: creating releases is what managers do. */
const OWNER: DemoRole = 'manager';
const GRANTED_ROLES = { editor: 'editor', viewer: 'viewer' } as const;

/**
 * Creates the demo accounts and the demo release with its grants, or finds them. The release
 * from the previous start (its id read back from `local.json`) is reused when DynamoDB still
 * holds it and the demo manager still owns it; if either store was wiped, a new one is made
 * rather than pointing the accounts at a release they cannot open.
 */
export async function seedDemo(deps: {
  cognito: CognitoIdentityProviderClient;
  userPoolId: string;
  stores: Stores;
  previousReleaseId?: string;
}): Promise<DemoSeed> {
  const userIds = {} as Record<DemoRole, string>;
  for (const role of DEMO_ROLES) {
    userIds[role] = await ensureUser(deps.cognito, deps.userPoolId, {
      ...DEMO_ACCOUNTS[role],
      password: DEMO_PASSWORD,
    });
  }
  const ownerId = userIds[OWNER];

  const previous = deps.previousReleaseId ? await deps.stores.releases.get(deps.previousReleaseId) : null;
  let releaseId: string;
  if (previous?.ownerId === ownerId) releaseId = previous.releaseId;
  else {
    releaseId = await createRelease(deps.stores, {
      ownerId,
      ownerEmail: DEMO_ACCOUNTS[OWNER].email,
      ownerName: DEMO_ACCOUNTS[OWNER].name,
      seed: DEMO_FIRST_DRAFT,
    });
    await seedHistory(deps.stores, releaseId, userIds);
  }

  for (const [account, role] of Object.entries(GRANTED_ROLES) as [DemoRole, 'editor' | 'viewer'][]) {
    const userId = userIds[account];
    if (await deps.stores.grants.get(releaseId, userId)) continue;
    await deps.stores.grants.put({
      releaseId,
      userId,
      role,
      via: 'direct',
      grantedBy: ownerId,
      createdAt: new Date().toISOString(),
      email: DEMO_ACCOUNTS[account].email,
      name: DEMO_ACCOUNTS[account].name,
    });
  }
  return { releaseId, userIds };
}

const person = (role: DemoRole, userIds: Record<DemoRole, string>) => ({
  userId: userIds[role],
  name: DEMO_ACCOUNTS[role].name,
});

/**
 * The demo release's history (demo-data.ts, `DEMO_EDITS`): a named version of the first draft,
 * the edits that make it `DEMO_RELEASE`, each a log item recorded for its author as a room
 * records a commit, then an automatic version. Runs before any room serves the new release, so
 * it writes the log directly (ST1 in dynamo-document-store.ts), numbering from the start.
 */
async function seedHistory(
  stores: Stores,
  releaseId: string,
  userIds: Record<DemoRole, string>,
): Promise<void> {
  const hour = 3_600_000;
  const start = Date.now() - 26 * hour;
  const loaded = (await stores.documents.load(releaseId))!;
  const doc = loaded.doc;
  const saveVersion = (
    seq: number,
    kind: 'auto' | 'named',
    at: number,
    name: string | null,
    by: DemoRole | null,
  ) =>
    stores.history.saveVersion(releaseId, {
      seq,
      state: Y.encodeStateAsUpdate(doc),
      status: readReleaseStatus(doc),
      kind,
      name,
      createdBy: by && person(by, userIds),
      at,
    });
  await saveVersion(0, 'named', start, DEMO_FIRST_DRAFT_VERSION, 'editor');
  const trackIds = orderedTrackIds(doc);
  let seq = 0;
  for (const edit of DEMO_EDITS) {
    const path =
      edit.track === undefined
        ? fieldPath.release(edit.field)
        : fieldPath.trackField(trackIds[edit.track]!, edit.field);
    let update: Uint8Array | null = null;
    const capture = (emitted: Uint8Array) => {
      update = emitted;
    };
    doc.once('update', capture);
    if (edit.track === undefined) setReleaseFields(doc, { [edit.field]: edit.value });
    else setTrackFields(doc, trackIds[edit.track]!, { [edit.field]: edit.value });
    seq += 1;
    const stored = await stores.documents.appendAt(releaseId, seq, update!, {
      by: [userIds[edit.by]],
      paths: [path],
      values: recordedValues(doc, [path]),
    });
    if (!stored) throw new Error(`demo history: log item ${seq} of ${releaseId} is taken`);
  }
  await stores.documents.touch(releaseId, {});
  await saveVersion(seq, 'auto', Date.now(), null, null);
}
