import { useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '@/hooks/use-session';
import { useApi } from '@/lib/api-client';
import { SessionExpiredError } from '@/lib/auth-errors';

export interface ApiResource<T> {
  data: T | undefined;
  error: Error | null;
  /** True until the first answer (or error) for the current path. */
  isLoading: boolean;
  /** Fetches again, keeping the current data on screen meanwhile. */
  reload(): Promise<void>;
  /** Updates the local copy after a mutation the caller already sent. */
  setData(update: (current: T | undefined) => T | undefined): void;
}

/**
 * `GET path` through the signed API client. Answers to an older path or an older reload are
 * dropped, so fast typing in a search box never shows stale results. `null` fetches nothing.
 * A request that failed because the session expired runs again once the user has signed back in.
 */
export function useApiResource<T>(path: string | null): ApiResource<T> {
  const api = useApi();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [isLoading, setIsLoading] = useState(path !== null);
  const latest = useRef(0);

  const load = useCallback(async () => {
    if (path === null) return;
    const request = ++latest.current;
    try {
      const value = await api.get<T>(path);
      if (request !== latest.current) return;
      setData(value);
      setError(null);
    } catch (caught) {
      if (request !== latest.current) return;
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      if (request === latest.current) setIsLoading(false);
    }
  }, [api, path]);

  useEffect(() => {
    setIsLoading(path !== null);
    void load();
    return () => {
      latest.current++;
    };
  }, [load, path]);

  const { status } = useSession();
  useEffect(() => {
    if (status === 'signed-in' && error instanceof SessionExpiredError) void load();
  }, [status, error, load]);

  return { data, error, isLoading, reload: load, setData };
}
