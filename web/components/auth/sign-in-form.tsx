'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { EmailField } from '@/components/auth/email-field';
import { FormMessage } from '@/components/form-message';
import { useRuntimeConfig } from '@/components/runtime-config-provider';
import { Button } from '@/components/ui/button';
import { useSession } from '@/hooks/use-session';
import { AuthError } from '@/lib/auth-errors';
import { withQuery } from '@/lib/safe-next';
import { AuthCard } from './auth-card';
import { PasswordField } from './password-field';
import { TotpCodeField } from './totp-code-field';
import { useRedirectWhenSignedIn } from './use-redirect-when-signed-in';

/**
 * Email and password, then the authenticator code for an account with one; on success goes to
 * `next` (the page that sent the user here).
 */
export function SignInForm({
  next,
  initialEmail,
  notice,
}: {
  next: string;
  initialEmail?: string;
  notice?: string;
}) {
  const { signIn, answerTotp } = useSession();
  const { cognitoEndpoint } = useRuntimeConfig();
  const router = useRouter();
  const [email, setEmail] = useState(initialEmail ?? '');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);
  useRedirectWhenSignedIn(next);

  async function onSubmitTotp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setIsPending(true);
    try {
      await answerTotp(totpCode ?? '');
      router.replace(next);
    } catch (caught) {
      // An expired challenge cannot take another code: back to the password.
      if (caught instanceof AuthError && caught.code === 'NotAuthorizedException') {
        setTotpCode(null);
        setPassword('');
      }
      setError(caught instanceof Error ? caught.message : 'Could not sign in.');
      setIsPending(false);
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setIsPending(true);
    try {
      if ((await signIn(email, password)) === 'totp-required') {
        setTotpCode('');
        setIsPending(false);
        return;
      }
      router.replace(next);
    } catch (caught) {
      if (caught instanceof AuthError && caught.code === 'UserNotConfirmedException') {
        router.push(withQuery('/confirm', { email, next }));
        return;
      }
      setError(caught instanceof Error ? caught.message : 'Could not sign in.');
      setIsPending(false);
    }
  }

  return (
    <AuthCard
      title="Sign in"
      description="Welcome back. Sign in to open your release sheets."
      footer={
        <>
          <Link
            className="text-primary underline-offset-4 hover:underline"
            href={withQuery('/forgot-password', { email })}
          >
            Forgot your password?
          </Link>
          <span>
            New to Patchline?{' '}
            <Link
              className="text-primary underline-offset-4 hover:underline"
              href={withQuery('/sign-up', { next })}
            >
              Create an account
            </Link>
          </span>
        </>
      }
    >
      {totpCode !== null ? (
        <form method="post" className="grid gap-4" onSubmit={onSubmitTotp} data-testid="sign-in-totp-form">
          <p className="text-muted-foreground text-sm">
            Enter the 6-digit code your authenticator app shows for Patchline ({email}).
          </p>
          <TotpCodeField id="totp-code" value={totpCode} onChange={setTotpCode} isInvalid={Boolean(error)} />
          <FormMessage message={error} testId="sign-in-error" />
          <Button type="submit" disabled={isPending}>
            {isPending ? 'Checking…' : 'Verify and sign in'}
          </Button>
        </form>
      ) : (
        /* POST, so a submit before the page has hydrated never puts the password in a URL. */
        <form method="post" className="grid gap-4" onSubmit={onSubmit} data-testid="sign-in-form">
          <FormMessage message={notice} tone="success" />
          <EmailField name="email" value={email} onChange={setEmail} />
          <PasswordField
            id="password"
            name="password"
            label="Password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            isInvalid={Boolean(error)}
          />
          <FormMessage message={error} testId="sign-in-error" />
          <Button type="submit" disabled={isPending}>
            {isPending ? 'Signing in…' : 'Sign in'}
          </Button>
          {cognitoEndpoint ? (
            <p className="text-muted-foreground text-xs">
              Local stack: the demo accounts (<code>editor@demo.patchline.test</code> and others) are listed
              in the <code>npm start</code> output.
            </p>
          ) : null}
        </form>
      )}
    </AuthCard>
  );
}
