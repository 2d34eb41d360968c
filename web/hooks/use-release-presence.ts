'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { fieldPresence, type Peer, readPeers, uniquePeople } from '@/lib/collab/presence';
import type { Awareness } from '@/lib/collab/use-release-connection';

export interface ReleasePresence {
  /** One entry per person, the local user first. */
  people: Peer[];
  /** Field path → the other clients focused there. */
  byField: Map<string, Peer[]>;
  /** Publishes which field the local user is in (null when none). */
  setField: (path: string | null) => void;
}

const NO_PEERS: Peer[] = [];

/** Everyone present in the release, from awareness, re-read when anyone joins, leaves or moves. */
export function useReleasePresence(awareness: Awareness | null): ReleasePresence {
  const [peers, setPeers] = useState<Peer[]>(NO_PEERS);

  useEffect(() => {
    if (!awareness) {
      setPeers(NO_PEERS);
      return;
    }
    const read = () => setPeers(readPeers(awareness.getStates(), awareness.clientID));
    read();
    // `change` fires only when a state really changed, not on the 15 s keep-alive renewals.
    awareness.on('change', read);
    return () => awareness.off('change', read);
  }, [awareness]);

  const setField = useCallback(
    (path: string | null) => {
      if (!awareness) return;
      const state = awareness.getLocalState() as { field?: string | null } | null;
      if (state && (state.field ?? null) !== path) awareness.setLocalStateField('field', path);
    },
    [awareness],
  );

  return useMemo(
    () => ({ people: uniquePeople(peers), byField: fieldPresence(peers), setField }),
    [peers, setField],
  );
}
