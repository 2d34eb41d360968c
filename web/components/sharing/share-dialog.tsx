'use client';

import type { MemberList, ShareLinkList } from '@patchline/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { FormMessage } from '@/components/form-message';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Separator } from '@/components/ui/separator';
import { Skeleton } from '@/components/ui/skeleton';
import { queryKeys, useMembers, useReleaseDetails, useShareLinks } from '@/hooks/api-queries';
import { useSession } from '@/hooks/use-session';
import { grantableRoles, releaseAbility, shareableRoles } from '@/lib/release-permissions';
import { InviteForm } from './invite-form';
import { PeopleWithAccess } from './people-with-access';
import { ShareLinksSection } from './share-links-section';

export interface ShareDialogProps {
  releaseId: string;
  releaseTitle: string;
  open: boolean;
  onOpenChange(open: boolean): void;
}

/**
 * Who has access and how, modelled on the Drive / Figma share dialogs: people with
 * their roles (change, remove, invite by email), then links with a role and an expiry. What the
 * user may do comes from the same CASL ability the API enforces; the API still has the last word,
 * and its refusals show inline.
 * @example
 * <ShareDialog releaseId={id} releaseTitle={title} open={isOpen} onOpenChange={setIsOpen} />
 */
export function ShareDialog({ releaseId, releaseTitle, open, onOpenChange }: ShareDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-2xl" data-testid="share-dialog">
        <DialogHeader>
          <DialogTitle>Share “{releaseTitle}”</DialogTitle>
          <DialogDescription>
            Give people a role on this release, or create a link that does.
          </DialogDescription>
        </DialogHeader>
        {open ? <ShareDialogBody releaseId={releaseId} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function ShareDialogBody({ releaseId }: { releaseId: string }) {
  const { user } = useSession();
  const queryClient = useQueryClient();
  const details = useReleaseDetails(releaseId);
  const release = details.data;
  const ability = useMemo(
    () =>
      user && release
        ? releaseAbility(user, { releaseId, status: release.status, role: release.role })
        : null,
    [user, release, releaseId],
  );
  const grantable = ability ? grantableRoles(ability, releaseId) : [];
  const shareable = ability ? shareableRoles(ability, releaseId) : [];
  const members = useMembers(releaseId);
  const links = useShareLinks(releaseId, shareable.length > 0);

  if (details.error) return <FormMessage message={details.error.message} testId="share-dialog-error" />;
  return (
    <div className="grid gap-6">
      <section aria-labelledby="share-people-heading" className="grid gap-3">
        <h3 id="share-people-heading" className="text-sm font-semibold">
          People with access
        </h3>
        {grantable.length > 0 ? <InviteForm releaseId={releaseId} roles={grantable} /> : null}
        {members.error ? (
          <FormMessage message={members.error.message} testId="share-members-load-error" />
        ) : members.data ? (
          <PeopleWithAccess
            releaseId={releaseId}
            members={members.data.members}
            currentUser={user}
            grantableRoles={grantable}
            onChange={(update) =>
              queryClient.setQueryData<MemberList>(
                queryKeys.members(releaseId),
                (current) => current && { members: update(current.members) },
              )
            }
          />
        ) : (
          <Skeleton className="h-24 w-full" />
        )}
      </section>
      <Separator />
      <section aria-labelledby="share-links-heading" className="grid gap-3">
        <h3 id="share-links-heading" className="text-sm font-semibold">
          Links
        </h3>
        {!release ? (
          <Skeleton className="h-20 w-full" />
        ) : shareable.length === 0 ? (
          <p className="text-muted-foreground text-sm" data-testid="share-links-not-allowed">
            Only the release&apos;s owners and label managers can create links.
          </p>
        ) : links.error ? (
          <FormMessage message={links.error.message} testId="share-links-load-error" />
        ) : (
          <ShareLinksSection
            releaseId={releaseId}
            roles={shareable}
            links={links.data?.links ?? []}
            onLinksChange={(update) =>
              queryClient.setQueryData<ShareLinkList>(queryKeys.shareLinks(releaseId), (current) => ({
                links: update(current?.links ?? []),
              }))
            }
          />
        )}
      </section>
    </div>
  );
}
