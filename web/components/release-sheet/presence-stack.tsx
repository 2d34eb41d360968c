'use client';

import { Tooltip, TooltipContent, TooltipTrigger } from '@/components/ui/tooltip';
import { initialsOf, type Peer } from '@/lib/collab/presence';

/** Avatars shown before "+N"; the box is always sized for this many, so joins never shift layout. */
const MAX_VISIBLE = 4;

/**
 * Everyone in the release (viewers too), the local user first. The container has a fixed width
 * (MAX_VISIBLE avatars plus the overflow counter) and avatars fill it from the left.
 */
export function PresenceStack({ people }: { people: readonly Peer[] }) {
  const visible = people.slice(0, MAX_VISIBLE);
  const hidden = people.slice(MAX_VISIBLE);
  const names = people.map((peer) => (peer.isSelf ? `${peer.user.name} (you)` : peer.user.name));
  return (
    <div
      data-testid="presence"
      data-count={people.length}
      className="flex h-8 w-[8.5rem] shrink-0 items-center justify-start"
    >
      <ul
        className="flex -space-x-2"
        aria-label={`${people.length} ${people.length === 1 ? 'person' : 'people'} here: ${names.join(', ')}`}
      >
        {visible.map((peer) => (
          <li key={peer.clientId} data-testid="presence-avatar" data-user={peer.user.sub}>
            <Tooltip>
              <TooltipTrigger asChild>
                <button
                  type="button"
                  className="flex size-8 items-center justify-center rounded-full text-xs font-semibold text-white ring-2 ring-background"
                  style={{ backgroundColor: peer.user.color }}
                >
                  <span aria-hidden>{initialsOf(peer.user.name)}</span>
                  <span className="sr-only">{peer.isSelf ? `${peer.user.name} (you)` : peer.user.name}</span>
                </button>
              </TooltipTrigger>
              <TooltipContent>{peer.isSelf ? `${peer.user.name} (you)` : peer.user.name}</TooltipContent>
            </Tooltip>
          </li>
        ))}
        {hidden.length > 0 ? (
          <li>
            <Tooltip>
              <TooltipTrigger asChild>
                <button
                  type="button"
                  className="flex size-8 items-center justify-center rounded-full bg-muted text-xs font-semibold text-muted-foreground ring-2 ring-background"
                >
                  <span aria-hidden>+{hidden.length}</span>
                  <span className="sr-only">{`${hidden.length} more: ${hidden.map((peer) => peer.user.name).join(', ')}`}</span>
                </button>
              </TooltipTrigger>
              <TooltipContent>{hidden.map((peer) => peer.user.name).join(', ')}</TooltipContent>
            </Tooltip>
          </li>
        ) : null}
      </ul>
    </div>
  );
}
