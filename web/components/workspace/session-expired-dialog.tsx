'use client';

import { type FormEvent, useEffect, useState } from 'react';
import { TotpCodeField } from '@/components/auth/totp-code-field';
import { FormField } from '@/components/form-field';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { useSession } from '@/hooks/use-session';
import { AuthError } from '@/lib/auth-errors';

/**
 * Shown when the refresh token was refused (`expired`): sign in again right here, so the page,
 * its open connections and any unsynced edits stay as they are. Closing it leaves a banner.
 */
export function SessionExpiredDialog() {
  const { status, user, signIn, answerTotp } = useSession();
  const [isDismissed, setIsDismissed] = useState(false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  /** Set (to what is typed) once the account asked for its authenticator code. */
  const [totpCode, setTotpCode] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);
  const isExpired = status === 'expired';

  useEffect(() => {
    if (isExpired) setIsDismissed(false);
  }, [isExpired]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setIsPending(true);
    try {
      if (totpCode !== null) {
        await answerTotp(totpCode);
        setTotpCode(null);
      } else if ((await signIn(user?.email ?? email, password)) === 'totp-required') {
        setTotpCode('');
      }
      setPassword('');
    } catch (caught) {
      // An expired challenge cannot take another code: back to the password.
      if (caught instanceof AuthError && caught.code === 'NotAuthorizedException') setTotpCode(null);
      setError(caught instanceof Error ? caught.message : 'Could not sign in.');
    } finally {
      setIsPending(false);
    }
  }

  if (!isExpired) return null;
  return (
    <>
      <div
        role="status"
        className="bg-warning/15 text-foreground fixed inset-x-0 bottom-0 z-40 flex flex-wrap items-center justify-center gap-3 border-t px-4 py-2 text-sm"
      >
        Your session has expired. Changes on this page are kept.
        <Button size="sm" onClick={() => setIsDismissed(false)}>
          Sign in again
        </Button>
      </div>
      <Dialog open={!isDismissed} onOpenChange={(open) => setIsDismissed(!open)}>
        <DialogContent data-testid="session-expired-dialog">
          <DialogHeader>
            <DialogTitle>Sign in again</DialogTitle>
            <DialogDescription>
              Your session has expired. Enter your password to carry on where you were; nothing on this page
              is lost.
            </DialogDescription>
          </DialogHeader>
          <form method="post" className="grid gap-4" onSubmit={onSubmit}>
            <FormField id="reauth-email" label="Email">
              <Input
                id="reauth-email"
                type="email"
                autoComplete="username"
                required
                readOnly={!!user}
                value={user?.email ?? email}
                onChange={(event) => setEmail(event.target.value)}
              />
            </FormField>
            {totpCode !== null ? (
              <TotpCodeField id="reauth-totp" value={totpCode} onChange={setTotpCode} />
            ) : (
              <FormField id="reauth-password" label="Password">
                <Input
                  id="reauth-password"
                  type="password"
                  autoComplete="current-password"
                  required
                  autoFocus
                  value={password}
                  onChange={(event) => setPassword(event.target.value)}
                />
              </FormField>
            )}
            <FormMessage message={error} />
            <DialogFooter>
              <Button type="submit" disabled={isPending}>
                {isPending ? 'Signing in…' : 'Sign in'}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}
