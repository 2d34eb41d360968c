'use client';

import { useCallback, useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { createLocalUndoManager } from '@/lib/collab/local-edits';

export interface ReleaseUndo {
  canUndo: boolean;
  canRedo: boolean;
  undo: () => void;
  redo: () => void;
  /** Starts a new undo step (called when focus moves to another field). */
  stopCapturing: () => void;
}

/** Whether a key event belongs to the rich-text notes, which have their own undo history. */
const isInRichText = (target: EventTarget | null) =>
  target instanceof HTMLElement && target.closest('[contenteditable="true"]') !== null;

/**
 * Undo and redo of this user's own form edits (release fields, tracks, credits, splits), with
 * buttons and Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z (and Ctrl+Y). A collaborator's edits are never undone:
 * the manager tracks only `LOCAL_EDIT_ORIGIN` transactions.
 */
export function useReleaseUndo(doc: Y.Doc | null, isEnabled: boolean): ReleaseUndo {
  const [manager, setManager] = useState<Y.UndoManager | null>(null);
  const [stacks, setStacks] = useState({ canUndo: false, canRedo: false });

  useEffect(() => {
    if (!doc) return;
    const created = createLocalUndoManager(doc);
    const read = () => setStacks({ canUndo: created.canUndo(), canRedo: created.canRedo() });
    for (const event of ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const) {
      created.on(event, read);
    }
    setManager(created);
    read();
    return () => {
      created.destroy();
      setManager(null);
      setStacks({ canUndo: false, canRedo: false });
    };
  }, [doc]);

  const undo = useCallback(() => {
    if (isEnabled) manager?.undo();
  }, [manager, isEnabled]);
  const redo = useCallback(() => {
    if (isEnabled) manager?.redo();
  }, [manager, isEnabled]);
  const stopCapturing = useCallback(() => manager?.stopCapturing(), [manager]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || isInRichText(event.target)) return;
      const key = event.key.toLowerCase();
      const isRedo = (key === 'z' && event.shiftKey) || (key === 'y' && !event.shiftKey);
      const isUndo = key === 'z' && !event.shiftKey;
      if (!isUndo && !isRedo) return;
      // Inputs mirror the document, so the browser's own input undo would fight ours.
      event.preventDefault();
      if (isUndo) undo();
      else redo();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [undo, redo]);

  return {
    canUndo: isEnabled && stacks.canUndo,
    canRedo: isEnabled && stacks.canRedo,
    undo,
    redo,
    stopCapturing,
  };
}
