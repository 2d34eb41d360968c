'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { EmailField } from '@/components/auth/email-field';
import { FormMessage } from '@/components/form-message';
import { useSessionActions } from '@/components/session-provider';
import { Button } from '@/components/ui/button';
import { withQuery } from '@/lib/safe-next';
import { AuthCard } from './auth-card';

/** Asks Cognito to email a reset code, then moves on to /reset-password to use it. */
export function ForgotPasswordForm({ initialEmail }: { initialEmail?: string }) {
  const { accounts } = useSessionActions();
  const router = useRouter();
  const [email, setEmail] = useState(initialEmail ?? '');
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setIsPending(true);
    try {
      const { destination } = await accounts.forgotPassword(email);
      router.push(withQuery('/reset-password', { email, sentTo: destination }));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not send a reset code.');
      setIsPending(false);
    }
  }

  return (
    <AuthCard
      title="Reset your password"
      description="We will email you a code to choose a new password."
      footer={
        <Link
          className="text-primary underline-offset-4 hover:underline"
          href={withQuery('/sign-in', { email })}
        >
          Back to sign in
        </Link>
      }
    >
      <form className="grid gap-4" onSubmit={onSubmit} data-testid="forgot-password-form">
        <EmailField value={email} onChange={setEmail} />
        <FormMessage message={error} />
        <Button type="submit" disabled={isPending}>
          {isPending ? 'Sending…' : 'Send reset code'}
        </Button>
      </form>
    </AuthCard>
  );
}
