import { idTokenFor } from './cognito';
import { type DemoRole, e2eStack } from './stack';

/** Release metadata as `POST /releases` answers it (collab-server `ReleaseMeta`, the parts used here). */
export interface CreatedRelease {
  releaseId: string;
  title: string;
  ownerId: string;
}

export interface Member {
  userId: string | null;
  email: string;
  name: string;
  role: 'owner' | 'editor' | 'viewer';
}

/** The REST API as one signed-in user: for setting up state where the UI is not under test. */
export class Api {
  constructor(private readonly token: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${e2eStack().local.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  me() {
    return this.request<{ userId: string; email: string; name: string }>('GET', '/me');
  }

  /** A fresh release owned by this user (independent of the demo release's state). */
  createRelease(input: { title: string; displayArtist?: string; trackCount?: number }) {
    return this.request<CreatedRelease>('POST', '/releases', input);
  }

  grant(releaseId: string, email: string, role: 'editor' | 'viewer') {
    return this.request<Member>('POST', `/releases/${encodeURIComponent(releaseId)}/members`, {
      email,
      role,
    });
  }

  members(releaseId: string) {
    return this.request<{ members: Member[] }>('GET', `/releases/${encodeURIComponent(releaseId)}/members`);
  }

  changeRole(releaseId: string, userId: string, role: 'editor' | 'viewer') {
    return this.request<Member>(
      'PATCH',
      `/releases/${encodeURIComponent(releaseId)}/members/${encodeURIComponent(userId)}`,
      { role },
    );
  }

  deleteRelease(releaseId: string) {
    return this.request<void>('DELETE', `/releases/${encodeURIComponent(releaseId)}`);
  }
}

const tokens = new Map<string, Promise<string>>();

/** The API as a demo account (tokens are cached per worker; they last an hour). */
export function apiAs(role: DemoRole): Promise<Api> {
  const { demo } = e2eStack().local;
  return apiFor(demo.accounts[role], demo.password);
}

export async function apiFor(email: string, password: string): Promise<Api> {
  let token = tokens.get(email);
  if (!token) {
    token = idTokenFor(email, password);
    tokens.set(email, token);
    token.catch(() => tokens.delete(email));
  }
  return new Api(await token);
}
