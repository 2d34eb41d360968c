'use client';

import { FormField } from '@/components/form-field';
import { Input } from '@/components/ui/input';

/**
 * The email input every account form starts with. `autoComplete` is `username` where the email
 * signs in (password managers pair it with the password) and `email` on sign-up.
 */
export function EmailField({
  value,
  onChange,
  autoComplete = 'username',
  name,
}: {
  value: string;
  onChange: (email: string) => void;
  autoComplete?: 'username' | 'email';
  name?: string;
}) {
  return (
    <FormField id="email" label="Email">
      <Input
        id="email"
        {...(name ? { name } : {})}
        type="email"
        autoComplete={autoComplete}
        required
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </FormField>
  );
}
