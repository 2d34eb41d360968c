'use client';

import type { Problem, ReleaseSheet } from '@patchline/shared';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { queryKeys } from '@/hooks/api-queries';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { usePatchlineApi } from '@/lib/api-client';

/** Checks again after identifiers stop changing for this long (one request per pause in typing). */
const AFTER_EDIT_MS = 1_500;
/** …and now and then while the page is visible: other releases of the label change too. */
const EVERY_MS = 60_000;

const NONE: Problem[] = [];

export interface LabelChecks {
  /** Problems across the label's releases that still apply to the sheet as it is now. */
  problems: Problem[];
  checkedAt: string | null;
  isChecking: boolean;
  error: Error | null;
  refresh(): void;
}

/** What a label-wide finding depends on: identifiers and what tells recordings apart. */
function identifiersOf(sheet: ReleaseSheet | null): string {
  if (!sheet) return '';
  return JSON.stringify([
    sheet.release.upc,
    sheet.tracks.map((track) => [track.id, track.isrc, track.title, track.version, track.duration]),
  ]);
}

/** The current value of a scalar field path of `sheet` as text, or undefined when it is gone. */
function valueAt(sheet: ReleaseSheet, path: string): string | undefined {
  const [root, id, field] = path.split('.');
  if (root === 'release' && id) return String((sheet.release as Record<string, unknown>)[id] ?? '');
  const track = sheet.tracks.find((t) => t.id === id);
  return track && field ? String((track as Record<string, unknown>)[field] ?? '') : undefined;
}

/**
 * The label-wide delivery checks (`GET /releases/:id/checks`): only the server sees the other
 * releases. Fetched when the page opens, when the window gets focus again, a moment after the
 * sheet's identifiers change, and every minute; a finding about a value that has been changed
 * since is dropped at once, without waiting for the next answer.
 */
export function useLabelChecks(releaseId: string, sheet: ReleaseSheet | null): LabelChecks {
  const api = usePatchlineApi();
  const hasSheet = sheet !== null;
  const current = identifiersOf(sheet);
  const currentRef = useRef(current);
  currentRef.current = current;
  /** The identifiers the last request was made for: a settled change to the same ones asks nothing. */
  const askedFor = useRef<string | null>(null);

  const query = useQuery({
    queryKey: queryKeys.checks(releaseId),
    queryFn: () => {
      askedFor.current = currentRef.current;
      return api.releases.checks(releaseId);
    },
    enabled: hasSheet,
    // Other releases of the label change too: on focus, and every minute while the page is visible.
    refetchOnWindowFocus: 'always',
    refetchInterval: EVERY_MS,
  });
  const { refetch } = query;
  const refresh = useCallback(() => void refetch(), [refetch]);

  const identifiers = useDebouncedValue(current, AFTER_EDIT_MS);
  useEffect(() => {
    if (hasSheet && askedFor.current !== null && identifiers !== askedFor.current) refresh();
  }, [hasSheet, identifiers, refresh]);

  const answer = query.data;
  // Which findings still apply, as a string: the list keeps its identity while typing elsewhere.
  const applies = (answer?.labelWide ?? [])
    .map(
      (problem) =>
        sheet !== null && (problem.value === undefined || valueAt(sheet, problem.path) === problem.value),
    )
    .join();
  const problems = useMemo(() => {
    const flags = applies.split(',');
    return (answer?.labelWide ?? NONE).filter((_, i) => flags[i] === 'true');
  }, [answer, applies]);

  return {
    problems,
    checkedAt: answer?.checkedAt ?? null,
    isChecking: query.isFetching,
    error: query.error,
    refresh,
  };
}
