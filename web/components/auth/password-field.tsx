'use client';

import { describedBy, FormField } from '@/components/form-field';
import { Input } from '@/components/ui/input';

/**
 * A required password input in its labelled field. `error` is shown under it and marks it
 * invalid; `isInvalid` marks it invalid when the error is shown elsewhere (sign-in's message).
 */
export function PasswordField({
  id,
  label,
  value,
  onChange,
  autoComplete,
  name,
  minLength,
  hint,
  error,
  isInvalid = false,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (password: string) => void;
  autoComplete: 'current-password' | 'new-password';
  name?: string;
  minLength?: number;
  hint?: string;
  error?: string | null;
  isInvalid?: boolean;
}) {
  return (
    <FormField id={id} label={label} hint={hint} error={error}>
      <Input
        id={id}
        {...(name ? { name } : {})}
        type="password"
        autoComplete={autoComplete}
        required
        minLength={minLength}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={isInvalid || error ? true : undefined}
        aria-describedby={describedBy(id, { hint, error })}
      />
    </FormField>
  );
}
