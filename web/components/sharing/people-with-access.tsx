'use client';

import type { ReleaseRole } from '@patchline/permissions';
import type { GrantedMember, Member } from '@patchline/shared';
import { UserMinusIcon, XIcon } from 'lucide-react';
import { FormMessage } from '@/components/form-message';
import { ROLE_LABELS } from '@/components/releases/release-badges';
import { Avatar, AvatarFallback } from '@/components/ui/avatar';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { staleAfter, useApiMutation } from '@/hooks/api-queries';
import { errorMessage } from '@/lib/api-client';
import { initialsOf } from '@/lib/initials';
import { RoleSelect } from './role-select';

const VIA_LABELS: Partial<Record<Member['via'], string>> = { link: 'via link', invite: 'Invited' };

/**
 * Everyone with a role, owners first, pending invites last (the API's order). Roles change in
 * place (`PATCH …/members/:userId`); refusals (403) and conflicts such as removing the last
 * owner (409) show above the list and leave it unchanged. Editors and viewers get names and
 * roles only from the API (no emails, no invites), and the rows show just that.
 */
export function PeopleWithAccess({
  releaseId,
  members,
  currentUser,
  grantableRoles,
  onChange,
}: {
  releaseId: string;
  members: Member[];
  currentUser: { sub: string; name: string; email: string } | null;
  grantableRoles: ReleaseRole[];
  onChange(update: (members: Member[]) => Member[]): void;
}) {
  const keyOf = (member: Member) => (member.isPending ? `invite:${member.email}` : member.userId);
  // One change at a time, one error line: a role change (`role`) or a removal (`role: null`).
  const change = useApiMutation(
    async (api, { member, role }: { member: Member; role: ReleaseRole | null }) => {
      if (role !== null && !member.isPending) {
        const updated = await api.members.changeRole(releaseId, member.userId, { role });
        onChange((list) => list.map((m) => (m.userId === member.userId ? { ...m, ...updated } : m)));
        return;
      }
      await (member.isPending
        ? api.members.cancelInvite(releaseId, member.email)
        : api.members.revoke(releaseId, member.userId));
      onChange((list) => list.filter((m) => keyOf(m) !== keyOf(member)));
    },
    () => staleAfter.membersChanged(releaseId),
  );
  const error = change.error ? errorMessage(change.error) : null;
  const busyKey = change.isPending ? keyOf(change.variables.member) : null;

  const changeRole = (member: GrantedMember, role: ReleaseRole) => change.mutate({ member, role });
  const remove = (member: Member) => change.mutate({ member, role: null });

  return (
    <div className="grid gap-2">
      <FormMessage message={error} testId="share-members-error" />
      <ul className="divide-y rounded-lg border" data-testid="share-members">
        {members.map((member) => {
          const isSelf = member.userId !== null && member.userId === currentUser?.sub;
          const canManage = !isSelf && grantableRoles.includes(member.role);
          const isBusy = busyKey === keyOf(member);
          // Some grants carry no name (the API then names them by email, for those who may see
          // it, or else by user id).
          const isNameless = member.name === member.userId;
          const who = isSelf ? currentUser!.name : isNameless ? 'Unnamed member' : member.name;
          const email = isSelf ? currentUser!.email : member.email;
          return (
            <li
              key={keyOf(member)}
              className="flex flex-wrap items-center gap-x-3 gap-y-2 px-3 py-2"
              data-testid="member-row"
              data-user-id={member.userId ?? undefined}
              data-email={member.email}
            >
              {/* At least 12rem for who it is; on a phone the controls wrap under it. */}
              <div className="flex min-w-0 flex-1 basis-48 items-center gap-3">
                <Avatar className="size-8">
                  <AvatarFallback className="text-xs">{initialsOf(who)}</AvatarFallback>
                </Avatar>
                <div className="grid min-w-0">
                  <span className="truncate text-sm font-medium">
                    {who}
                    {isSelf ? <span className="text-muted-foreground font-normal"> (you)</span> : null}
                  </span>
                  {email && email !== who ? (
                    <span className="text-muted-foreground truncate text-xs">{email}</span>
                  ) : null}
                </div>
              </div>
              <div className="ml-auto flex items-center gap-2">
                {VIA_LABELS[member.via] ? <Badge variant="secondary">{VIA_LABELS[member.via]}</Badge> : null}
                {canManage && !member.isPending ? (
                  <RoleSelect
                    size="sm"
                    value={member.role}
                    roles={grantableRoles}
                    onChange={(role) => role !== member.role && changeRole(member, role)}
                    disabled={isBusy}
                    label={`Role of ${who}`}
                    testId="member-role-select"
                  />
                ) : (
                  <span className="text-muted-foreground w-32 px-3 text-sm" data-testid="member-role">
                    {ROLE_LABELS[member.role]}
                  </span>
                )}
                {canManage ? (
                  <Button
                    variant="ghost"
                    size="icon"
                    onClick={() => remove(member)}
                    disabled={isBusy}
                    data-testid="member-remove"
                    aria-label={member.isPending ? `Cancel the invite of ${member.email}` : `Remove ${who}`}
                  >
                    {member.isPending ? <XIcon aria-hidden /> : <UserMinusIcon aria-hidden />}
                  </Button>
                ) : (
                  <span className="size-9" aria-hidden />
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
