'use client';

import type { ControlMessage } from '@patchline/shared';
import { createReleaseProvider, type ReleaseConnection } from '@patchline/shared/client';
import { useEffect, useRef, useState } from 'react';
import { removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type OfflineStore, offlineStoreName, openOfflineStore } from './offline-store';
import type { PresenceState, PresenceUser } from './presence';
import { trackSaves } from './track-saves';

type Control<T extends ControlMessage['type']> = Extract<ControlMessage, { type: T }>;
export type Awareness = ReleaseConnection['awareness'];

export interface ReleaseConnectionHandlers {
  onRejected?: (message: Control<'rejected'>) => void;
  onRoleChanged?: (message: Control<'role-changed'>) => void;
  onRevoked?: (message: Control<'revoked'>) => void;
  /** An `error` control message (a refused frame or request, or `too-many-refusals` before a close). */
  onError?: (message: Control<'error'>) => void;
}

export interface UseReleaseConnectionOptions extends ReleaseConnectionHandlers {
  releaseId: string;
  websocketUrl: string;
  /** Who is editing; nothing connects until it is known. */
  user: PresenceUser | null;
  /** Called at every (re)connect, so each one carries a fresh ID token. */
  getToken: () => Promise<string>;
}

export interface ReleaseConnectionView {
  connection: ReleaseConnection | null;
  /** The document to render and edit; replaced (new object) after a refused edit. */
  doc: Y.Doc | null;
  awareness: Awareness | null;
  /** Connected, and the current document has synced with the server. */
  isSynced: boolean;
  /** The current document has synced at least once. */
  hasSynced: boolean;
  /** Since when the document has not been synced (dropped, or never connected), or null. */
  disconnectedAt: number | null;
  /** Local changes the server is not known to have (see `SaveTracker`). */
  hasUnsavedChanges: boolean;
  /** A refused edit is being replaced by the server's state: edits are paused meanwhile. */
  isResyncing: boolean;
  /** Access was removed: the connection is closed for good. */
  isRevoked: boolean;
}

const INITIAL_VIEW: ReleaseConnectionView = {
  connection: null,
  doc: null,
  awareness: null,
  isSynced: false,
  hasSynced: false,
  disconnectedAt: null,
  hasUnsavedChanges: false,
  isResyncing: false,
  isRevoked: false,
};

/** How long a replaced document may take to sync before the page shows it anyway. */
const RESYNC_TIMEOUT_MS = 5_000;

/**
 * One live `ReleaseConnection` per page, with its IndexedDB copy: stored offline edits load
 * before the socket opens (so they reach the server in the first sync instead of as one big
 * update later), and a document replaced after a refused edit gets a fresh store, the old one
 * deleted so the refused edit does not come back on the next visit.
 */
