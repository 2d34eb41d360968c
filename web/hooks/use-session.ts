import { useMemo, useSyncExternalStore } from 'react';
import { useSessionActions } from '@/components/session-provider';
import type { SessionSnapshot, SessionStatus, SessionUser } from '@/lib/session';

export type { SessionStatus, SessionUser } from '@/lib/session';

export interface UseSession {
  status: SessionStatus;
  user: SessionUser | null;
  /** A fresh ID token (refreshed when within 5 minutes of expiry); rejects once `expired`. */
  getIdToken(): Promise<string>;
  signIn(email: string, password: string): Promise<void>;
  signOut(): void;
}

const LOADING: SessionSnapshot = { status: 'loading', user: null };

/**
 * Who is signed in, and the token to prove it.
 * @example
 * const { status, user, getIdToken } = useSession();
 * if (status === 'signed-in') socket.connect(`${url}?doc=${id}&token=${await getIdToken()}`);
 */
export function useSession(): UseSession {
  const { session, getIdToken, signIn, signOut } = useSessionActions();
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot, () => LOADING);
  return useMemo(
    () => ({ status: snapshot.status, user: snapshot.user, getIdToken, signIn, signOut }),
    [snapshot, getIdToken, signIn, signOut],
  );
}
