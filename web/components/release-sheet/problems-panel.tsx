'use client';

import type { Problem, Track } from '@patchline/shared';
import { CircleAlertIcon, CircleCheckIcon, TriangleAlertIcon } from 'lucide-react';

const RELEASE_LABELS: Record<string, string> = {
  title: 'Title',
  version: 'Version',
  displayArtist: 'Display artist',
  releaseType: 'Type',
  genre: 'Genre',
  language: 'Language',
  parentalAdvisory: 'Parental advisory',
  label: 'Label',
  catalogNumber: 'Catalog number',
  upc: 'UPC / EAN',
  pLine: '℗ line',
  cLine: '© line',
  releaseDate: 'Release date',
  preorderDate: 'Pre-order date',
  originalReleaseDate: 'Original release date',
  territories: 'Territories',
};

const TRACK_LABELS: Record<string, string> = {
  title: 'Title',
  version: 'Version',
  isrc: 'ISRC',
  duration: 'Duration',
  iswc: 'ISWC',
  language: 'Language',
  splits: 'Splits',
  credits: 'Credits',
  explicit: 'Explicit',
};

/** "Release · UPC / EAN", "Track 2 · ISRC": where a problem is, in words. */
export function describePath(path: string, tracks: readonly Track[]): string {
  const [root, id, field] = path.split('.');
  if (root === 'release' && id) return `Release · ${RELEASE_LABELS[id] ?? id}`;
  if (root === 'tracks' && id) {
    const index = tracks.findIndex((track) => track.id === id);
    const name = index >= 0 ? `Track ${index + 1}` : 'Track';
    return field ? `${name} · ${TRACK_LABELS[field] ?? field}` : name;
  }
  if (root === 'tracks') return 'Tracks';
  return path;
}

interface ProblemsPanelProps {
  problems: readonly Problem[];
  tracks: readonly Track[];
  onSelect: (path: string) => void;
}

/**
 * Every problem `validateSheet` finds, errors first; each one is a button that moves focus to its
 * field. Updates live for everyone, since it is computed from the shared document.
 */
export function ProblemsPanel({ problems, tracks, onSelect }: ProblemsPanelProps) {
  const ordered = [...problems].sort(
    (a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'),
  );
  const seen = new Map<string, number>();
  const keyOf = (problem: Problem) => {
    const base = `${problem.path}|${problem.code}|${problem.message}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return `${base}|${count}`;
  };
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  return (
    <section
      data-testid="problems-panel"
      aria-labelledby="problems-heading"
      className="rounded-lg border bg-card p-4"
    >
      <h2 id="problems-heading" className="mb-1 text-sm font-semibold tracking-tight">
        Problems
      </h2>
      <p className="mb-3 text-xs text-muted-foreground" aria-live="polite">
        {problems.length === 0
          ? 'None found: every delivery check passes.'
          : `${errors} blocking, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`}
      </p>
      {problems.length === 0 ? (
        <CircleCheckIcon className="size-6 text-emerald-600" aria-hidden />
      ) : (
        <ul className="-mx-2 flex max-h-[60vh] flex-col gap-0.5 overflow-y-auto">
          {ordered.map((problem) => {
            const Icon = problem.severity === 'error' ? CircleAlertIcon : TriangleAlertIcon;
            return (
              <li key={keyOf(problem)}>
                <button
                  type="button"
                  data-testid="problem"
                  data-path={problem.path}
                  data-severity={problem.severity}
                  onClick={() => onSelect(problem.path)}
                  className="flex w-full items-start gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-accent focus-visible:bg-accent"
                >
                  <Icon
                    className={
                      problem.severity === 'error'
                        ? 'mt-0.5 size-4 shrink-0 text-destructive'
                        : 'mt-0.5 size-4 shrink-0 text-amber-600'
                    }
                    aria-label={problem.severity === 'error' ? 'Blocking' : 'Warning'}
                  />
                  <span className="min-w-0">
                    <span className="block text-xs font-medium text-muted-foreground">
                      {describePath(problem.path, tracks)}
                    </span>
                    <span className="block">{problem.message}</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
