'use client';

import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { type AccountActions, LazySession, type TotpActions } from '@/lib/lazy-session';
import type { SignInResult } from '@/lib/session';
import { useRuntimeConfig } from './runtime-config-provider';

/** Stable functions over the one `CognitoSession` of this page. */
export interface SessionActions {
  session: LazySession;
  getIdToken(): Promise<string>;
  /** A new ID token now, after the API refused the current one (401). */
  refreshIdToken(): Promise<string>;
  signIn(email: string, password: string): Promise<SignInResult>;
  answerTotp(code: string): Promise<void>;
  /** Signs out in every tab and revokes the refresh token; resolves once Cognito answered. */
  signOut(): Promise<void>;
  accounts: AccountActions;
  totp: TotpActions;
}

const SessionContext = createContext<SessionActions | null>(null);

/**
 * Owns the page's Cognito session: restores it from this tab's storage or another open tab after
 * hydration (the server and the first client render both say `loading`), and checks the token
 * when the tab becomes visible again, since timers do not run while a laptop sleeps.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const config = useRuntimeConfig();
  const [session] = useState(() => new LazySession(config));

  useEffect(() => {
    void session.restore();
    const onVisible = () => {
      if (document.visibilityState === 'visible' && session.getSnapshot().status === 'signed-in') {
        session.getIdToken().catch(() => undefined);
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      session.dispose();
    };
  }, [session]);

  const actions = useMemo<SessionActions>(
    () => ({
      session,
      getIdToken: () => session.getIdToken(),
      refreshIdToken: () => session.refreshIdToken(),
      signIn: (email, password) => session.signIn(email, password),
      answerTotp: (code) => session.answerTotp(code),
      signOut: () => session.signOut(),
      accounts: session.accounts,
      totp: session.totp,
    }),
    [session],
  );
  return <SessionContext.Provider value={actions}>{children}</SessionContext.Provider>;
}

/** The session's actions without subscribing to its status (see `useSession` for that). */
export function useSessionActions(): SessionActions {
  const actions = useContext(SessionContext);
  if (!actions) throw new Error('useSession must be used inside <SessionProvider>');
  return actions;
}
