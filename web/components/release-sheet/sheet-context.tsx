'use client';

import type { Problem } from '@patchline/shared';
import { createContext, useContext } from 'react';
import type * as Y from 'yjs';
import type { Peer } from '@/lib/collab/presence';

/** Shown beside label-controlled fields an editor can see but not change (permissions/SPEC.md, AB16). */
export const LABEL_FIELD_REASON = 'Only label managers can change this';

/** What every input of the sheet needs, provided once by the editor. */
export interface SheetContextValue {
  doc: Y.Doc;
  releaseId: string;
  /** False for viewers, locked statuses, revoked access and while a refused edit is undone. */
  isEditable: boolean;
  /** Whether this user may change `path` now (also false whenever `isEditable` is). */
  canEdit: (path: string) => boolean;
  /** Why a field is disabled while the rest of the sheet is editable, if it is. */
  lockReason: (path: string) => string | null;
  problemsFor: (path: string) => readonly Problem[];
  /** Other people focused on `path`. */
  peersIn: (path: string) => readonly Peer[];
  /** Runs sheet edits as one local, undoable transaction; refused values become a toast. */
  edit: (change: () => void) => void;
  /** Ends the current undo step: the next edit starts one of its own (a bulk edit is one step). */
  newUndoStep: () => void;
  /** Tracks whose credits and splits are open. */
  expandedTracks: ReadonlySet<string>;
  setTrackExpanded: (trackId: string, isExpanded: boolean) => void;
}

export const SheetContext = createContext<SheetContextValue | null>(null);

export function useSheet(): SheetContextValue {
  const value = useContext(SheetContext);
  if (!value) throw new Error('useSheet() outside <SheetContext>');
  return value;
}
