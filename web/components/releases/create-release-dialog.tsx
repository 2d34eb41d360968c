'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { describedBy, FormField } from '@/components/form-field';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { staleAfter, useApiMutation } from '@/hooks/api-queries';
import { errorMessage } from '@/lib/api-client';

/** The API's bound on `trackCount` (collab-server `createReleaseBody`). */
const MAX_TRACKS = 100;

/** Title and a number of empty tracks; on success opens the new sheet. */
export function CreateReleaseDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  const router = useRouter();
  const creation = useApiMutation(
    (api, body: { title: string; trackCount: number }) => api.releases.create(body),
    staleAfter.releaseCreated,
  );
  const [title, setTitle] = useState('');
  const [trackCount, setTrackCount] = useState('1');
  const error = creation.error ? errorMessage(creation.error) : null;
  // Still pending once created: the page is on its way to the new sheet.
  const isPending = creation.isPending || creation.isSuccess;
  const tracks = Number(trackCount);
  const tracksError =
    trackCount === '' || !Number.isInteger(tracks) || tracks < 0 || tracks > MAX_TRACKS
      ? `Enter a whole number from 0 to ${MAX_TRACKS}.`
      : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (tracksError || !title.trim()) return;
    creation.mutate(
      { title: title.trim(), trackCount: tracks },
      { onSuccess: (release) => router.push(`/releases/${release.releaseId}`) },
    );
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) creation.reset();
        onOpenChange(next);
      }}
    >
      <DialogContent data-testid="create-release-dialog">
        <DialogHeader>
          <DialogTitle>New release</DialogTitle>
          <DialogDescription>You will own it and can share it once it is created.</DialogDescription>
        </DialogHeader>
        <form className="grid gap-4" onSubmit={onSubmit}>
          <FormField id="release-title" label="Title">
            <Input
              id="release-title"
              required
              maxLength={300}
              autoFocus
              placeholder="e.g. Night Drives EP"
              value={title}
              onChange={(event) => setTitle(event.target.value)}
              data-testid="create-release-title"
            />
          </FormField>
          <FormField
            id="release-tracks"
            label="Empty tracks to start with"
            hint="You can add, remove and reorder tracks in the sheet."
            error={tracksError}
          >
            <Input
              id="release-tracks"
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_TRACKS}
              step={1}
              required
              value={trackCount}
              onChange={(event) => setTrackCount(event.target.value)}
              aria-invalid={tracksError ? true : undefined}
              aria-describedby={describedBy('release-tracks', {
                hint: true,
                error: tracksError,
              })}
              className="w-32"
              data-testid="create-release-tracks"
            />
          </FormField>
          <FormMessage message={error} testId="create-release-error" />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button
              type="submit"
              disabled={isPending || !!tracksError || !title.trim()}
              data-testid="create-release-submit"
            >
              {isPending ? 'Creating…' : 'Create release'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
