'use client';

import {
  CheckIcon,
  CloudOffIcon,
  EyeIcon,
  KeyRoundIcon,
  LoaderCircleIcon,
  RefreshCwIcon,
} from 'lucide-react';
import { SAVE_STATUS_LABELS, type SaveStatus, saveStatusTone } from '@/lib/collab/save-status';
import { cn } from '@/lib/utils';

const ICONS: Record<SaveStatus, typeof CheckIcon> = {
  saved: CheckIcon,
  saving: LoaderCircleIcon,
  connecting: LoaderCircleIcon,
  reconnecting: RefreshCwIcon,
  offline: CloudOffIcon,
  'read-only': EyeIcon,
  'session-expired': KeyRoundIcon,
};

const TONES = {
  ok: 'border-emerald-600/30 bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200',
  busy: 'border-sky-600/30 bg-sky-50 text-sky-800 dark:bg-sky-950 dark:text-sky-200',
  warn: 'border-amber-600/40 bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  muted: 'border-border bg-muted text-muted-foreground',
} as const;

/**
 * The one status chip (README.md, "The web app"). A polite live region, so screen readers hear "Offline" or
 * "Saved" when it changes without being interrupted while typing.
 */
export function StatusChip({ status }: { status: SaveStatus }) {
  const Icon = ICONS[status];
  const isSpinning = status === 'saving' || status === 'connecting' || status === 'reconnecting';
  return (
    <span
      data-testid="status-chip"
      data-status={status}
      role="status"
      aria-live="polite"
      className={cn(
        'inline-flex h-7 max-w-full items-center gap-1.5 truncate rounded-full border px-2.5 text-xs font-medium',
        TONES[saveStatusTone(status)],
      )}
    >
      <Icon className={cn('size-3.5 shrink-0', isSpinning && 'animate-spin')} aria-hidden />
      <span className="truncate">{SAVE_STATUS_LABELS[status]}</span>
    </span>
  );
}
