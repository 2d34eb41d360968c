'use client';

import type { ShareableRole } from '@patchline/permissions';
import type { CreateLinkBody, ShareLinkView } from '@patchline/shared';
import { CheckIcon, CopyIcon, LinkIcon } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { toast } from '@/components/toaster';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { staleAfter, useApiMutation } from '@/hooks/api-queries';
import { errorMessage } from '@/lib/api-client';
import { RoleSelect } from './role-select';
import { ShareLinkList } from './share-link-list';

/** Expiry choices; the API accepts 1–90 days (`SHARE_LINK_LIMITS`, @patchline/shared). */
const EXPIRY_DAYS = [1, 7, 30, 90] as const;
/** How many people may use a link; the API's default is 25, its maximum 100 (`SHARE_LINK_LIMITS`). */
const USE_LIMITS = [1, 5, 25, 100] as const;

const peopleCount = (n: number) => (n === 1 ? '1 person' : `${n} people`);
const dayCount = (n: number) => (n === 1 ? '1 day' : `${n} days`);

/** A labelled select of a few numbers (its test id is its id). */
function NumberChoice({
  id,
  label,
  value,
  choices,
  describe,
  onChange,
}: {
  id: string;
  label: string;
  value: number;
  choices: readonly number[];
  describe(value: number): string;
  onChange(value: number): void;
}) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      <Select value={String(value)} onValueChange={(chosen) => onChange(Number(chosen))}>
        <SelectTrigger id={id} className="w-32" data-testid={id}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {choices.map((choice) => (
            <SelectItem key={choice} value={String(choice)}>
              {describe(choice)}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}

/** The share URL on the site the user is looking at (the API's `url` may name another host). */
function shareUrl(token: string): string {
  return new URL(`/share/${token}`, window.location.origin).toString();
}

/**
 * Create a link with a role and an expiry, copy it (the token is shown this once: only its hash
 * is stored), and see or revoke the release's links.
 */
export function ShareLinksSection({
  releaseId,
  roles,
  links,
  onLinksChange,
}: {
  releaseId: string;
  roles: ShareableRole[];
  links: ShareLinkView[];
  onLinksChange(update: (links: ShareLinkView[]) => ShareLinkView[]): void;
}) {
  const creation = useApiMutation(
    (api, body: CreateLinkBody) => api.shareLinks.create(releaseId, body),
    () => staleAfter.shareLinksChanged(releaseId),
  );
  const [role, setRole] = useState<ShareableRole>(
    roles.includes('viewer') ? 'viewer' : (roles[0] ?? 'viewer'),
  );
  const [days, setDays] = useState<number>(7);
  const [maxUses, setMaxUses] = useState<number>(25);
  const [created, setCreated] = useState<{
    url: string;
    role: ShareableRole;
    days: number;
    maxUses: number;
  } | null>(null);
  const [isCopied, setIsCopied] = useState(false);
  const error = creation.error ? errorMessage(creation.error) : null;
  const { isPending } = creation;

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    creation.mutate(
      { role, expiresInDays: days, maxUses },
      {
        onSuccess: (link) => {
          const { token, url: _url, ...view } = link;
          setCreated({ url: shareUrl(token), role, days, maxUses: link.maxUses });
          setIsCopied(false);
          onLinksChange((list) => [view, ...list]);
        },
      },
    );
  }

  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setIsCopied(true);
      toast.success('Link copied');
    } catch {
      // Clipboard refused (permissions, insecure context): leave the text selected to copy by hand.
      const input = document.getElementById('share-link-url') as HTMLInputElement | null;
      input?.select();
      toast.info('Press Ctrl+C (or ⌘C) to copy the selected link');
    }
  }

  return (
    <div className="grid gap-4">
      <form className="grid gap-3 sm:grid-cols-[auto_auto_auto_1fr] sm:items-end" onSubmit={onCreate}>
        <div className="grid gap-2">
          <Label htmlFor="share-link-role">Anyone with the link can</Label>
          <RoleSelect<ShareableRole>
            id="share-link-role"
            value={role}
            roles={roles}
            onChange={setRole}
            testId="share-link-role"
          />
        </div>
        <NumberChoice
          id="share-link-expiry"
          label="Expires after"
          value={days}
          choices={EXPIRY_DAYS}
          describe={dayCount}
          onChange={setDays}
        />
        <NumberChoice
          id="share-link-uses"
          label="Usable by"
          value={maxUses}
          choices={USE_LIMITS}
          describe={peopleCount}
          onChange={setMaxUses}
        />
        <Button
          type="submit"
          disabled={isPending}
          className="sm:justify-self-start"
          data-testid="share-link-create"
        >
          <LinkIcon aria-hidden />
          {isPending ? 'Creating…' : 'Create link'}
        </Button>
      </form>
      <FormMessage message={error} testId="share-links-error" />

      {created ? (
        <div className="bg-muted/50 grid gap-2 rounded-lg border p-3" data-testid="share-link-created">
          <Label htmlFor="share-link-url">
            New {created.role} link for up to {peopleCount(created.maxUses)}, valid for{' '}
            {dayCount(created.days)}. Copy it now: it is shown only once.
          </Label>
          <div className="flex gap-2">
            <Input
              id="share-link-url"
              readOnly
              value={created.url}
              onFocus={(event) => event.currentTarget.select()}
              className="font-mono text-xs"
              data-testid="share-link-url"
            />
            <Button
              type="button"
              variant="outline"
              onClick={() => copy(created.url)}
              data-testid="share-link-copy"
            >
              {isCopied ? <CheckIcon aria-hidden /> : <CopyIcon aria-hidden />}
              {isCopied ? 'Copied' : 'Copy'}
            </Button>
          </div>
        </div>
      ) : null}

      <ShareLinkList releaseId={releaseId} links={links} onLinksChange={onLinksChange} />
    </div>
  );
}
