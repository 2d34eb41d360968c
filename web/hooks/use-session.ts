import { useMemo, useSyncExternalStore } from 'react';
import { useSessionActions } from '@/components/session-provider';
import type { SessionSnapshot, SessionStatus, SessionUser, SignInResult } from '@/lib/session';

export type { SessionStatus, SessionUser, SignInResult } from '@/lib/session';

export interface UseSession {
  status: SessionStatus;
  user: SessionUser | null;
  /** A fresh ID token (refreshed when within 5 minutes of expiry); rejects once `expired`. */
  getIdToken(): Promise<string>;
  /** `totp-required`: call `answerTotp` with the authenticator code to finish. */
  signIn(email: string, password: string): Promise<SignInResult>;
  answerTotp(code: string): Promise<void>;
  signOut(): Promise<void>;
}

const LOADING: SessionSnapshot = { status: 'loading', user: null };

/**
 * Who is signed in, and the token to prove it.
 * @example
 * const { status, user, getIdToken } = useSession();
 * if (status === 'signed-in') socket.connect(`${url}?doc=${id}&token=${await getIdToken()}`);
 */
export function useSession(): UseSession {
  const { session, getIdToken, signIn, answerTotp, signOut } = useSessionActions();
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot, () => LOADING);
  return useMemo(
    () => ({ status: snapshot.status, user: snapshot.user, getIdToken, signIn, answerTotp, signOut }),
    [snapshot, getIdToken, signIn, answerTotp, signOut],
  );
}
