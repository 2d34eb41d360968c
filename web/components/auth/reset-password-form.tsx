'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { EmailField } from '@/components/auth/email-field';
import { FormField } from '@/components/form-field';
import { FormMessage } from '@/components/form-message';
import { useSessionActions } from '@/components/session-provider';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { withQuery } from '@/lib/safe-next';
import { AuthCard } from './auth-card';
import { LocalCodeHint } from './local-code-hint';
import { PasswordField } from './password-field';

/** The emailed code plus a new password; then back to sign-in with the email filled in. */
export function ResetPasswordForm({ initialEmail, sentTo }: { initialEmail?: string; sentTo?: string }) {
  const { accounts } = useSessionActions();
  const router = useRouter();
  const [email, setEmail] = useState(initialEmail ?? '');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);
  const mismatch =
    repeated.length > 0 && repeated !== password ? 'The two passwords are not the same.' : null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mismatch) return;
    setError(null);
    setIsPending(true);
    try {
      await accounts.resetPassword(email, code, password);
      router.replace(withQuery('/sign-in', { email, notice: 'reset' }));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not change the password.');
      setIsPending(false);
    }
  }

  return (
    <AuthCard
      title="Choose a new password"
      description={sentTo ? `We sent a code to ${sentTo}.` : 'Enter the code we emailed you.'}
      footer={
        <Link
          className="text-primary underline-offset-4 hover:underline"
          href={withQuery('/forgot-password', { email })}
        >
          Send another code
        </Link>
      }
    >
      <form method="post" className="grid gap-4" onSubmit={onSubmit} data-testid="reset-password-form">
        <EmailField value={email} onChange={setEmail} />
        <FormField id="code" label="Reset code">
          <Input
            id="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
        </FormField>
        <LocalCodeHint />
        <PasswordField
          id="new-password"
          label="New password"
          autoComplete="new-password"
          minLength={8}
          value={password}
          onChange={setPassword}
        />
        <PasswordField
          id="repeat-password"
          label="Repeat the new password"
          autoComplete="new-password"
          value={repeated}
          onChange={setRepeated}
          error={mismatch}
        />
        <FormMessage message={error} />
        <Button type="submit" disabled={isPending || !!mismatch}>
          {isPending ? 'Saving…' : 'Change password'}
        </Button>
      </form>
    </AuthCard>
  );
}
