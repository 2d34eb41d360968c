import { createHmac } from 'node:crypto';
import { newReleaseId } from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRelease } from '../src/core/create-release.js';
import {
  bootstrapCognito,
  createLocalCognitoClient,
  ensureUser,
} from '../src/local-stack/bootstrap-cognito.js';
import { LOCAL_NAMES } from '../src/local-stack/start-local-stack.js';
import { openBystanders, storedState } from './support/bystanders.js';
import {
  cognitoLocalKey,
  cognitoLocalPublicJwk,
  decodeJwt,
  type JwtPart,
  signJwt,
  strangerKey,
  unsignedJwt,
} from './support/forge-token.js';
import { refusedHandshake, releaseUrl } from './support/handshake.js';
import { openRawClient } from './support/raw-client.js';
import { idTokenOf, signIn } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
const tokens: Record<string, string> = {};
/** The editor's real ID token, taken apart: the template every forged token starts from. */
let editorJwt: { header: JwtPart; payload: JwtPart };
let editorAccessToken: string;
/** A real, signed-in user with no group and no grant on any release. */
let strangerToken: string;
/** Real ID tokens of the demo editor's email, issued by another pool and by another app client. */
let otherPoolToken: string;
let otherClientToken: string;
/** A release the demo editor has no grant on. */
let otherReleaseId: string;

beforeAll(async () => {
  const started = await startTestStack({ workers: 3 });
  stack = started.stack;
  const { config } = stack;
  for (const role of ['editor', 'manager', 'viewer'] as const) tokens[role] = await idTokenOf(config, role);
  const demo = config.demo!;
  const editorSession = await signIn(config, demo.accounts.editor, demo.password);
  editorJwt = decodeJwt(editorSession.getIdToken().getJwtToken());
  editorAccessToken = editorSession.getAccessToken().getJwtToken();

  const cognito = createLocalCognitoClient(config.cognito.endpoint, config.region);
  try {
    const user = { name: 'Sam Stranger', password: demo.password, groups: [] };
    await ensureUser(cognito, config.cognito.userPoolId, { ...user, email: 'stranger@demo.patchline.test' });
    strangerToken = (await signIn(config, 'stranger@demo.patchline.test', demo.password))
      .getIdToken()
      .getJwtToken();

    // The same email in another pool of the same cognito-local: same signing key, other issuer.
    const otherPool = await bootstrapCognito(cognito, { poolName: 'another-label', clientName: 'web' });
    await ensureUser(cognito, otherPool.userPoolId, { ...user, email: demo.accounts.editor });
    otherPoolToken = (
      await signIn(
        { ...config, cognito: { ...config.cognito, ...otherPool } },
        demo.accounts.editor,
        demo.password,
      )
    )
      .getIdToken()
      .getJwtToken();

    // Another app client of the right pool: right issuer, other audience.
    const otherClient = await bootstrapCognito(cognito, {
      poolName: LOCAL_NAMES.userPoolName,
      clientName: 'some-other-app',
    });
    expect(otherClient.userPoolId).toBe(config.cognito.userPoolId);
    otherClientToken = (
      await signIn(
        { ...config, cognito: { ...config.cognito, clientId: otherClient.clientId } },
        demo.accounts.editor,
        demo.password,
      )
    )
      .getIdToken()
      .getJwtToken();
  } finally {
    cognito.destroy();
  }

  otherReleaseId = await createRelease(stack.stores, {
    ownerId: String(decodeJwt(tokens.manager!).payload.sub),
    seed: { release: { title: 'Somebody else’s album' } },
  });
  return started.teardown;
});

const now = () => Math.floor(Date.now() / 1000);

/** The editor's ID token with `changes` applied, signed with cognito-local's own key. */
function mintIdToken(changes: JwtPart): string {
  return signJwt(editorJwt.header, { ...editorJwt.payload, ...changes }, cognitoLocalKey());
}

interface Refusal {
  name: string;
  url: () => string;
  status: 400 | 401 | 403;
  /** What the handshake's body must say: the handler's message, not a generic failure. */
  says: RegExp;
  /** The release the refused connection targeted, checked for a stray connection record. */
  releaseId?: () => string;
}

const demoUrl = (token?: string) =>
  releaseUrl(stack.config.websocketUrl, {
    doc: stack.demoReleaseId,
    ...(token === undefined ? {} : { token }),
  });

