import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListUserPoolsCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { AuthError, AuthErrorReason } from '../src/auth/auth-error.js';
import { createIdTokenVerifier, fetchLocalJwks } from '../src/auth/id-token-verifier.js';
import { createLocalCognitoClient } from '../src/local-stack/bootstrap-cognito.js';
import { DEMO_ACCOUNTS, DEMO_ROLES, type DemoRole } from '../src/local-stack/demo-data.js';
import { type LocalConfig, type LocalStack, startLocalStack } from '../src/local-stack/start-local-stack.js';
import { createStores } from '../src/store/create-stores.js';
import { openClient, refusedStatus } from './fixtures/ws-client.js';
import { signIn } from './support/sign-in.js';

const EXPECTED_GROUPS: Record<DemoRole, string[] | undefined> = {
  admin: ['admins'],
  manager: ['managers'],
  editor: undefined,
  viewer: undefined,
};

let dataDir: string;
let stack: LocalStack;

/**
 * Everything on port 0. The first stack runs the handlers in-process (`workers: 0`) to stay
 * light; the restarted one needs a worker, because `handler-context.ts` builds its clients once
 * per process and in-process handlers would keep the first stack's (now closed) endpoints.
 */
const start = (workers = 0) =>
  startLocalStack({ dataDir, ports: { dynamodb: 0, cognito: 0, gateway: 0, api: 0 }, workers });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'patchline-local-stack-'));
  stack = await start();
  // `stack` is reassigned by the restart test: stop whichever one is current (stop is idempotent).
  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}, 60_000);

function demo(config: LocalConfig) {
  if (!config.demo) throw new Error('the stack was started without its demo data');
  return config.demo;
}

function cognitoAdmin(config: LocalConfig) {
  const client = createLocalCognitoClient(config.cognito.endpoint, config.region);
  onTestFinished(() => client.destroy());
  return client;
}

/** The stack's DynamoDB through the real stores; stopping dynalite drops their sockets. */
function stores(config: LocalConfig) {
  return createStores({ ...config.dynamodb, region: config.region });
}

