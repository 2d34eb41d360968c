'use client';

import { RELEASE_STATUSES, type ReleaseStatus } from '@patchline/shared';
import { SearchIcon } from 'lucide-react';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { STATUS_LABELS } from './release-badges';

const ALL = 'all';

/** Search by title or artist, and filter by workflow status. */
export function ReleaseFilters({
  query,
  status,
  onQueryChange,
  onStatusChange,
}: {
  query: string;
  status: ReleaseStatus | null;
  onQueryChange(query: string): void;
  onStatusChange(status: ReleaseStatus | null): void;
}) {
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
      <div className="grid flex-1 gap-2">
        <Label htmlFor="release-search">Search</Label>
        <div className="relative">
          <SearchIcon
            aria-hidden
            className="text-muted-foreground absolute top-1/2 left-3 size-4 -translate-y-1/2"
          />
          <Input
            id="release-search"
            type="search"
            placeholder="Title or artist"
            className="pl-9"
            value={query}
            onChange={(event) => onQueryChange(event.target.value)}
            data-testid="releases-search"
          />
        </div>
      </div>
      <div className="grid gap-2">
        <Label htmlFor="release-status">Status</Label>
        <Select
          value={status ?? ALL}
          onValueChange={(value) => onStatusChange(value === ALL ? null : (value as ReleaseStatus))}
        >
          <SelectTrigger id="release-status" className="w-full sm:w-52" data-testid="releases-status-filter">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>All statuses</SelectItem>
            {RELEASE_STATUSES.map((value) => (
              <SelectItem key={value} value={value}>
                {STATUS_LABELS[value]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
    </div>
  );
}
