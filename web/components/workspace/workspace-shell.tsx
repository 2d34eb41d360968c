'use client';

import { usePathname, useRouter } from 'next/navigation';
import { type ReactNode, useCallback, useEffect, useRef } from 'react';
import { PageLoading } from '@/components/page-states';
import { useSession } from '@/hooks/use-session';
import { withQuery } from '@/lib/safe-next';
import { AppHeader } from './app-header';
import { SessionExpiredDialog } from './session-expired-dialog';

/**
 * The auth guard and frame of the workspace. `expired` keeps the page mounted (an editor with
 * unsaved local edits must not be navigated away) and asks for the password in a dialog instead.
 */
export function WorkspaceShell({ children }: { children: ReactNode }) {
  const { status, user, signOut } = useSession();
  const router = useRouter();
  const pathname = usePathname();
  const isSigningOut = useRef(false);

  useEffect(() => {
    if (status !== 'signed-out' || isSigningOut.current) return;
    const here = `${pathname}${window.location.search}`;
    router.replace(withQuery('/sign-in', { next: here }));
  }, [status, pathname, router]);

  const onSignOut = useCallback(() => {
    isSigningOut.current = true;
    // Signed out here at once; the refresh token's revocation finishes in the background.
    void signOut();
    router.replace('/sign-in');
  }, [signOut, router]);

  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="bg-background sr-only z-50 rounded-md px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <AppHeader user={user} status={status} onSignOut={onSignOut} />
      <main id="main" className="flex flex-1 flex-col">
        {status === 'signed-in' || status === 'expired' ? (
          children
        ) : (
          <PageLoading label="Checking your session…" />
        )}
      </main>
      <SessionExpiredDialog />
    </div>
  );
}
