import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ReleaseRole } from '@patchline/permissions';
import { gtinCheckDigit, type ReleaseStatus, type SheetSeed } from '@patchline/shared';
import { createRelease } from '../../src/core/create-release.js';
import { createLocalCognitoClient, ensureUser } from '../../src/local-stack/bootstrap-cognito.js';
import { DEMO_RELEASE } from '../../src/local-stack/demo-data.js';
import { apiClient } from './api-client.js';
import { decodeJwt } from './jwt.js';
import { idTokenOf, signIn } from './sign-in.js';
import type { TestStack } from './test-stack.js';

export type ApiClient = ReturnType<typeof apiClient>;

/** Everyone the REST API distinguishes: groups, per-release roles, no grant, no token. */
export const ACTORS = ['admin', 'manager', 'owner', 'editor', 'viewer', 'outsider', 'anonymous'] as const;
export type Actor = (typeof ACTORS)[number];
export type SignedInActor = Exclude<Actor, 'anonymous'>;

export interface Actors {
  api: Record<Actor, ApiClient>;
  token: Record<SignedInActor, string>;
  sub: Record<SignedInActor, string>;
  email: Record<SignedInActor, string>;
}

/**
 * A confirmed Cognito user of the stack's pool (created if missing, no group) and its ID token.
 * The demo password is reused: cognito-local checks nothing, and it meets Cognito's policy.
 */
export async function signedInUser(
  stack: TestStack,
  email: string,
  name: string,
  options: { emailVerified?: boolean } = {},
) {
  const { config } = stack;
  const cognito = createLocalCognitoClient(config.cognito.endpoint, config.region);
  try {
    const password = config.demo!.password;
    const sub = await ensureUser(cognito, config.cognito.userPoolId, {
      email,
      name,
      password,
      groups: [],
      ...options,
    });
    const token = (await signIn(config, email, password)).getIdToken().getJwtToken();
    return { sub, token, email };
  } finally {
    cognito.destroy();
  }
}

/**
 * Signs in the demo admin, manager, editor and viewer, plus two users made here: `owner` (owns
 * the releases `ownedRelease` makes, no group) and `outsider` (signed in, no group, no grant).
 */
export async function signInActors(stack: TestStack): Promise<Actors> {
  const { config } = stack;
  const token = {} as Record<SignedInActor, string>;
  const email = {} as Record<SignedInActor, string>;
  for (const role of ['admin', 'manager', 'editor', 'viewer'] as const) {
    token[role] = await idTokenOf(config, role);
    email[role] = config.demo!.accounts[role];
  }
  for (const [actor, name] of [
    ['owner', 'Olu Owner'],
    ['outsider', 'Otto Outsider'],
  ] as const) {
    const user = await signedInUser(stack, `${actor}@test.patchline.test`, name);
    token[actor] = user.token;
    email[actor] = user.email;
  }
  const sub = Object.fromEntries(
    Object.entries(token).map(([actor, jwt]) => [actor, decodeJwt(jwt).sub as string]),
  ) as Record<SignedInActor, string>;
  const api = Object.fromEntries(
    ACTORS.map((actor) => [actor, apiClient(config, actor === 'anonymous' ? undefined : token[actor])]),
  ) as Record<Actor, ApiClient>;
  return { api, token, sub, email };
}

/** A valid UPC-A no other release has (random body, GTIN check digit): one barcode per product. */
export function freshUpc(): string {
  const body = Array.from({ length: 11 }, () => Math.floor(Math.random() * 10)).join('');
  return `${body}${gtinCheckDigit(body)}`;
}

/**
 * A fresh release owned by `actors.owner` (or `ownerId`), complete enough to submit (the demo
 * sheet with a UPC of its own, or `seed`), in `status`, with direct grants: the demo editor as
 * editor, the demo viewer as viewer (unless `ownerId` is given), and any `extra` members (user
 * id → role; ids need no account).
 */
export async function ownedRelease(
  stack: TestStack,
  actors: Actors,
  options: {
    status?: ReleaseStatus;
    title?: string;
    ownerId?: string;
    extra?: Record<string, ReleaseRole>;
    seed?: SheetSeed;
  } = {},
): Promise<string> {
  const base = options.seed ?? { ...DEMO_RELEASE, release: { ...DEMO_RELEASE.release, upc: freshUpc() } };
  const seed = {
    ...base,
    release: {
      ...base.release,
      status: options.status ?? 'draft',
      title: options.title ?? (options.seed ? (base.release?.title ?? '') : 'Matrix'),
    },
  };
  const ownerId = options.ownerId ?? actors.sub.owner;
  const releaseId = await createRelease(stack.stores, {
    ownerId,
    ...(options.ownerId ? {} : { ownerEmail: actors.email.owner }),
    seed,
  });
  const members: Record<string, ReleaseRole> = {
    ...(options.ownerId ? {} : { [actors.sub.editor]: 'editor', [actors.sub.viewer]: 'viewer' }),
    ...options.extra,
  };
  for (const [userId, role] of Object.entries(members)) {
    await stack.stores.grants.put({
      releaseId,
      userId,
      role,
      via: 'direct',
      grantedBy: ownerId,
      createdAt: new Date().toISOString(),
    });
  }
  return releaseId;
}

/** Every item of a release's partition (and nothing else), for "nothing changed" checks. */
export async function partitionOf(stack: TestStack, releaseId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.stores.client.send(
      new QueryCommand({
        TableName: stack.stores.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `REL#${releaseId}` },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
