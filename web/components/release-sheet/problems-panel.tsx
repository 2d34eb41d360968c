'use client';

import { applyFix, type Fix, type Problem, type Track } from '@patchline/shared';
import {
  CircleAlertIcon,
  CircleCheckIcon,
  LoaderCircleIcon,
  TriangleAlertIcon,
  WandSparklesIcon,
} from 'lucide-react';
import { Button } from '@/components/ui/button';
import { useSheet } from './sheet-context';

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
  artists: 'Artists',
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

/** The part of the sheet a problem is in: the release, one track (in order), or the track list. */
function sectionOf(path: string, tracks: readonly Track[]): { key: string; order: number; title: string } {
  const [root, id] = path.split('.');
  if (root === 'tracks' && id) {
    const index = tracks.findIndex((track) => track.id === id);
    const title = tracks[index]?.title.trim();
    return { key: id, order: index + 1, title: `Track ${index + 1}${title ? ` · ${title}` : ''}` };
  }
  if (root === 'tracks') return { key: 'tracks', order: tracks.length + 1, title: 'Tracks' };
  return { key: 'release', order: 0, title: 'Release' };
}

const SEVERITIES = [
  { severity: 'blocking', title: 'Blocking', hint: 'Fix these to submit for review' },
  { severity: 'warning', title: 'Warnings', hint: 'Stores may reject or change these' },
] as const;

interface ProblemsPanelProps {
  problems: readonly Problem[];
  /** Problems found across the label's releases (the server's): marked as such. */
  labelWide: readonly Problem[];
  labelStatus: { isChecking: boolean; checkedAt: string | null; error: Error | null };
  tracks: readonly Track[];
  onSelect: (path: string) => void;
}

/**
 * Every problem of the sheet, blocking first, then by section (the release, each track); each
 * one moves focus to its field, and offers its one-click fix when it has one. Updates live for
 * everyone, since the sheet's own rules run on the shared document.
 */
export function ProblemsPanel({ problems, labelWide, labelStatus, tracks, onSelect }: ProblemsPanelProps) {
  const blocking = problems.filter((problem) => problem.severity === 'blocking').length;
  const warnings = problems.length - blocking;
  const seen = new Map<string, number>();
  const keyOf = (problem: Problem) => {
    const base = `${problem.path}|${problem.code}|${problem.message}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return `${base}|${count}`;
  };
  return (
    <section
      data-testid="problems-panel"
      aria-labelledby="problems-heading"
      className="rounded-lg border bg-card p-4"
    >
      <h2 id="problems-heading" className="mb-1 text-sm font-semibold tracking-tight">
        Problems
      </h2>
      <p className="mb-1 text-xs text-muted-foreground" aria-live="polite" data-testid="problems-summary">
        {problems.length === 0
          ? 'None found: every delivery check passes.'
          : `${blocking} blocking, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`}
      </p>
      <LabelCheckStatus {...labelStatus} />
      {problems.length === 0 ? (
        <CircleCheckIcon className="size-6 text-emerald-600" aria-hidden />
      ) : (
        <div className="-mx-2 flex max-h-[70vh] flex-col gap-3 overflow-y-auto">
          {SEVERITIES.map(({ severity, title, hint }) => {
            const ofSeverity = problems.filter((problem) => problem.severity === severity);
            if (ofSeverity.length === 0) return null;
            const sections = new Map<string, { order: number; title: string; problems: Problem[] }>();
            for (const problem of ofSeverity) {
              const section = sectionOf(problem.path, tracks);
              const entry = sections.get(section.key) ?? { ...section, problems: [] };
              entry.problems.push(problem);
              sections.set(section.key, entry);
            }
            return (
              <section key={severity} aria-label={title} data-testid={`problems-${severity}`}>
                <h3 className="px-2 text-xs font-semibold">
                  {title} <span className="font-normal text-muted-foreground">· {hint}</span>
                </h3>
                {[...sections.values()]
                  .sort((a, b) => a.order - b.order)
                  .map((section) => (
                    <div key={section.title} className="mt-1">
                      <h4 className="truncate px-2 text-[11px] font-medium uppercase tracking-wide text-muted-foreground">
                        {section.title}
                      </h4>
                      <ul className="flex flex-col gap-0.5">
                        {section.problems.map((problem) => (
                          <ProblemItem
                            key={keyOf(problem)}
                            problem={problem}
                            isLabelWide={labelWide.includes(problem)}
                            where={describePath(problem.path, tracks)}
                            onSelect={onSelect}
                          />
                        ))}
                      </ul>
                    </div>
                  ))}
              </section>
            );
          })}
        </div>
      )}
    </section>
  );
}

function LabelCheckStatus({ isChecking, checkedAt, error }: ProblemsPanelProps['labelStatus']) {
  const text = error
    ? 'Could not check the label’s other releases; retrying on focus.'
    : checkedAt
      ? `Checked against the label’s other releases at ${new Date(checkedAt).toLocaleTimeString()}.`
      : 'Checking the label’s other releases…';
  return (
    <p
      className="mb-3 flex items-center gap-1 text-[11px] text-muted-foreground"
      data-testid="label-check-status"
    >
      {isChecking ? <LoaderCircleIcon className="size-3 animate-spin" aria-hidden /> : null}
      {text}
    </p>
  );
}

function ProblemItem({
  problem,
  isLabelWide,
  where,
  onSelect,
}: {
  problem: Problem;
  isLabelWide: boolean;
  where: string;
  onSelect: (path: string) => void;
}) {
  const isBlocking = problem.severity === 'blocking';
  const Icon = isBlocking ? CircleAlertIcon : TriangleAlertIcon;
  return (
    <li
      data-testid="problem"
      data-path={problem.path}
      data-code={problem.code}
      data-severity={problem.severity}
      className="rounded-md hover:bg-accent/60"
    >
      <button
        type="button"
        data-testid="problem-jump"
        onClick={() => onSelect(problem.path)}
        className="flex w-full items-start gap-2 rounded-md px-2 py-1.5 text-left text-sm focus-visible:bg-accent"
      >
        <Icon
          className={
            isBlocking ? 'mt-0.5 size-4 shrink-0 text-destructive' : 'mt-0.5 size-4 shrink-0 text-amber-600'
          }
          aria-label={isBlocking ? 'Blocking' : 'Warning'}
        />
        <span className="min-w-0">
          <span className="block text-xs font-medium text-muted-foreground">
            {where}
            {isLabelWide ? ' · across the label' : ''}
          </span>
          <span className="block">{problem.message}</span>
        </span>
      </button>
      {problem.fix ? <FixButton fix={problem.fix} /> : null}
    </li>
  );
}

/** A one-click fix: a normal edit of this person (one undo step), which the server authorizes. */
function FixButton({ fix }: { fix: Fix }) {
  const sheet = useSheet();
  const blockedBy = fix.edits.map((edit) => edit.path).find((path) => !sheet.canEdit(path));
  const reason = blockedBy ? (sheet.lockReason(blockedBy) ?? 'You cannot change this field now') : null;
  return (
    <div className="pb-1.5 pl-8 pr-2">
      <Button
        type="button"
        size="sm"
        variant="outline"
        data-testid="problem-fix"
        data-fix-id={fix.id}
        disabled={reason !== null}
        title={reason ?? undefined}
        onClick={() => sheet.edit(() => applyFix(sheet.doc, fix))}
        className="h-auto min-h-7 max-w-full whitespace-normal py-1 text-left text-xs"
      >
        <WandSparklesIcon aria-hidden />
        {fix.label}
      </Button>
    </div>
  );
}
