'use client';

import type { ReleaseStatus } from '@patchline/shared';
import { LockIcon } from 'lucide-react';
import type { ReadOnlyReason } from '@/hooks/use-release-access';

const LOCKED_MESSAGES: Partial<Record<ReleaseStatus, string>> = {
  in_review:
    'This release is in review: it is locked for the team while label managers check it. A manager can request changes to unlock it.',
  approved:
    'This release is approved and stays read-only, so what was approved is what gets delivered. A manager can reopen it.',
  delivered: 'This release has been delivered and is read-only. A manager can reopen it.',
};

/** Why this sheet cannot be edited (viewer, locked status, or access removed). */
export function ReadOnlyBanner({
  reason,
  status,
}: {
  reason: Exclude<ReadOnlyReason, null>;
  status: ReleaseStatus;
}) {
  const message =
    reason === 'revoked'
      ? 'Your access to this release was removed. What you see is no longer updated.'
      : reason === 'viewer'
        ? 'You have view access: you can read and export this sheet, but not change it. Ask an owner for edit access.'
        : (LOCKED_MESSAGES[status] ?? 'This release is locked for editing.');
  return (
    <div
      data-testid="read-only-banner"
      data-reason={reason}
      role="status"
      className="flex items-start gap-2 rounded-lg border border-amber-600/30 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
    >
      <LockIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p>
        <span className="font-semibold">Read-only. </span>
        {message}
      </p>
    </div>
  );
}
