'use client';

import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useSession } from '@/hooks/use-session';
import { SessionExpiredError } from '@/lib/auth-errors';

/**
 * The REST answers' cache (TanStack Query). No automatic retries: an error is shown as it came
 * (the client already refreshes a refused token once), and no refetch on every window focus:
 * the screens that need fresh data on focus ask for it themselves.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

export function ApiQueryProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <FollowSession />
      {children}
    </QueryClientProvider>
  );
}

/**
 * Requests that failed because the session expired run again once the person has signed back
 * in; signing out forgets every answer, so the next person never sees the last one's data.
 */
function FollowSession() {
  const queryClient = useQueryClient();
  const { status } = useSession();
  useEffect(() => {
    if (status === 'signed-in') {
      void queryClient.refetchQueries({
        predicate: (query) => query.state.error instanceof SessionExpiredError,
      });
    } else if (status === 'signed-out') {
      queryClient.clear();
    }
  }, [status, queryClient]);
  return null;
}
