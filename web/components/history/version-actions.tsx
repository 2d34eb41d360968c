'use client';

import type { Version } from '@patchline/shared';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { toast } from '@/components/toaster';
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { staleAfter, useApiMutation } from '@/hooks/api-queries';
import { errorMessage } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { VERSION_KIND_LABELS } from './history-format';

const titleOf = (version: Version) => version.name ?? VERSION_KIND_LABELS[version.kind];

/**
 * `POST …/versions/:id/restore`, whole or `paths` only, after a confirmation: the restore is one
 * edit everyone sees live, and it shows in the history with its author.
 */
export function useRestore(releaseId: string) {
  return useApiMutation(
    (api, { versionId, paths }: { versionId: string; paths?: string[] }) =>
      api.history.restore(releaseId, versionId, paths ? { paths } : {}),
    () => staleAfter.restored(releaseId),
  );
}

export function RestoreButton({
  releaseId,
  version,
  paths,
  label,
  disabled,
  onRestored,
}: {
  releaseId: string;
  version: Version;
  /** Only these field paths; the whole sheet when left out. */
  paths?: string[];
  label?: string;
  disabled?: boolean;
  onRestored?(): void;
}) {
  const [open, setOpen] = useState(false);
  const restore = useRestore(releaseId);
  const title = titleOf(version);
  const what = paths
    ? `${paths.length} selected ${paths.length === 1 ? 'item' : 'items'}`
    : 'the whole sheet';

  return (
    <>
      <Button
        variant={paths ? 'default' : 'ghost'}
        size="sm"
        disabled={disabled}
        onClick={() => setOpen(true)}
        aria-label={label ?? `Restore ${title}`}
        data-testid={paths ? 'history-restore-selected' : 'history-restore'}
      >
        {label ?? 'Restore'}
      </Button>
      <AlertDialog
        open={open}
        onOpenChange={(next) => {
          if (!next) restore.reset();
          setOpen(next);
        }}
      >
        <AlertDialogContent data-testid="history-restore-dialog">
          <AlertDialogHeader>
            <AlertDialogTitle>Restore {what}?</AlertDialogTitle>
            <AlertDialogDescription>
              {paths ? 'These fields and tracks go back' : 'The sheet goes back'} to “{title}” (
              {formatDateTime(version.createdAt)}). It is a new edit everyone sees at once; the state before
              it is kept as a version, so this can be undone from the history.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <FormMessage
            message={restore.error ? errorMessage(restore.error) : null}
            testId="history-restore-error"
          />
          <AlertDialogFooter>
            <AlertDialogCancel disabled={restore.isPending}>Cancel</AlertDialogCancel>
            <Button
              disabled={restore.isPending}
              onClick={() =>
                restore.mutate(
                  { versionId: version.versionId, paths },
                  {
                    onSuccess: ({ restored }) => {
                      toast.success(
                        restored.length === 0
                          ? 'Nothing to restore: it is already so'
                          : `Restored “${title}”`,
                      );
                      setOpen(false);
                      onRestored?.();
                    },
                  },
                )
              }
              data-testid="history-restore-confirm"
            >
              {restore.isPending ? 'Restoring…' : 'Restore'}
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}

/** `POST …/versions/:id/copy`: a new release from the version, opened at once (owners, label staff). */
export function CopyVersionButton({ releaseId, version }: { releaseId: string; version: Version }) {
  const router = useRouter();
  const copy = useApiMutation(
    (api, versionId: string) => api.history.copy(releaseId, versionId),
    staleAfter.releaseCreated,
  );
  const title = titleOf(version);
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={copy.isPending || copy.isSuccess}
      aria-label={`Make a copy of ${title} as a new release`}
      onClick={() =>
        copy.mutate(version.versionId, {
          onSuccess: (created) => {
            toast.success(`Created “${created.title || 'Untitled release'}”`);
            router.push(`/releases/${created.releaseId}`);
          },
          onError: (error) => toast.error(`The copy failed: ${errorMessage(error)}`),
        })
      }
      data-testid="history-copy"
    >
      {copy.isPending ? 'Copying…' : 'Make a copy'}
    </Button>
  );
}
