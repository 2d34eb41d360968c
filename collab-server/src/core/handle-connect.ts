import { isValidId } from '@patchline/shared';
import { AuthError } from '../auth/auth-error.js';
import { resolveAccess } from './access.js';
import type { CollabDeps } from './collab-deps.js';

export type ConnectResult = { ok: true } | { ok: false; status: 400 | 401 | 403; message: string };

/**
 * `$connect`: who is it (ID token), may they read this release, and record the connection.
 * An unknown release and an unreadable one both answer 403, so ids cannot be probed.
 */
export async function handleConnect(
  deps: CollabDeps,
  input: { connectionId: string; releaseId?: string; token?: string },
): Promise<ConnectResult> {
  if (!input.releaseId || !isValidId(input.releaseId))
    return { ok: false, status: 400, message: 'Missing or malformed doc parameter' };
  let identity: Awaited<ReturnType<CollabDeps['verifier']['verify']>>;
  try {
    identity = await deps.verifier.verify(input.token);
  } catch (error) {
    if (error instanceof AuthError) return { ok: false, status: 401, message: error.message };
    throw error;
  }
  const release = await deps.stores.releases.get(input.releaseId);
  if (!release) return { ok: false, status: 403, message: 'No access to this release' };
  const access = await resolveAccess(deps.stores, identity, input.releaseId, release.status);
  if (!access.canRead) return { ok: false, status: 403, message: 'No access to this release' };
  await deps.stores.connections.put({
    connectionId: input.connectionId,
    releaseId: input.releaseId,
    userId: identity.sub,
    name: identity.name,
    groups: identity.groups,
    role: access.role,
    connectedAt: deps.now(),
  });
  deps.log('connected', {
    connectionId: input.connectionId,
    releaseId: input.releaseId,
    userId: identity.sub,
    role: access.role,
  });
  return { ok: true };
}