const refusals: Refusal[] = [
  { name: 'no token', url: () => demoUrl(), status: 401, says: /no token/ },
  { name: 'an empty token', url: () => demoUrl(''), status: 401, says: /no token/ },
  { name: 'a garbage token', url: () => demoUrl('not-a-jwt'), status: 401, says: /^Invalid token/ },
  {
    name: 'an alg:none token with the real claims and no signature',
    url: () => demoUrl(unsignedJwt({ ...editorJwt.header, alg: 'none' }, editorJwt.payload)),
    status: 401,
    says: /^Invalid token/,
  },
  {
    name: 'an alg:none token with the real claims and the real signature',
    url: () => {
      const [, payload, signature] = tokens.editor!.split('.');
      const header = Buffer.from(JSON.stringify({ ...editorJwt.header, alg: 'none' })).toString('base64url');
      return demoUrl(`${header}.${payload}.${signature}`);
    },
    status: 401,
    says: /^Invalid token: .*algorithm/i,
  },
  {
    name: 'an HS256 token keyed with the public JWK (algorithm confusion)',
    url: () => {
      const header = { ...editorJwt.header, alg: 'HS256' };
      const input = [header, editorJwt.payload]
        .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
        .join('.');
      const secret = JSON.stringify(cognitoLocalPublicJwk());
      return demoUrl(`${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`);
    },
    status: 401,
    says: /^Invalid token: .*algorithm/i,
  },
  {
    name: 'the real token with its claims changed (groups: admins) and the old signature',
    url: () => {
      const [header, , signature] = tokens.editor!.split('.');
      const payload = Buffer.from(
        JSON.stringify({ ...editorJwt.payload, 'cognito:groups': ['admins'] }),
      ).toString('base64url');
      return demoUrl(`${header}.${payload}.${signature}`);
    },
    status: 401,
    says: /^Invalid token: Invalid signature/,
  },
  {
    name: 'a token signed by another RSA key under the real kid',
    url: () => demoUrl(signJwt(editorJwt.header, editorJwt.payload, strangerKey())),
    status: 401,
    says: /^Invalid token: Invalid signature/,
  },
  {
    name: 'the access token of a real user',
    url: () => demoUrl(editorAccessToken),
    status: 401,
    says: /^Invalid token/,
  },
  {
    name: 'an access token with the app client as audience and a valid signature',
    url: () => {
      const access = decodeJwt(editorAccessToken);
      const payload = { ...access.payload, aud: stack.config.cognito.clientId };
      return demoUrl(signJwt(access.header, payload, cognitoLocalKey()));
    },
    status: 401,
    says: /not an ID token/,
  },
  {
    name: 'an expired ID token with a valid signature',
    url: () => demoUrl(mintIdToken({ iat: now() - 7200, auth_time: now() - 7200, exp: now() - 3600 })),
    status: 401,
    says: /expired/,
  },
  {
    name: 'an ID token for another pool (issuer) with a valid signature',
    url: () => demoUrl(mintIdToken({ iss: `${stack.config.cognito.endpoint}/us-east-1_ElsewhereX` })),
    status: 401,
    says: /issuer/i,
  },
  {
    name: 'an ID token for another app client (audience) with a valid signature',
    url: () => demoUrl(mintIdToken({ aud: 'someotherclientid' })),
    status: 401,
    says: /audience/i,
  },
  {
    name: 'a real ID token issued by another user pool',
    url: () => demoUrl(otherPoolToken),
    status: 401,
    says: /issuer/i,
  },
  {
    name: 'a real ID token issued to another app client of the pool',
    url: () => demoUrl(otherClientToken),
    status: 401,
    says: /audience/i,
  },
  {
    name: 'an unknown release',
    url: () => releaseUrl(stack.config.websocketUrl, { doc: newReleaseId(), token: tokens.editor! }),
    status: 403,
    says: /No access/,
  },
  {
    name: 'a release the user has no grant on (IDOR)',
    url: () => releaseUrl(stack.config.websocketUrl, { doc: otherReleaseId, token: tokens.editor! }),
    status: 403,
    says: /No access/,
    releaseId: () => otherReleaseId,
  },
  {
    name: 'a signed-in user with no grant and no group',
    url: () => demoUrl(strangerToken),
    status: 403,
    says: /No access/,
  },
  {
    name: 'a malformed doc parameter (../x)',
    url: () => releaseUrl(stack.config.websocketUrl, { doc: '../x', token: tokens.editor! }),
    status: 400,
    says: /doc parameter/,
  },
  {
    name: 'no doc parameter',
    url: () => releaseUrl(stack.config.websocketUrl, { token: tokens.editor! }),
    status: 400,
    says: /doc parameter/,
  },
];

const connectionIds = async (releaseId: string) =>
  (await stack.stores.connections.listForRelease(releaseId)).map((c) => c.connectionId);

describe('$connect refuses who it cannot identify or authorize (permissions/SPEC.md, 401/403 handshake)', () => {
  it.each(refusals)('$status for $name; nothing is recorded and others are still served', async (refusal) => {
    const releaseId = refusal.releaseId?.() ?? stack.demoReleaseId;
    const bystanders = await openBystanders(stack, stack.demoReleaseId, {
      writer: tokens.editor!,
      reader: tokens.manager!,
    });
    const before = {
      state: await storedState(stack, releaseId),
      connections: await connectionIds(releaseId),
    };

    const refused = await refusedHandshake(refusal.url());
    expect(refused.status, refused.body).toBe(refusal.status);
    expect(refused.body).toMatch(refusal.says);

    expect(await storedState(stack, releaseId)).toEqual(before.state);
    const recorded = (await connectionIds(releaseId)).filter((id) => !before.connections.includes(id));
    expect(recorded).toEqual([]);
    await bystanders.proveServing();
  });

  it('accepts a token minted with the same key and the real claims (the forged cases fail for their claim)', async () => {
    const raw = await openRawClient(
      stack.config.websocketUrl,
      stack.demoReleaseId,
      mintIdToken({ iat: now(), exp: now() + 600 }),
    );
    await raw.expectServed();
  });

  it('accepts a viewer, records the connection with its role, and serves it', async () => {
    const bystanders = await openBystanders(stack, stack.demoReleaseId, {
      writer: tokens.editor!,
      reader: tokens.manager!,
    });
    const known = await connectionIds(stack.demoReleaseId);
    const viewer = await openRawClient(stack.config.websocketUrl, stack.demoReleaseId, tokens.viewer!);
    const recorded = (await stack.stores.connections.listForRelease(stack.demoReleaseId)).filter(
      (c) => !known.includes(c.connectionId),
    );
    expect(recorded).toEqual([expect.objectContaining({ role: 'viewer', releaseId: stack.demoReleaseId })]);
    const { update } = await viewer.expectServed();
    expect(update.length).toBeGreaterThan(2);
    await bystanders.proveServing();
  });
});
