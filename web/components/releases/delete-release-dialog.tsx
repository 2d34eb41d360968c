'use client';

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
import { useDeleteRelease } from '@/hooks/api-queries';
import { errorMessage } from '@/lib/api-client';

/** Asks before `DELETE /releases/:id`, which removes the sheet and everyone's access for good. */
export function DeleteReleaseDialog({
  release,
  onOpenChange,
}: {
  release: { releaseId: string; title: string } | null;
  onOpenChange(open: boolean): void;
}) {
  const deletion = useDeleteRelease();
  const { isPending } = deletion;
  const error = deletion.error ? errorMessage(deletion.error) : null;
  const title = release?.title || 'Untitled release';

  function onDelete() {
    if (!release) return;
    deletion.mutate(release.releaseId, {
      onSuccess: () => {
        toast.success(`“${title}” was deleted`);
        onOpenChange(false);
      },
    });
  }

  return (
    <AlertDialog
      open={release !== null}
      onOpenChange={(open) => {
        if (!open) deletion.reset();
        onOpenChange(open);
      }}
    >
      <AlertDialogContent data-testid="delete-release-dialog">
        <AlertDialogHeader>
          <AlertDialogTitle>Delete “{title}”?</AlertDialogTitle>
          <AlertDialogDescription>
            This deletes the sheet with its tracks, credits and notes, and removes everyone&apos;s access and
            share links. People who have it open are disconnected. This cannot be undone.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <FormMessage message={error} testId="delete-release-error" />
        <AlertDialogFooter>
          <AlertDialogCancel disabled={isPending}>Cancel</AlertDialogCancel>
          {/* Not AlertDialogAction: that closes the dialog before the request has answered. */}
          <Button
            variant="destructive"
            onClick={onDelete}
            disabled={isPending}
            data-testid="confirm-delete-release"
          >
            {isPending ? 'Deleting…' : 'Delete release'}
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
