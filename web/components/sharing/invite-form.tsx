'use client';

import type { ReleaseRole } from '@patchline/permissions';
import { type FormEvent, useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { staleAfter, useApiMutation } from '@/hooks/api-queries';
import { errorMessage } from '@/lib/api-client';
import { RoleSelect } from './role-select';

/**
 * Grants a role by email (`POST /releases/:id/members`). An email without an account becomes a
 * pending invite that turns into access when that person signs up and signs in.
 */
export function InviteForm({ releaseId, roles }: { releaseId: string; roles: ReleaseRole[] }) {
  // The member list is refetched: the API's order (owners first, invites last) is its own.
  const invitation = useApiMutation(
    (api, body: { email: string; role: ReleaseRole }) => api.members.grant(releaseId, body),
    () => staleAfter.membersChanged(releaseId),
  );
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ReleaseRole>(roles.includes('editor') ? 'editor' : (roles[0] ?? 'viewer'));
  const error = invitation.error ? errorMessage(invitation.error) : null;
  const { isPending } = invitation;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    invitation.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') });
  }

  return (
    <form className="grid gap-2" onSubmit={onSubmit} data-testid="invite-form">
      <Label htmlFor="invite-email">Invite by email</Label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input
          id="invite-email"
          type="email"
          required
          placeholder="name@example.com"
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          className="flex-1"
          data-testid="invite-email"
        />
        <div className="flex gap-2">
          <RoleSelect
            value={role}
            roles={roles}
            onChange={setRole}
            label="Role for the invited person"
            testId="invite-role"
          />
          <Button type="submit" disabled={isPending || !email.trim()} data-testid="invite-submit">
            {isPending ? 'Inviting…' : 'Invite'}
          </Button>
        </div>
      </div>
      <FormMessage message={error} testId="share-invite-error" />
    </form>
  );
}
