'use client';

import type { Problem, ReleaseSheet } from '@patchline/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { useApi } from '@/lib/api-client';

/** Checks again after identifiers stop changing for this long (one request per pause in typing). */
const AFTER_EDIT_MS = 1_500;
/** …and now and then while the page is visible: other releases of the label change too. */
const EVERY_MS = 60_000;

const NONE: Problem[] = [];

interface ChecksAnswer {
  labelWide: Problem[];
  checkedAt: string;
}

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
  const api = useApi();
  const [answer, setAnswer] = useState<ChecksAnswer | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [isChecking, setIsChecking] = useState(false);
  const latest = useRef(0);
  const hasSheet = sheet !== null;
  const current = identifiersOf(sheet);
  const currentRef = useRef(current);
  currentRef.current = current;
  /** The identifiers the last request was made for: a settled change to the same ones asks nothing. */
  const askedFor = useRef<string | null>(null);

  const refresh = useCallback(() => {
    const request = ++latest.current;
    askedFor.current = currentRef.current;
    setIsChecking(true);
    api
      .get<ChecksAnswer>(`/releases/${releaseId}/checks`)
      .then((value) => {
        if (request !== latest.current) return;
        setAnswer(value);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (request === latest.current)
          setError(caught instanceof Error ? caught : new Error(String(caught)));
      })
      .finally(() => {
        if (request === latest.current) setIsChecking(false);
      });
  }, [api, releaseId]);

  const identifiers = useDebouncedValue(current, AFTER_EDIT_MS);
  useEffect(() => {
    if (hasSheet && identifiers !== askedFor.current) refresh();
  }, [hasSheet, identifiers, refresh]);

  useEffect(() => {
    const onFocus = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    const timer = setInterval(onFocus, EVERY_MS);
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onFocus);
      latest.current++;
    };
  }, [refresh]);

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

  return { problems, checkedAt: answer?.checkedAt ?? null, isChecking, error, refresh };
}
