'use client';

import type { ReleaseListItem } from '@patchline/shared';
import { EllipsisVerticalIcon, ExternalLinkIcon, Share2Icon, Trash2Icon } from 'lucide-react';
import Link from 'next/link';
import { RelativeTime } from '@/components/relative-time';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { RoleBadge, StatusBadge } from './release-badges';

/** One release: a link to its sheet (the whole row is the target) and a menu of actions. */
export function ReleaseRow({
  release,
  canShare,
  canDelete,
  onShare,
  onDelete,
}: {
  release: ReleaseListItem;
  canShare: boolean;
  canDelete: boolean;
  onShare(): void;
  onDelete(): void;
}) {
  const title = release.title || 'Untitled release';
  return (
    <li
      className="hover:bg-accent/40 focus-within:bg-accent/40 relative flex items-start gap-3 rounded-lg border p-4 transition-colors"
      data-testid="release-row"
      data-release-id={release.releaseId}
    >
      <div className="grid min-w-0 flex-1 gap-1">
        <Link
          href={`/releases/${release.releaseId}`}
          className="truncate font-medium after:absolute after:inset-0 after:rounded-lg focus-visible:outline-none focus-visible:after:ring-[3px] focus-visible:after:ring-ring/50"
        >
          {title}
        </Link>
        <p className="text-muted-foreground truncate text-sm">{release.displayArtist || 'No artist yet'}</p>
        <div className="flex flex-wrap items-center gap-2 pt-1">
          <StatusBadge status={release.status} />
          <RoleBadge role={release.role} />
          <span className="text-muted-foreground text-xs">
            Updated <RelativeTime iso={release.updatedAt} />
          </span>
        </div>
      </div>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            variant="ghost"
            size="icon"
            className="relative z-10 shrink-0"
            data-testid="release-menu-trigger"
          >
            <EllipsisVerticalIcon aria-hidden />
            <span className="sr-only">Actions for {title}</span>
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem asChild>
            <Link href={`/releases/${release.releaseId}`}>
              <ExternalLinkIcon aria-hidden />
              Open
            </Link>
          </DropdownMenuItem>
          {canShare ? (
            <DropdownMenuItem onSelect={onShare} data-testid="release-share">
              <Share2Icon aria-hidden />
              Share…
            </DropdownMenuItem>
          ) : null}
          {canDelete ? (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuItem variant="destructive" onSelect={onDelete} data-testid="release-delete">
                <Trash2Icon aria-hidden />
                Delete…
              </DropdownMenuItem>
            </>
          ) : null}
        </DropdownMenuContent>
      </DropdownMenu>
    </li>
  );
}
