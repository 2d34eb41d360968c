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
import { ConfirmCodeForm } from './confirm-code-form';
import { PasswordField } from './password-field';
import { useRedirectWhenSignedIn } from './use-redirect-when-signed-in';

/** Cognito's default password policy, which the AWS pool keeps (cognito-local checks none). */
const PASSWORD_HINT = 'At least 8 characters, with upper and lower case letters, a number and a symbol.';

/** Name, email and password, then the emailed code, then straight on to `next`, signed in. */
export function SignUpForm({ next }: { next: string }) {
  const { accounts, signIn } = useSessionActions();
  const router = useRouter();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);
  const [step, setStep] = useState<'details' | 'confirm'>('details');
  useRedirectWhenSignedIn(next);

  async function finish() {
    await signIn(email, password);
    router.replace(next);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setIsPending(true);
    try {
      const { isConfirmed } = await accounts.signUp({ email, password, name });
      if (isConfirmed) await finish();
      else setStep('confirm');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not create the account.');
    } finally {
      setIsPending(false);
    }
  }

  if (step === 'confirm') {
    return (
      <AuthCard
        title="Confirm your email"
        description={`Enter the confirmation code for ${email} to finish.`}
      >
        <ConfirmCodeForm email={email} isEmailEditable={false} onConfirmed={finish} />
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Create an account"
      description="Edit release sheets with your label and team."
      footer={
        <span>
          Already have an account?{' '}
          <Link
            className="text-primary underline-offset-4 hover:underline"
            href={withQuery('/sign-in', { next })}
          >
            Sign in
          </Link>
        </span>
      }
    >
      <form method="post" className="grid gap-4" onSubmit={onSubmit} data-testid="sign-up-form">
        <FormField id="name" label="Your name">
          <Input
            id="name"
            autoComplete="name"
            required
            maxLength={120}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </FormField>
        <EmailField autoComplete="email" value={email} onChange={setEmail} />
        <PasswordField
          id="password"
          label="Password"
          hint={PASSWORD_HINT}
          autoComplete="new-password"
          minLength={8}
          value={password}
          onChange={setPassword}
        />
        <FormMessage message={error} testId="sign-up-error" />
        <Button type="submit" disabled={isPending}>
          {isPending ? 'Creating account…' : 'Create account'}
        </Button>
      </form>
    </AuthCard>
  );
}
