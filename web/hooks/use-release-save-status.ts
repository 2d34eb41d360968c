'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { deriveSaveStatus, RECONNECT_GRACE_MS, type SaveStatus } from '@/lib/collab/save-status';
import type { ReleaseConnectionView } from '@/lib/collab/use-release-connection';

function subscribeOnline(onChange: () => void) {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** `navigator.onLine`: false as soon as the device loses its network. */
export function useIsOnline(): boolean {
  return useSyncExternalStore(
    subscribeOnline,
    () => navigator.onLine,
    () => true,
  );
}

/**
 * The editor's one status chip, from the connection, the session and the user's rights. Re-renders
 * once when a drop outlasts the reconnect grace period, so "Reconnecting…" appears on time.
 */
export function useReleaseSaveStatus(
  view: ReleaseConnectionView,
  options: { isSessionExpired: boolean; isReadOnly: boolean },
): SaveStatus {
  const isOnline = useIsOnline();
  const [now, setNow] = useState(() => Date.now());
  const { disconnectedAt } = view;

  useEffect(() => {
    if (disconnectedAt === null) return;
    const wait = disconnectedAt + RECONNECT_GRACE_MS - Date.now();
    if (wait <= 0) {
      setNow(Date.now());
      return;
    }
    const timer = setTimeout(() => setNow(Date.now()), wait + 50);
    return () => clearTimeout(timer);
  }, [disconnectedAt]);

  return deriveSaveStatus({
    isSessionExpired: options.isSessionExpired,
    isReadOnly: options.isReadOnly,
    isOnline,
    isSynced: view.isSynced,
    hasSynced: view.hasSynced,
    hasUnsavedChanges: view.hasUnsavedChanges,
    isResyncing: view.isResyncing,
    disconnectedForMs: disconnectedAt === null ? 0 : Math.max(0, now - disconnectedAt),
  });
}
