import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SetUserPoolMfaConfigCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { COGNITO_GROUPS, type CognitoGroup } from '@patchline/permissions';

export interface CognitoSetup {
  userPoolId: string;
  clientId: string;
}

/** An admin client for cognito-local; its credentials are never checked, but the SDK needs some. */
export function createLocalCognitoClient(
  endpoint: string,
  region = 'us-east-1',
): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * Finds by name, or creates, the user pool, its web app client and the groups. Safe to run on
 * every start: names are the identity, so a second run returns the same ids.
 */
export async function bootstrapCognito(
  client: CognitoIdentityProviderClient,
  names: { poolName: string; clientName: string },
): Promise<CognitoSetup> {
  const userPoolId = await ensureUserPool(client, names.poolName);
  // As infra/lib/constructs/user-pool.ts sets the production pool: MFA optional, TOTP only.
  // cognito-local creates pools with MFA off, and then ignores an account's authenticator app.
  await client.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: userPoolId,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  const clientId = await ensureAppClient(client, userPoolId, names.clientName);
  await ensureGroups(client, userPoolId, COGNITO_GROUPS);
  return { userPoolId, clientId };
}

async function ensureUserPool(client: CognitoIdentityProviderClient, poolName: string): Promise<string> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken: nextToken }));
    const existing = page.UserPools?.find((pool) => pool.Name === poolName);
    if (existing?.Id) return existing.Id;
    nextToken = page.NextToken;
  } while (nextToken);
  // Sign-in by email, as the production pool (infra `user-pool.ts`) does.
  const { UserPool } = await client.send(
    new CreateUserPoolCommand({ PoolName: poolName, UsernameAttributes: ['email'] }),
  );
  if (!UserPool?.Id) throw new Error(`cognito-local created user pool ${poolName} without an id`);
  return UserPool.Id;
}

async function ensureAppClient(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  clientName: string,
): Promise<string> {
  const { UserPoolClients } = await client.send(
    new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }),
  );
  const existing = UserPoolClients?.find((c) => c.ClientName === clientName);
  if (existing?.ClientId) return existing.ClientId;
  const { UserPoolClient } = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: clientName,
      // A browser client cannot keep a secret. cognito-local has no SRP, so the web app signs in
      // with USER_PASSWORD_AUTH locally (README.md, "The local stack").
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      // Amazon Cognito's defaults (cognito-local's would be 24 h), so token refresh runs locally too.
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'days' },
    }),
  );
  if (!UserPoolClient?.ClientId)
    throw new Error(`cognito-local created app client ${clientName} without an id`);
  return UserPoolClient.ClientId;
}

async function ensureGroups(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  groups: readonly string[],
): Promise<void> {
  const { Groups } = await client.send(new ListGroupsCommand({ UserPoolId: userPoolId }));
  const existing = new Set(Groups?.map((g) => g.GroupName));
  for (const groupName of groups) {
    if (!existing.has(groupName)) {
      await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: groupName }));
    }
  }
}

export interface UserSpec {
  email: string;
  name: string;
  /** Set, permanent, when the user is created (or was left half-created); an existing password stays. */
  password: string;
  groups: readonly CognitoGroup[];
  /** `email_verified` of a user created here (default true, as after a confirmed sign-up). */
  emailVerified?: boolean;
}

/**
 * Finds (by email) or creates a confirmed user with a permanent password and the given group
 * memberships; returns its `sub`, the id grants and connections refer to.
 */
export async function ensureUser(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  user: UserSpec,
): Promise<string> {
  let found = await getUser(client, userPoolId, user.email);
  if (!found) {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: user.email,
        UserAttributes: [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: String(user.emailVerified ?? true) },
          { Name: 'name', Value: user.name },
        ],
        MessageAction: 'SUPPRESS',
      }),
    );
    found = await getUser(client, userPoolId, user.email);
    if (!found) throw new Error(`cognito-local lost user ${user.email} right after creating it`);
  }
  if (found.status !== 'CONFIRMED') {
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: user.email,
        Password: user.password,
        Permanent: true,
      }),
    );
  }
  const { Groups } = await client.send(
    new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: user.email }),
  );
  const memberOf = new Set(Groups?.map((g) => g.GroupName));
  for (const groupName of user.groups) {
    if (!memberOf.has(groupName)) {
      await client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: userPoolId,
          Username: user.email,
          GroupName: groupName,
        }),
      );
    }
  }
  return found.sub;
}

async function getUser(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  email: string,
): Promise<{ sub: string; status: string } | null> {
  try {
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
    const sub = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    if (!sub) throw new Error(`user ${email} has no sub`);
    return { sub, status: user.UserStatus ?? '' };
  } catch (error) {
    if (error instanceof UserNotFoundException) return null;
    throw error;
  }
}
