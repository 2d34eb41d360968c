'use client';

import { describedBy, FormField } from '@/components/form-field';
import { Input } from '@/components/ui/input';

/** The 6-digit code an authenticator app shows, in its labelled field (sign-in and set-up). */
export function TotpCodeField({
  id,
  value,
  onChange,
  hint,
  isInvalid = false,
}: {
  id: string;
  value: string;
  onChange: (code: string) => void;
  hint?: string;
  isInvalid?: boolean;
}) {
  return (
    <FormField id={id} label="Authenticator code" hint={hint}>
      <Input
        id={id}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        autoFocus
        value={value}
        // Apps show the code as "123 456": keep the digits only.
        onChange={(event) => onChange(event.target.value.replace(/\D/g, '').slice(0, 6))}
        aria-invalid={isInvalid ? true : undefined}
        aria-describedby={describedBy(id, { hint })}
      />
    </FormField>
  );
}