export function useReleaseConnection(options: UseReleaseConnectionOptions): ReleaseConnectionView {
  const { releaseId, websocketUrl, user } = options;
  const [view, setView] = useState<ReleaseConnectionView>(INITIAL_VIEW);
  const latest = useRef(options);
  latest.current = options;
  const userRef = useRef(user);
  userRef.current = user;
  const sub = user?.sub ?? null;

  useEffect(() => {
    const initialUser = userRef.current;
    if (!sub || !initialUser) return;
    let isDisposed = false;
    const patch = (next: Partial<ReleaseConnectionView>) => {
      if (!isDisposed) setView((current) => ({ ...current, ...next }));
    };
    const storeName = offlineStoreName(sub, releaseId);
    const firstDoc = new Y.Doc();
    let store: OfflineStore = openOfflineStore(storeName, firstDoc);
    const connection = createReleaseProvider(firstDoc, {
      url: websocketUrl,
      releaseId,
      getToken: () => latest.current.getToken(),
      // Connect once IndexedDB has loaded (see above); a replaced document's provider inherits
      // this, and is connected below once its fresh store is ready.
      connect: false,
    });
    const presence: PresenceState = { user: initialUser, field: null };
    connection.awareness.setLocalState(presence);
    // End-to-end tests craft raw document edits through this (a viewer's refused edit, say);
    // it grants nothing, since the server checks every update against the sender's role.
    const debugHandle = globalThis as { __patchlineConnection?: ReleaseConnection };
    debugHandle.__patchlineConnection = connection;
    const onUnsaved = (hasUnsavedChanges: boolean) => patch({ hasUnsavedChanges });
    let stopTracking = trackSaves(connection.provider, firstDoc, onUnsaved);

    setView({
      ...INITIAL_VIEW,
      connection,
      doc: firstDoc,
      awareness: connection.awareness,
      // "Not connected since": the chip turns to "Reconnecting…" if the first connect drags on.
      disconnectedAt: Date.now(),
    });
    void store.whenLoaded.then(() => {
      if (!isDisposed && !connection.isRevoked) connection.provider.connect();
    });

    connection.on('synced', (isSynced) => {
      if (isSynced) patch({ isSynced: true, hasSynced: true, disconnectedAt: null });
      else patch({ isSynced: false });
    });
    connection.on('status', (status) => {
      if (status === 'connected') return;
      setView((current) =>
        isDisposed
          ? current
          : {
              ...current,
              isSynced: false,
              disconnectedAt: current.disconnectedAt ?? (status === 'disconnected' ? Date.now() : null),
            },
      );
    });
    connection.on('rejected', (message) => latest.current.onRejected?.(message));
    // Ended because a newer connection of the same person went over the limits (PROTOCOL.md,
    // "Limits per person"): reconnecting at once would end that one in turn, so this page waits
    // until the person comes back to it, and then takes the place of the oldest.
    const reconnectWhenVisible = () => {
      if (document.visibilityState !== 'visible') return;
      document.removeEventListener('visibilitychange', reconnectWhenVisible);
      if (!isDisposed && !connection.isRevoked) connection.provider.connect();
    };
    connection.on('control', (message) => {
      if (message.type !== 'error') return;
      if (message.code === 'too-many-connections') {
        connection.provider.disconnect();
        document.addEventListener('visibilitychange', reconnectWhenVisible);
      }
      latest.current.onError?.(message);
    });
    connection.on('role-changed', (message) => latest.current.onRoleChanged?.(message));
    connection.on('revoked', (message) => {
      patch({ isRevoked: true, isSynced: false });
      latest.current.onRevoked?.(message);
    });
    connection.on('doc', (newDoc) => {
      stopTracking();
      const oldStore = store;
      patch({ isResyncing: true, isSynced: false, hasUnsavedChanges: false });
      const isCurrent = () => !isDisposed && connection.doc === newDoc;
      void (async () => {
        await oldStore.discard();
        if (!isCurrent()) return;
        store = openOfflineStore(storeName, newDoc);
        stopTracking = trackSaves(connection.provider, newDoc, onUnsaved);
        await store.whenLoaded;
        if (!isCurrent()) return;
        if (!connection.isRevoked) connection.provider.connect();
        await Promise.race([
          connection.whenSynced(),
          new Promise((resolve) => setTimeout(resolve, RESYNC_TIMEOUT_MS)),
        ]);
        if (!isCurrent()) return;
        patch({
          doc: newDoc,
          awareness: connection.awareness,
          isResyncing: false,
          isSynced: connection.provider.synced,
          hasSynced: connection.provider.synced,
        });
      })();
    });

    return () => {
      isDisposed = true;
      document.removeEventListener('visibilitychange', reconnectWhenVisible);
      stopTracking();
      // Tell the others at once instead of leaving a ghost until the server notices.
      removeAwarenessStates(connection.awareness, [connection.doc.clientID], 'left');
      connection.destroy();
      if (debugHandle.__patchlineConnection === connection) delete debugHandle.__patchlineConnection;
      void store.close();
      setView(INITIAL_VIEW);
    };
  }, [releaseId, websocketUrl, sub]);

  // A renamed user (profile edit, refreshed token) shows the new name without reconnecting.
  const name = user?.name;
  const color = user?.color;
  useEffect(() => {
    const awareness = view.awareness;
    const current = userRef.current;
    if (!awareness || !current) return;
    const state = awareness.getLocalState() as PresenceState | null;
    if (state?.user.name !== name || state?.user.color !== color) {
      awareness.setLocalStateField('user', current);
    }
  }, [view.awareness, name, color]);

  return view;
}
