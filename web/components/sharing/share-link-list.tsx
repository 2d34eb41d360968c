'use client';

import type { ShareLinkView } from '@patchline/shared';
import { useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { RelativeTime } from '@/components/relative-time';
import { ROLE_LABELS } from '@/components/releases/release-badges';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { staleAfter, useApiMutation } from '@/hooks/api-queries';
import { errorMessage } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';

type LinkState = 'active' | 'expired' | 'used up' | 'revoked';

/** The API says only `isActive`; the reason it is not follows from the other fields. */
export function linkState(link: ShareLinkView, now = Date.now()): LinkState {
  if (link.isActive) return 'active';
  if (Date.parse(link.expiresAt) <= now) return 'expired';
  if (link.uses >= link.maxUses) return 'used up';
  return 'revoked';
}

/**
 * Existing links, newest first. Revoking also takes away the access people gained through the
 * link — so it is offered for expired links too, whose grants outlive them.
 */
export function ShareLinkList({
  releaseId,
  links,
  onLinksChange,
}: {
  releaseId: string;
  links: ShareLinkView[];
  onLinksChange(update: (links: ShareLinkView[]) => ShareLinkView[]): void;
}) {
  const revocation = useApiMutation(
    (api, link: ShareLinkView) => api.shareLinks.revoke(releaseId, link.linkId),
    () => staleAfter.shareLinksChanged(releaseId),
  );
  const error = revocation.error ? errorMessage(revocation.error) : null;
  const busyId = revocation.isPending ? revocation.variables.linkId : null;
  // Revoked here, this session: an expired link that was revoked would still read as expired.
  const [revokedIds, setRevokedIds] = useState<ReadonlySet<string>>(new Set());

  function revoke(link: ShareLinkView) {
    revocation.mutate(link, {
      onSuccess: () => {
        setRevokedIds((ids) => new Set(ids).add(link.linkId));
        onLinksChange((list) => list.map((l) => (l.linkId === link.linkId ? { ...l, isActive: false } : l)));
      },
    });
  }

  if (links.length === 0) return <p className="text-muted-foreground text-sm">No links yet.</p>;
  return (
    <div className="grid gap-2">
      <FormMessage message={error} testId="share-link-revoke-error" />
      <ul className="divide-y rounded-lg border" data-testid="share-links-list">
        {links.map((link) => {
          const state = revokedIds.has(link.linkId) ? 'revoked' : linkState(link);
          const uses = `${link.uses} of ${link.maxUses} used`;
          return (
            <li
              key={link.linkId}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm"
              data-testid="share-link-row"
              data-state={state}
            >
              <Badge variant="outline">{ROLE_LABELS[link.role]}</Badge>
              <span className="grid min-w-0 flex-1">
                <span>
                  {state === 'active' ? (
                    <>
                      Expires <RelativeTime iso={link.expiresAt} />
                    </>
                  ) : (
                    <span className="text-muted-foreground capitalize">{state}</span>
                  )}
                </span>
                <span className="text-muted-foreground text-xs">
                  Created {formatDateTime(link.createdAt)} · {uses}
                </span>
              </span>
              {state !== 'revoked' ? (
                <Button
                  variant="outline"
                  size="sm"
                  onClick={() => revoke(link)}
                  disabled={busyId === link.linkId}
                  aria-label={`Revoke the ${link.role} link created ${formatDateTime(link.createdAt)}`}
                  data-testid="share-link-revoke"
                >
                  {busyId === link.linkId ? 'Revoking…' : 'Revoke'}
                </Button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
