import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createRelease } from '../core/create-release.js';
import type { Stores } from '../store/create-stores.js';
import { ensureUser } from './bootstrap-cognito.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_RELEASE, DEMO_ROLES, type DemoRole } from './demo-data.js';

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
  const releaseId =
    previous?.ownerId === ownerId
      ? previous.releaseId
      : await createRelease(deps.stores, {
          ownerId,
          ownerEmail: DEMO_ACCOUNTS[OWNER].email,
          ownerName: DEMO_ACCOUNTS[OWNER].name,
          seed: DEMO_RELEASE,
        });

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
