'use client';

import { LockIcon } from 'lucide-react';
import type { CSSProperties, ReactNode } from 'react';
import { FieldHistoryButton } from '@/components/history/field-history';
import { Label } from '@/components/ui/label';
import { Tooltip, TooltipContent, TooltipTrigger } from '@/components/ui/tooltip';
import { fieldDomId } from '@/lib/collab/field-ids';
import { cn } from '@/lib/utils';
import { useSheet } from './sheet-context';

/** Everything an input needs to be labelled, described, locked and marked invalid. */
export interface FieldControlProps {
  id: string;
  'data-testid': string;
  'data-field-path': string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
  /** Text inputs stay focusable and selectable when they cannot be changed. */
  readOnly: boolean;
  /** Selects, checkboxes and buttons cannot be read-only, so they are disabled instead. */
  disabled: boolean;
}

interface FieldShellProps {
  path: string;
  label: string;
  /** Visually hidden label (table-like rows label their inputs by column). */
  isLabelHidden?: boolean;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}

/**
 * One labelled field: presence ring and name tag of whoever else is in it, a lock with its
 * reason when the role forbids the field, and the validation messages for its path. The ring and
 * tag are drawn over the border (box-shadow, absolute tag), so peers coming and going never move
 * the layout.
 */
export function FieldShell({ path, label, isLabelHidden, className, children }: FieldShellProps) {
  const sheet = useSheet();
  const id = fieldDomId(path);
  const problems = sheet.problemsFor(path);
  const peers = sheet.peersIn(path);
  const lockReason = sheet.lockReason(path);
  const canEdit = sheet.canEdit(path);
  const problemId = problems.length > 0 ? `${id}-problems` : undefined;
  const lockId = lockReason ? `${id}-lock` : undefined;
  const describedBy = [problemId, lockId].filter(Boolean).join(' ') || undefined;
  const first = peers[0];
  const ring: CSSProperties | undefined = first
    ? { boxShadow: `0 0 0 2px ${first.user.color}`, borderRadius: 'calc(var(--radius) - 2px)' }
    : undefined;
  const hasError = problems.some((problem) => problem.severity === 'blocking');

  return (
    <div className={cn('flex min-w-0 flex-col gap-1.5', className)}>
      <div className={cn('flex min-h-4 items-center gap-1.5', isLabelHidden && 'sr-only')}>
        <Label htmlFor={id} className="text-xs font-medium text-muted-foreground">
          {label}
        </Label>
        {lockReason ? (
          <Tooltip>
            <TooltipTrigger asChild>
              <button
                type="button"
                className="inline-flex size-4 items-center justify-center rounded text-muted-foreground"
                aria-label={lockReason}
              >
                <LockIcon className="size-3" aria-hidden />
              </button>
            </TooltipTrigger>
            <TooltipContent>{lockReason}</TooltipContent>
          </Tooltip>
        ) : null}
        {isLabelHidden ? null : <FieldHistoryButton releaseId={sheet.releaseId} path={path} label={label} />}
      </div>
      <div className="relative" style={ring}>
        {children({
          id,
          'data-testid': id,
          'data-field-path': path,
          'aria-describedby': describedBy,
          'aria-invalid': hasError || undefined,
          readOnly: !canEdit,
          disabled: !canEdit,
        })}
        {first ? (
          <span
            className="pointer-events-none absolute -top-2 right-1.5 max-w-[70%] truncate rounded px-1.5 text-[10px] leading-4 font-semibold text-white"
            style={{ backgroundColor: first.user.color }}
            data-testid={`presence-${path}`}
          >
            {first.user.name}
            {peers.length > 1 ? ` +${peers.length - 1}` : ''}
          </span>
        ) : null}
      </div>
      {lockReason ? (
        <span id={lockId} className="sr-only">
          {lockReason}
        </span>
      ) : null}
      {problems.length > 0 ? (
        <ul id={problemId} className="flex flex-col gap-0.5 text-xs">
          {problems.map((problem) => (
            <li
              key={`${problem.code}-${problem.message}`}
              className={
                problem.severity === 'blocking' ? 'text-destructive' : 'text-amber-700 dark:text-amber-400'
              }
            >
              {problem.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
