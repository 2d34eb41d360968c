'use client';

import { useRuntimeConfig } from '@/components/runtime-config-provider';

/**
 * Where the emailed code is on the local stack. cognito-local sends no email: it keeps the code
 * on the user record in its JSON database (its console delivery is logged below the level the
 * local stack prints), so that file is the only place to read it.
 */
export function LocalCodeHint() {
  const { cognitoEndpoint, userPoolId } = useRuntimeConfig();
  if (!cognitoEndpoint) return null;
  return (
    <p className="bg-muted text-muted-foreground rounded-md px-3 py-2 text-xs" data-testid="local-code-hint">
      Running on the local stack, so no email is sent. cognito-local keeps the code on your user in{' '}
      <code className="break-all">.data/cognito/db/{userPoolId}.json</code>: find your email there and use the{' '}
      <code>ConfirmationCode</code> beside it.
    </p>
  );
}
