import { isValidId } from '@patchline/shared';
import { AuthError } from '../auth/auth-error.js';
import type { UserConnection } from '../store/connection-store.js';
import { resolveAccess } from './access.js';
import type { CollabDeps } from './collab-deps.js';
import { endConnection } from './handle-disconnect.js';
import type { CollabLimits } from './limits.js';

export type ConnectResult = { ok: true } | { ok: false; status: 400 | 401 | 403 | 429; message: string };

const NO_ACCESS = { ok: false, status: 403, message: 'No access to this release' } as const;
export const REVOKED_MESSAGE = 'Your access to this release was removed';

/**
 * `$connect`: who is it (ID token), may they read this release, and record the connection.
 * An unknown release and an unreadable one both answer 403, so ids cannot be probed.
 *
 * The connection is recorded before its access is decided, and access is read again after,
 * consistently. A revocation writes the grant first and then lists the release's connections
 * (access-changes.ts), so either its list holds this connection (and it is ended there) or this
 * read sees the revocation (and the connection ends itself): it cannot slip between the two.
 * The same order makes the per-user limits hold when connects race (`connectionsToEnd`).
 */
export async function handleConnect(
  deps: CollabDeps,
  input: { connectionId: string; releaseId?: string; token?: string },
): Promise<ConnectResult> {
  const { connectionId, releaseId } = input;
  if (!releaseId || !isValidId(releaseId))
    return { ok: false, status: 400, message: 'Missing or malformed doc parameter' };
  let identity: Awaited<ReturnType<CollabDeps['verifier']['verify']>>;
  try {
    identity = await deps.verifier.verify(input.token);
  } catch (error) {
    if (error instanceof AuthError) return { ok: false, status: 401, message: error.message };
    throw error;
  }
  const release = await deps.stores.releases.get(releaseId);
  if (!release) return NO_ACCESS;
  // Checked once before anything is written, so people without access cost no writes.
  const before = await resolveAccess(deps.stores, identity, releaseId, release.status);
  if (!before.canRead) return NO_ACCESS;
  const { connections } = deps.stores;
  await connections.put({
    connectionId,
    releaseId,
    userId: identity.sub,
    name: identity.name,
    groups: identity.groups,
    role: before.role,
    connectedAt: deps.now(),
  });
  const [access, open] = await Promise.all([
    resolveAccess(deps.stores, identity, releaseId, release.status),
    connections.listForUser(identity.sub),
  ]);
  if (!access.canRead) {
    // Access went while this connect ran. Refusing the handshake would leave the client
    // retrying without knowing why: it opens, out of every list, and its first frame gets
    // `revoked` and a close (handle-frame.ts), as an open connection would have.
    await connections.end(
      { connectionId, releaseId, userId: identity.sub },
      { type: 'revoked', message: REVOKED_MESSAGE },
    );
    deps.log('connected revoked', { connectionId, releaseId, userId: identity.sub });
    return { ok: true };
  }
  if (access.role !== before.role && access.role)
    await connections.setRole(releaseId, connectionId, access.role);
  const toEnd = connectionsToEnd(open, deps.limits);
  if (toEnd.some((connection) => connection.connectionId === connectionId)) {
    // Newer connections of the same person raced this one: it is the oldest, so it goes.
    await connections.delete(releaseId, connectionId, identity.sub);
    return { ok: false, status: 429, message: 'Too many open connections' };
  }
  await Promise.all(
    toEnd.map((connection) =>
      endConnection(deps, connection, {
        type: 'error',
        code: 'too-many-connections',
        message:
          'This release was opened in more tabs or windows than allowed, so this one was closed. Close another one and reload.',
      }),
    ),
  );
  deps.log('connected', { connectionId, releaseId, userId: identity.sub, role: access.role });
  return { ok: true };
}

/**
 * Which of a person's connections to end so that the newest stay within the limits: at most
 * `maxConnectionsPerUserPerRelease` on each release and `maxConnectionsPerUser` in all, newest
 * by (connectedAt, connectionId). Every `$connect` applies this to a list it read after recording
 * itself, so whichever of several racing connects lists last sees all that survive, and they
 * are within the limits. The oldest go first: a tab whose socket died without `$disconnect`
 * (its record still here) never locks its owner out.
 */
export function connectionsToEnd(
  open: readonly UserConnection[],
  limits: Pick<CollabLimits, 'maxConnectionsPerUserPerRelease' | 'maxConnectionsPerUser'>,
): UserConnection[] {
  const newestFirst = [...open].sort(
    (a, b) => b.connectedAt - a.connectedAt || b.connectionId.localeCompare(a.connectionId),
  );
  const perRelease = new Map<string, number>();
  let kept = 0;
  const toEnd: UserConnection[] = [];
  for (const connection of newestFirst) {
    const onRelease = perRelease.get(connection.releaseId) ?? 0;
    if (onRelease >= limits.maxConnectionsPerUserPerRelease || kept >= limits.maxConnectionsPerUser) {
      toEnd.push(connection);
      continue;
    }
    perRelease.set(connection.releaseId, onRelease + 1);
    kept++;
  }
  return toEnd;
}
