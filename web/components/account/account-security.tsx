'use client';

import { KeyRoundIcon, ShieldCheckIcon } from 'lucide-react';
import { type FormEvent, useEffect, useState } from 'react';
import { toast } from 'sonner';
import { TotpCodeField } from '@/components/auth/totp-code-field';
import { FormMessage } from '@/components/form-message';
import { useSessionActions } from '@/components/session-provider';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { useSession } from '@/hooks/use-session';
import { errorMessage } from '@/lib/api-client';
import type { TotpSetup } from '@/lib/session';
import { TotpQrCode } from './totp-qr-code';

/** `/account`: who is signed in, and two-step sign-in with an authenticator app (TOTP). */
export function AccountSecurity() {
  const { user } = useSession();
  return (
    <div className="mx-auto grid w-full max-w-2xl gap-6 px-4 py-8" data-testid="account-page">
      <h1 className="text-2xl font-semibold">Account and security</h1>
      <Card>
        <CardHeader>
          <CardTitle>{user?.name}</CardTitle>
          <CardDescription>{user?.email}</CardDescription>
        </CardHeader>
      </Card>
      <TwoStepSignIn />
    </div>
  );
}

type TotpState =
  | { step: 'loading' }
  | { step: 'off' }
  | { step: 'setting-up'; setup: TotpSetup }
  | { step: 'on' }
  | { step: 'unknown'; error: string };

function TwoStepSignIn() {
  const { totp } = useSessionActions();
  const [state, setState] = useState<TotpState>({ step: 'loading' });
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  useEffect(() => {
    let isCurrent = true;
    totp.isEnabled().then(
      (isEnabled) => isCurrent && setState({ step: isEnabled ? 'on' : 'off' }),
      (caught: unknown) => isCurrent && setState({ step: 'unknown', error: errorMessage(caught) }),
    );
    return () => {
      isCurrent = false;
    };
  }, [totp]);

  async function run(action: () => Promise<void>) {
    setError(null);
    setIsPending(true);
    try {
      await action();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setIsPending(false);
    }
  }

  const startSetup = () =>
    run(async () => {
      setCode('');
      setState({ step: 'setting-up', setup: await totp.startSetup() });
    });

  const finishSetup = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    return run(async () => {
      await totp.finishSetup(code);
      setState({ step: 'on' });
      toast.success('Two-step sign-in is on. Patchline will ask for a code when you sign in.');
    });
  };

  const disable = () =>
    run(async () => {
      await totp.disable();
      setState({ step: 'off' });
      toast.success('Two-step sign-in is off.');
    });

  return (
    <Card data-testid="totp-card">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <ShieldCheckIcon aria-hidden className="size-5" />
          Two-step sign-in
          {state.step === 'on' ? (
            <Badge data-testid="totp-status">On</Badge>
          ) : state.step === 'off' || state.step === 'setting-up' ? (
            <Badge variant="secondary" data-testid="totp-status">
              Off
            </Badge>
          ) : null}
        </CardTitle>
        <CardDescription>
          With an authenticator app (Google Authenticator, 1Password, Authy…), signing in takes your password
          and a 6-digit code from the app, so a stolen password alone is not enough.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {state.step === 'loading' ? <Skeleton className="h-9 w-56" /> : null}
        {state.step === 'unknown' ? <FormMessage message={state.error} /> : null}
        {state.step === 'off' ? (
          <Button className="justify-self-start" onClick={startSetup} disabled={isPending}>
            <KeyRoundIcon aria-hidden />
            Set up an authenticator app
          </Button>
        ) : null}
        {state.step === 'setting-up' ? (
          <form method="post" className="grid gap-4" onSubmit={finishSetup} data-testid="totp-setup-form">
            <ol className="grid list-decimal gap-3 pl-5 text-sm">
              <li>
                Scan this code with the app, or{' '}
                <a className="text-primary underline-offset-4 hover:underline" href={state.setup.uri}>
                  open it in the app
                </a>
                , or type the key below.
                <div className="mt-2">
                  <TotpQrCode uri={state.setup.uri} />
                </div>
                <p className="mt-2">
                  Key:{' '}
                  <code className="bg-muted rounded px-1.5 py-0.5 break-all" data-testid="totp-secret">
                    {state.setup.secret}
                  </code>
                </p>
              </li>
              <li>Enter the 6-digit code the app now shows for Patchline.</li>
            </ol>
            <TotpCodeField id="totp-setup-code" value={code} onChange={setCode} isInvalid={Boolean(error)} />
            <FormMessage message={error} testId="totp-error" />
            <div className="flex gap-2">
              <Button type="submit" disabled={isPending}>
                {isPending ? 'Checking…' : 'Turn on'}
              </Button>
              <Button type="button" variant="ghost" onClick={() => setState({ step: 'off' })}>
                Cancel
              </Button>
            </div>
          </form>
        ) : null}
        {state.step === 'on' ? (
          <Button
            variant="outline"
            className="justify-self-start"
            onClick={disable}
            disabled={isPending}
            data-testid="totp-disable"
          >
            Turn off two-step sign-in
          </Button>
        ) : null}
        {state.step !== 'setting-up' ? <FormMessage message={error} testId="totp-error" /> : null}
      </CardContent>
    </Card>
  );
}
