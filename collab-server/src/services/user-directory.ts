import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';

export interface DirectoryUser {
  sub: string;
  /** Cognito's username, which the admin group APIs take. */
  username: string;
  email: string;
  name: string;
  enabled: boolean;
}

/** The people behind user ids: Cognito's admin API (cognito-local locally). */
export interface UserDirectory {
  findByEmail(email: string): Promise<DirectoryUser | null>;
  findBySub(sub: string): Promise<DirectoryUser | null>;
  list(): Promise<DirectoryUser[]>;
  groupsOf(user: DirectoryUser): Promise<string[]>;
  addToGroup(user: DirectoryUser, group: string): Promise<void>;
  removeFromGroup(user: DirectoryUser, group: string): Promise<void>;
  /**
   * Signs the person out everywhere: their refresh tokens stop working. A no-op against
   * cognito-local, which lacks AdminUserGlobalSignOut; `tokensValidFrom` (LabelGroupRecord)
   * refuses their old ID tokens either way.
   */
  signOut(user: DirectoryUser): Promise<void>;
}

const attribute = (user: UserType, name: string) =>
  user.Attributes?.find((a) => a.Name === name)?.Value ?? '';

function toDirectoryUser(user: UserType): DirectoryUser {
  const email = attribute(user, 'email');
  return {
    sub: attribute(user, 'sub'),
    username: user.Username ?? '',
    email,
    name: attribute(user, 'name') || email.split('@')[0] || '',
    enabled: user.Enabled !== false,
  };
}

// Filter values are quoted strings in Cognito's filter syntax; refuse anything that could break out.
const quote = (value: string) => `"${value.replace(/["\\]/g, '')}"`;

export function createCognitoDirectory(config: {
  userPoolId: string;
  region: string;
  endpoint?: string;
}): UserDirectory {
  const client = new CognitoIdentityProviderClient({
    region: config.region,
    ...(config.endpoint
      ? { endpoint: config.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  const findOne = async (filter: string) => {
    const { Users } = await client.send(
      new ListUsersCommand({ UserPoolId: config.userPoolId, Filter: filter, Limit: 2 }),
    );
    const user = Users?.[0];
    return user ? toDirectoryUser(user) : null;
  };
  return {
    findByEmail: (email) => findOne(`email = ${quote(email.toLowerCase())}`),
    findBySub: (sub) => findOne(`sub = ${quote(sub)}`),
    async list() {
      const users: DirectoryUser[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListUsersCommand({ UserPoolId: config.userPoolId, PaginationToken: token, Limit: 60 }),
        );
        users.push(...(page.Users ?? []).map(toDirectoryUser));
        token = page.PaginationToken;
      } while (token);
      return users;
    },
    async groupsOf(user) {
      const { Groups } = await client.send(
        new AdminListGroupsForUserCommand({ UserPoolId: config.userPoolId, Username: user.username }),
      );
      return (Groups ?? []).map((group) => group.GroupName ?? '').filter(Boolean);
    },
    async addToGroup(user, group) {
      await client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: config.userPoolId,
          Username: user.username,
          GroupName: group,
        }),
      );
    },
    async signOut(user) {
      if (config.endpoint) return; // cognito-local: no global sign-out (see the interface)
      await client.send(
        new AdminUserGlobalSignOutCommand({ UserPoolId: config.userPoolId, Username: user.username }),
      );
    },
    async removeFromGroup(user, group) {
      await client.send(
        new AdminRemoveUserFromGroupCommand({
          UserPoolId: config.userPoolId,
          Username: user.username,
          GroupName: group,
        }),
      );
    },
  };
}
