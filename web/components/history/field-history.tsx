'use client';

import { HistoryIcon } from 'lucide-react';
import { useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { RelativeTime } from '@/components/relative-time';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { useFieldHistory } from '@/hooks/api-queries';
import { errorMessage } from '@/lib/api-client';
import { formatValue, personName } from './history-format';

/**
 * What a field's history is kept for: a field itself, or for a credit's or split's field, the
 * track's whole list (`tracks.<id>.credits`), the finest path the history records for lists.
 */
export function historyTarget(path: string, label: string): { path: string; label: string } | null {
  const [root, trackId, list, , entryField] = path.split('.');
  if (root !== 'tracks' || !trackId || (list !== 'credits' && list !== 'splits')) return { path, label };
  // One button per list, beside its first column.
  if (entryField !== (list === 'credits' ? 'name' : 'party')) return null;
  return { path: `tracks.${trackId}.${list}`, label: list === 'credits' ? 'Credits' : 'Splits' };
}

/**
 * "History" of one field (`GET /releases/:id/history?path=`): its past values, newest first, with
 * who set each and when. A small icon button beside the field's label opens it.
 */
export function FieldHistoryButton({
  releaseId,
  path: fieldPath,
  label: fieldLabel,
}: {
  releaseId: string;
  path: string;
  label: string;
}) {
  const [open, setOpen] = useState(false);
  const target = historyTarget(fieldPath, fieldLabel);
  if (!target) return null;
  const { path, label } = target;
  return (
    <>
      <button
        type="button"
        className="text-muted-foreground hover:text-foreground focus-visible:ring-ring inline-flex size-4 items-center justify-center rounded focus-visible:ring-2"
        aria-label={`History of ${label}`}
        title={`History of ${label}`}
        onClick={() => setOpen(true)}
        data-testid={`field-history-${path}`}
      >
        <HistoryIcon className="size-3" aria-hidden />
      </button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent className="sm:max-w-md" data-testid="field-history">
          <DialogHeader>
            <DialogTitle>History of {label}</DialogTitle>
            <DialogDescription>Past values, newest first, with who set each and when.</DialogDescription>
          </DialogHeader>
          {open ? <FieldHistoryList releaseId={releaseId} path={path} /> : null}
        </DialogContent>
      </Dialog>
    </>
  );
}

function FieldHistoryList({ releaseId, path }: { releaseId: string; path: string }) {
  const history = useFieldHistory(releaseId, path, true);
  if (history.error)
    return <FormMessage message={errorMessage(history.error)} testId="field-history-error" />;
  if (!history.data) return <Skeleton className="h-24 w-full" />;
  const { entries } = history.data;
  if (entries.length === 0)
    return (
      <p className="text-muted-foreground text-sm" role="status">
        No changes recorded yet.
      </p>
    );
  return (
    <ol className="grid gap-2" aria-label="Past values, newest first">
      {entries.map((entry) => (
        <li
          key={entry.seq}
          className="grid gap-0.5 rounded-md border p-2 text-sm"
          data-testid="field-history-entry"
        >
          <span className="font-medium break-words">
            {entry.value === null ? 'Changed (compare versions to see the value)' : formatValue(entry.value)}
          </span>
          <span className="text-muted-foreground text-xs">
            {personName(entry.setBy)} · <RelativeTime iso={entry.at} />
          </span>
        </li>
      ))}
    </ol>
  );
}
