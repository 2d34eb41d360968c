'use client';

import { SearchIcon, ShieldAlertIcon } from 'lucide-react';
import { useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Badge } from '@/components/ui/badge';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';
import { useLabelUsers, useSetManager } from '@/hooks/api-queries';
import { useSession } from '@/hooks/use-session';
import { errorMessage } from '@/lib/api-client';

/**
 * `/admin`: every user of the pool and whether they are in `managers` (label-wide: every
 * release, grants, approvals). A change reaches the person with their next ID token, so within
 * the hour, or at once when they sign in again.
 */
export function LabelAdmin() {
  const { user } = useSession();
  const isAdmin = user?.groups.includes('admins') ?? false;
  if (!isAdmin) {
    return (
      <div
        className="mx-auto flex w-full max-w-xl flex-col items-start gap-3 px-4 py-12"
        data-testid="admin-forbidden"
      >
        <ShieldAlertIcon aria-hidden className="text-muted-foreground size-8" />
        <h1 className="text-xl font-semibold">Label admin is for admins</h1>
        <p className="text-muted-foreground">
          Ask an admin of your label if you need to manage who is a manager.
        </p>
      </div>
    );
  }
  return <UserTable />;
}

function UserTable() {
  const { data, error } = useLabelUsers();
  const change = useSetManager();
  const [filter, setFilter] = useState('');
  const rowError = change.error ? errorMessage(change.error) : null;
  const busyId = change.isPending ? change.variables.userId : null;
  const needle = filter.trim().toLowerCase();
  const users = (data?.users ?? [])
    .filter((u) => !needle || `${u.name} ${u.email}`.toLowerCase().includes(needle))
    .sort((a, b) => a.email.localeCompare(b.email));

  return (
    <div className="mx-auto grid w-full max-w-5xl gap-6 px-4 py-8">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Label admin</h1>
        <p className="text-muted-foreground text-sm">
          Managers see every release, grant roles and approve sheets. Changes apply when the person&apos;s
          session next refreshes (within an hour) or when they sign in again.
        </p>
      </div>
      <div className="grid max-w-sm gap-2">
        <Label htmlFor="user-filter">Find people</Label>
        <div className="relative">
          <SearchIcon
            aria-hidden
            className="text-muted-foreground absolute top-1/2 left-3 size-4 -translate-y-1/2"
          />
          <Input
            id="user-filter"
            type="search"
            placeholder="Name or email"
            className="pl-9"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
        </div>
      </div>
      <FormMessage message={error?.message ?? rowError} testId="admin-error" />
      {!data && !error ? (
        <Skeleton className="h-40 w-full" />
      ) : (
        <ul className="divide-y rounded-lg border" data-testid="admin-users">
          {users.map((person) => {
            const isManager = person.groups.includes('managers');
            const switchId = `manager-${person.userId}`;
            return (
              <li
                key={person.userId}
                className="flex flex-wrap items-center gap-3 px-4 py-3"
                data-testid="admin-user-row"
                data-email={person.email}
              >
                <div className="grid min-w-0 flex-1">
                  <span className="truncate font-medium">{person.name || person.email}</span>
                  <span className="text-muted-foreground truncate text-sm">{person.email}</span>
                </div>
                {person.groups.includes('admins') ? <Badge variant="secondary">Admin</Badge> : null}
                <div className="flex items-center gap-2">
                  <Switch
                    id={switchId}
                    checked={isManager}
                    disabled={busyId === person.userId}
                    onCheckedChange={(checked) =>
                      change.mutate({ userId: person.userId, isManager: checked })
                    }
                    data-testid="admin-manager-switch"
                  />
                  <Label htmlFor={switchId}>
                    Manager<span className="sr-only"> — {person.email}</span>
                  </Label>
                </div>
              </li>
            );
          })}
          {users.length === 0 ? (
            <li className="text-muted-foreground px-4 py-6 text-sm">Nobody matches.</li>
          ) : null}
        </ul>
      )}
    </div>
  );
}