describe(startLocalStack.name, () => {
  it('writes local.json with every key scripts rely on', async () => {
    const written = JSON.parse(await readFile(join(dataDir, 'local.json'), 'utf8')) as LocalConfig;
    expect(written).toEqual(stack.config);
    expect(written).toEqual({
      region: 'us-east-1',
      websocketUrl: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+$/),
      websocketManagementUrl: written.websocketUrl.replace('ws://', 'http://'),
      apiUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      webUrl: 'http://127.0.0.1:3000',
      cognito: {
        endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        userPoolId: expect.stringMatching(/^local_/),
        clientId: expect.any(String),
        issuer: `${written.cognito.endpoint}/${written.cognito.userPoolId}`,
      },
      dynamodb: {
        endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        tableName: 'patchline-local',
      },
      demo: {
        password: expect.any(String),
        releaseId: expect.any(String),
        accounts: {
          admin: 'admin@demo.patchline.test',
          manager: 'manager@demo.patchline.test',
          editor: 'editor@demo.patchline.test',
          viewer: 'viewer@demo.patchline.test',
        },
      },
    });
  });

  it.each(DEMO_ROLES)(
    'signs %s in with USER_PASSWORD_AUTH and issues ID tokens the verifier accepts',
    async (role) => {
      const { config } = stack;
      const session = await signIn(config, DEMO_ACCOUNTS[role].email, demo(config).password);
      const idToken = session.getIdToken();
      expect(idToken.payload.iss).toBe(config.cognito.issuer);
      expect(idToken.payload['cognito:groups']).toEqual(EXPECTED_GROUPS[role]);

      const verifier = createIdTokenVerifier({
        userPoolId: config.cognito.userPoolId,
        clientId: config.cognito.clientId,
        local: { issuer: config.cognito.issuer, jwks: await fetchLocalJwks(config.cognito.issuer) },
      });
      await expect(verifier.verify(idToken.getJwtToken())).resolves.toEqual({
        sub: idToken.payload.sub,
        groups: EXPECTED_GROUPS[role] ?? [],
        email: DEMO_ACCOUNTS[role].email,
        emailVerified: true,
        // A standard attribute, in the token as in Amazon Cognito (see id-token-claims.ts).
        name: DEMO_ACCOUNTS[role].name,
        issuedAt: idToken.payload.iat,
      });
      const accessToken = session.getAccessToken().getJwtToken();
      await expect(verifier.verify(accessToken)).rejects.toEqual(
        expect.objectContaining({ constructor: AuthError, reason: AuthErrorReason.invalidToken }),
      );
    },
  );

  it('refuses a wrong password', async () => {
    // Amazon Cognito answers NotAuthorizedException; cognito-local says InvalidPasswordException.
    await expect(
      signIn(stack.config, DEMO_ACCOUNTS.viewer.email, 'Not-the-password-1'),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^(NotAuthorizedException|InvalidPasswordException)$/),
    });
  });

  it('grants the demo release to the manager (owner), the editor and the viewer', async () => {
    const { config } = stack;
    const { releaseId } = demo(config);
    const { releases, grants } = stores(config);
    const subs = await subsByEmail(config);
    const meta = await releases.get(releaseId);
    expect(meta).toMatchObject({ title: 'Night Bus Home', ownerId: subs.get(DEMO_ACCOUNTS.manager.email) });
    const roles = Object.fromEntries((await grants.listForRelease(releaseId)).map((g) => [g.userId, g.role]));
    expect(roles).toEqual({
      [subs.get(DEMO_ACCOUNTS.manager.email)!]: 'owner',
      [subs.get(DEMO_ACCOUNTS.editor.email)!]: 'editor',
      [subs.get(DEMO_ACCOUNTS.viewer.email)!]: 'viewer',
    });
  });

  it('reuses the pool, the users and the demo release on a restart with the same data directory', async () => {
    const first = stack.config;
    const subsBefore = await subsByEmail(first);
    await stack.stop();
    stack = await start(1);
    const second = stack.config;

    expect(second.cognito.userPoolId).toBe(first.cognito.userPoolId);
    expect(second.cognito.clientId).toBe(first.cognito.clientId);
    expect(demo(second).releaseId).toBe(demo(first).releaseId);
    expect(await subsByEmail(second)).toEqual(subsBefore);
    const { UserPools } = await cognitoAdmin(second).send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(UserPools?.map((p) => p.Name)).toEqual(['patchline-local']);
    expect(await stores(second).grants.listForRelease(demo(second).releaseId)).toHaveLength(3);
  });

  // Runs on the restarted stack, so the handlers (in a worker process) serve the data it kept.
  it('runs the real handlers behind the gateway, and stop() closes open connections first', async () => {
    const { config } = stack;
    const { releaseId, password } = demo(config);
    const client = await connectAs(config, 'editor', releaseId, password);
    expect(await refusedStatus(`${config.websocketUrl}/?doc=${releaseId}`)).toBe(401);

    // The gateway closes the socket (1001) and runs its `$disconnect` before DynamoDB stops.
    await stack.stop();
    expect((await client.closed).code).toBe(1001);
  });
});

async function connectAs(config: LocalConfig, role: DemoRole, releaseId: string, password: string) {
  const session = await signIn(config, DEMO_ACCOUNTS[role].email, password);
  return openClient(`${config.websocketUrl}/?doc=${releaseId}&token=${session.getIdToken().getJwtToken()}`);
}

/** Every user of the pool, email → sub; duplicates would make the map smaller than the list. */
async function subsByEmail(config: LocalConfig): Promise<Map<string, string>> {
  const { Users = [] } = await cognitoAdmin(config).send(
    new ListUsersCommand({ UserPoolId: config.cognito.userPoolId }),
  );
  const attribute = (user: (typeof Users)[number], name: string) =>
    user.Attributes?.find((a) => a.Name === name)?.Value ?? '';
  expect(Users).toHaveLength(DEMO_ROLES.length);
  return new Map(Users.map((user) => [attribute(user, 'email'), attribute(user, 'sub')]));
}
