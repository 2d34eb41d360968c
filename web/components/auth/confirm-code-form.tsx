'use client';

import { type FormEvent, useState } from 'react';
import { describedBy, FormField } from '@/components/form-field';
import { FormMessage } from '@/components/form-message';
import { useRuntimeConfig } from '@/components/runtime-config-provider';
import { useSessionActions } from '@/components/session-provider';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { LocalCodeHint } from './local-code-hint';

/**
 * The emailed confirmation code of a new account. Used inline at the end of sign-up (the password
 * is still in memory, so the caller signs in right away) and on /confirm for later visits.
 */
export function ConfirmCodeForm({
  email: initialEmail,
  isEmailEditable,
  onConfirmed,
}: {
  email: string;
  isEmailEditable: boolean;
  onConfirmed(email: string): Promise<void> | void;
}) {
  const { accounts } = useSessionActions();
  const { cognitoEndpoint } = useRuntimeConfig();
  const [email, setEmail] = useState(initialEmail);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setNotice(null);
    setIsPending(true);
    try {
      await accounts.confirmSignUp(email, code);
      await onConfirmed(email);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not confirm the code.');
      setIsPending(false);
    }
  }

  async function resend() {
    setError(null);
    setNotice(null);
    try {
      await accounts.resendConfirmationCode(email);
      setNotice('A new code is on its way.');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not send a new code.');
    }
  }

  // Locally no email goes out: `LocalCodeHint` says where the code is instead.
  const hint = cognitoEndpoint ? undefined : 'Six digits, from the email we sent you.';
  return (
    <form className="grid gap-4" onSubmit={onSubmit} data-testid="confirm-form">
      <FormField id="confirm-email" label="Email">
        <Input
          id="confirm-email"
          type="email"
          autoComplete="username"
          required
          readOnly={!isEmailEditable}
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      </FormField>
      <FormField id="confirm-code" label="Confirmation code" hint={hint}>
        <Input
          id="confirm-code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          required
          value={code}
          onChange={(event) => setCode(event.target.value)}
          aria-describedby={describedBy('confirm-code', { hint })}
          aria-invalid={error ? true : undefined}
        />
      </FormField>
      <LocalCodeHint />
      <FormMessage message={error} testId="confirm-error" />
      <FormMessage message={notice} tone="success" />
      <Button type="submit" disabled={isPending}>
        {isPending ? 'Confirming…' : 'Confirm email'}
      </Button>
      <Button
        type="button"
        variant="link"
        className="justify-self-start px-0"
        onClick={resend}
        disabled={!email}
      >
        Send a new code
      </Button>
    </form>
  );
}
