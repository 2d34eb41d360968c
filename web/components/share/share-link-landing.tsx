'use client';

import { LinkIcon } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { FormMessage } from '@/components/form-message';
import { ROLE_LABELS } from '@/components/releases/release-badges';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { staleAfter, useApiMutation } from '@/hooks/api-queries';
import { useSession } from '@/hooks/use-session';
import { ApiError } from '@/lib/api-client';
import { withQuery } from '@/lib/safe-next';
import { useSharePreview } from './use-share-preview';

const GONE_MESSAGE =
  'This link no longer works: it expired, was revoked, was used by as many people as it allows, or the person who shared it can no longer share this release. Ask for a new one.';

/** The seconds a 429 asks to wait (`details.retryAfterSeconds`), if it says. */
function retryAfterOf(error: ApiError): number | null {
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 ? seconds : null;
}

function messageFor(error: ApiError): string {
  if (error.status === 404)
    return 'This link does not exist or was revoked. Check that it was copied whole, or ask for a new one.';
  if (error.status === 410) return GONE_MESSAGE;
  if (error.status === 429) {
    const seconds = retryAfterOf(error);
    const wait = seconds === null || seconds <= 60 ? 'a minute' : `${Math.ceil(seconds / 60)} minutes`;
    return `Too many attempts with share links. Wait ${wait} and try again.`;
  }
  // 403: removed from the release by an owner; the API says so, and what to do.
  return error.message;
}

/**
 * What a share link offers (title and role), then: sign in or sign up and come back here, or —
 * signed in — redeem it and open the sheet.
 */
export function ShareLinkLanding({ token }: { token: string }) {
  const preview = useSharePreview(token);
  const { status, user, signOut } = useSession();
  const router = useRouter();
  const redemption = useApiMutation(
    (api, linkToken: string) => api.shareLinks.redeem(linkToken),
    staleAfter.releaseCreated,
  );
  const error = redemption.error
    ? redemption.error instanceof ApiError
      ? messageFor(redemption.error)
      : 'Could not open the release.'
    : null;
  // Still pending once redeemed: the page is on its way to the sheet.
  const isPending = redemption.isPending || redemption.isSuccess;
  const here = `/share/${encodeURIComponent(token)}`;

  function open() {
    redemption.mutate(token, { onSuccess: ({ releaseId }) => router.push(`/releases/${releaseId}`) });
  }

  if (preview.status === 'loading') {
    return (
      <AuthCard title="Opening a shared release…">
        <div className="grid gap-3" aria-busy="true">
          <Skeleton className="h-6 w-2/3" />
          <Skeleton className="h-9 w-full" />
        </div>
      </AuthCard>
    );
  }
  if (preview.status === 'error') {
    return (
      <AuthCard title="This link does not work">
        <FormMessage message={messageFor(preview.error)} testId="share-link-problem" />
      </AuthCard>
    );
  }

  const { releaseTitle, role, isExpired } = preview.preview;
  const verb = role === 'editor' ? 'edit' : 'view';
  return (
    <AuthCard
      title="A release was shared with you"
      description={`You are invited to ${verb} this release sheet.`}
    >
      <div className="grid gap-5" data-testid="share-landing">
        <div className="flex items-start gap-3 rounded-lg border p-3">
          <LinkIcon aria-hidden className="text-muted-foreground mt-0.5 size-4 shrink-0" />
          <div className="grid min-w-0 gap-1">
            <p className="truncate font-medium" data-testid="share-release-title">
              {releaseTitle}
            </p>
            <p className="text-muted-foreground text-sm">
              Role:{' '}
              <Badge variant="outline" data-testid="share-offered-role">
                {ROLE_LABELS[role]}
              </Badge>
            </p>
          </div>
        </div>

        {isExpired ? (
          <FormMessage message={GONE_MESSAGE} testId="share-link-expired" />
        ) : status === 'loading' ? (
          <Skeleton className="h-9 w-full" />
        ) : status === 'signed-in' && user ? (
          <div className="grid gap-3">
            <FormMessage message={error} testId="share-redeem-error" />
            <Button onClick={open} disabled={isPending} data-testid="share-open">
              {isPending ? 'Opening…' : 'Open release'}
            </Button>
            <p className="text-muted-foreground text-sm">
              Signed in as {user.email}.{' '}
              <Button variant="link" className="h-auto p-0" onClick={() => signOut()}>
                Use another account
              </Button>
            </p>
          </div>
        ) : (
          <div className="grid gap-2">
            <p className="text-muted-foreground text-sm">Sign in, or create a free account, to open it.</p>
            <Button asChild data-testid="share-sign-in">
              <Link href={withQuery('/sign-in', { next: here })}>Sign in</Link>
            </Button>
            <Button asChild variant="outline" data-testid="share-sign-up">
              <Link href={withQuery('/sign-up', { next: here })}>Create an account</Link>
            </Button>
          </div>
        )}
      </div>
    </AuthCard>
  );
}
