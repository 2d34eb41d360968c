'use client';

import { type Problem, type ReleaseSheet, readSheet, validateSheet } from '@patchline/shared';
import { useMemo, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { useDebouncedValue } from '@/hooks/use-debounced-value';

/** The rules run again once typing pauses this long, not on every keystroke. */
const VALIDATE_AFTER_MS = 150;

const EMPTY_SNAPSHOT: { doc: Y.Doc | null; sheet: ReleaseSheet | null } = { doc: null, sheet: null };

/**
 * Reads the sheet out of the Y.Doc as a plain object, re-read after every change (local,
 * remote or restored from IndexedDB). One snapshot per change keeps React renders consistent.
 */
function createSheetStore() {
  let snapshot = EMPTY_SNAPSHOT;
  return {
    subscribe(doc: Y.Doc | null, onChange: () => void) {
      if (!doc) return () => {};
      const onUpdate = () => {
        snapshot = { doc, sheet: readSheet(doc) };
        onChange();
      };
      doc.on('update', onUpdate);
      return () => doc.off('update', onUpdate);
    },
    get(doc: Y.Doc | null) {
      if (snapshot.doc !== doc) snapshot = doc ? { doc, sheet: readSheet(doc) } : EMPTY_SNAPSHOT;
      return snapshot.sheet;
    },
  };
}

/** The current sheet of `doc`, or null before a document exists. */
export function useReleaseSheet(doc: Y.Doc | null): ReleaseSheet | null {
  const store = useMemo(createSheetStore, []);
  const subscribe = useMemo(() => (onChange: () => void) => store.subscribe(doc, onChange), [store, doc]);
  return useSyncExternalStore(
    subscribe,
    () => store.get(doc),
    () => null,
  );
}

export interface ReleaseProblems {
  all: Problem[];
  /** Field path → its problems, for messages beside each input. */
  byPath: Map<string, Problem[]>;
  blocking: Problem[];
}

const NO_PROBLEMS: ReleaseProblems = { all: [], byPath: new Map(), blocking: [] };
const NONE: readonly Problem[] = [];

/**
 * `validateSheet` of `@patchline/shared` (the rules the server applies on submit), run again
 * when typing pauses, plus the label-wide problems the server found, indexed by path.
 */
export function useReleaseProblems(
  sheet: ReleaseSheet | null,
  labelWide: readonly Problem[] = NONE,
): ReleaseProblems {
  const settled = useDebouncedValue(sheet, VALIDATE_AFTER_MS);
  // The first sheet is checked at once; later ones once they settle.
  const checked = settled ?? sheet;
  const own = useMemo(() => (checked ? validateSheet(checked) : null), [checked]);
  return useMemo(() => {
    if (!own) return NO_PROBLEMS;
    const all = [...own, ...labelWide];
    const byPath = new Map<string, Problem[]>();
    for (const problem of all) byPath.set(problem.path, [...(byPath.get(problem.path) ?? []), problem]);
    return { all, byPath, blocking: all.filter((problem) => problem.severity === 'blocking') };
  }, [own, labelWide]);
}
