'use client';

import type { ReleaseRole } from '@patchline/permissions';
import { ROLE_LABELS } from '@/components/releases/release-badges';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';

/** A role picker; the current value stays listed even when it is not one the user may give. */
export function RoleSelect<R extends ReleaseRole>({
  id,
  value,
  roles,
  onChange,
  disabled,
  label,
  testId,
  size = 'default',
}: {
  id?: string;
  value: R;
  roles: readonly R[];
  onChange(role: R): void;
  disabled?: boolean;
  /** Accessible name when there is no visible `<Label htmlFor={id}>`. */
  label?: string;
  testId?: string;
  size?: 'sm' | 'default';
}) {
  const options = roles.includes(value) ? roles : [value, ...roles];
  return (
    <Select value={value} onValueChange={(role) => onChange(role as R)} disabled={disabled}>
      <SelectTrigger id={id} size={size} aria-label={label} className="w-32" data-testid={testId}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {options.map((role) => (
          <SelectItem key={role} value={role} disabled={!roles.includes(role)}>
            {ROLE_LABELS[role]}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
