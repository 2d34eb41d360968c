'use client';

import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { type AccountActions, LazySession } from '@/lib/lazy-session';
import { useRuntimeConfig } from './runtime-config-provider';

/** Stable functions over the one `CognitoSession` of this page. */
export interface SessionActions {
  session: LazySession;
  getIdToken(): Promise<string>;
  signIn(email: string, password: string): Promise<void>;
  signOut(): void;
  accounts: AccountActions;
}

const SessionContext = createContext<SessionActions | null>(null);

/**
 * Owns the page's Cognito session: restores it from storage after hydration (the server and the
 * first client render both say `loading`), follows sign-outs in other tabs, and checks the token
 * when the tab becomes visible again, since timers do not run while a laptop sleeps.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const config = useRuntimeConfig();
  const [session] = useState(() => new LazySession(config));

  useEffect(() => {
    void session.restore();
    const onStorage = () => session.syncWithStorage();
    const onVisible = () => {
      if (document.visibilityState === 'visible' && session.getSnapshot().status === 'signed-in') {
        session.getIdToken().catch(() => undefined);
      }
    };
    window.addEventListener('storage', onStorage);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('storage', onStorage);
      document.removeEventListener('visibilitychange', onVisible);
      session.dispose();
    };
  }, [session]);

  const actions = useMemo<SessionActions>(
    () => ({
      session,
      getIdToken: () => session.getIdToken(),
      signIn: (email, password) => session.signIn(email, password),
      signOut: () => session.signOut(),
      accounts: session.accounts,
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
