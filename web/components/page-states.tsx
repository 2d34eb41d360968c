'use client';

import { CircleAlertIcon, SearchXIcon } from 'lucide-react';
import Link from 'next/link';
import { useEffect } from 'react';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';

/** `loading.tsx` body: a few grey bars where content will be (announced as busy). */
export function PageLoading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="mx-auto grid w-full max-w-5xl gap-3 px-4 py-8" aria-busy="true">
      <span className="sr-only" role="status">
        {label}
      </span>
      <Skeleton className="h-8 w-48" />
      <Skeleton className="h-16 w-full" />
      <Skeleton className="h-16 w-full" />
      <Skeleton className="h-16 w-full" />
    </div>
  );
}

/** `error.tsx` body: what failed and a way to try again (Next's `retry` re-fetches the segment). */
export function PageError({
  error,
  retry,
  title = 'Something went wrong',
}: {
  error: unknown;
  retry(): void;
  title?: string;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = (error as { digest?: string } | null)?.digest;
  return (
    <div className="mx-auto flex w-full max-w-xl flex-col items-start gap-4 px-4 py-12" role="alert">
      <CircleAlertIcon aria-hidden className="text-destructive size-8" />
      <h1 className="text-xl font-semibold">{title}</h1>
      <p className="text-muted-foreground">
        This part of the page could not be shown. Try again; if it keeps failing, reload the page.
        {digest ? ` (Reference ${digest})` : ''}
      </p>
      <div className="flex gap-2">
        <Button onClick={() => retry()}>Try again</Button>
        <Button variant="outline" asChild>
          <Link href="/releases">Go to releases</Link>
        </Button>
      </div>
    </div>
  );
}

/** `not-found.tsx` body. */
export function PageNotFound({
  title = 'Page not found',
  message = 'There is nothing at this address. It may have moved, or the link may be mistyped.',
}: {
  title?: string;
  message?: string;
}) {
  return (
    <div className="mx-auto flex w-full max-w-xl flex-col items-start gap-4 px-4 py-12">
      <SearchXIcon aria-hidden className="text-muted-foreground size-8" />
      <h1 className="text-xl font-semibold">{title}</h1>
      <p className="text-muted-foreground">{message}</p>
      <Button asChild>
        <Link href="/releases">Go to releases</Link>
      </Button>
    </div>
  );
}
