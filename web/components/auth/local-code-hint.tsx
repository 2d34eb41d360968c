'use client';

import { useRuntimeConfig } from '@/components/runtime-config-provider';

/**
 * Where the emailed code is on the local stack: cognito-local sends no email, and the stack
 * prints each code in the `npm start` output instead.
 */
export function LocalCodeHint() {
  const { cognitoEndpoint } = useRuntimeConfig();
  if (!cognitoEndpoint) return null;
  return (
    <p className="bg-muted text-muted-foreground rounded-md px-3 py-2 text-xs" data-testid="local-code-hint">
      Running on the local stack, so no email is sent: the code is printed in the <code>npm start</code>{' '}
      output, on a line starting <code>[cognito-local] email to</code> your address.
    </p>
  );
}
