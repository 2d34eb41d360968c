'use client';

import type { ComponentProps } from 'react';
import { cn } from '@/lib/utils';
import { BoundInput } from './bound-input';
import { FieldShell } from './field-shell';

interface CommonFieldProps {
  path: string;
  label: string;
  isLabelHidden?: boolean;
  className?: string;
}

export interface TextFieldProps extends CommonFieldProps {
  value: string;
  /** `live`: every keystroke is written (collaborators see typing); `commit`: on blur / Enter. */
  mode?: 'live' | 'commit';
  onWrite: (text: string) => void;
  /** Canonical form written on blur (both modes). */
  normalize?: (text: string) => string;
  inputProps?: Omit<ComponentProps<'input'>, 'value' | 'defaultValue' | 'onChange' | 'id'>;
}

/** A labelled text input bound to one field of the document. */
export function TextField({
  path,
  label,
  isLabelHidden,
  className,
  value,
  mode = 'live',
  onWrite,
  normalize,
  inputProps,
}: TextFieldProps) {
  return (
    <FieldShell path={path} label={label} isLabelHidden={isLabelHidden} className={className}>
      {({ disabled: _disabled, ...control }) => (
        <BoundInput
          type="text"
          autoComplete="off"
          spellCheck={false}
          {...inputProps}
          {...control}
          value={value}
          onLiveChange={mode === 'live' ? onWrite : undefined}
          onCommit={(text) => {
            if (normalize || mode === 'commit') onWrite(text);
          }}
          normalize={normalize}
          className={cn(control.readOnly && 'bg-muted/40 text-muted-foreground', inputProps?.className)}
        />
      )}
    </FieldShell>
  );
}

export interface SelectFieldProps extends CommonFieldProps {
  value: string | null;
  options: ReadonlyArray<{ value: string; label: string }>;
  /** Label of the empty choice; omit to require a value. */
  emptyLabel?: string;
  onWrite: (value: string | null) => void;
}

const selectClass =
  'border-input h-9 w-full min-w-0 rounded-md border bg-transparent px-3 py-1 text-base shadow-xs outline-none md:text-sm focus-visible:border-ring focus-visible:ring-ring/50 focus-visible:ring-[3px] disabled:cursor-not-allowed disabled:opacity-60 aria-invalid:border-destructive';

/**
 * A native select: keyboard and screen-reader behaviour come from the platform, and it fits
 * a 390 px screen without a custom popover.
 */
export function SelectField({
  path,
  label,
  isLabelHidden,
  className,
  value,
  options,
  emptyLabel,
  onWrite,
}: SelectFieldProps) {
  return (
    <FieldShell path={path} label={label} isLabelHidden={isLabelHidden} className={className}>
      {({ readOnly: _readOnly, ...control }) => (
        <select
          {...control}
          className={selectClass}
          value={value ?? ''}
          onChange={(event) => onWrite(event.currentTarget.value || null)}
        >
          {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

export interface CheckboxFieldProps extends CommonFieldProps {
  checked: boolean;
  onWrite: (checked: boolean) => void;
}

export function CheckboxField({ path, label, className, checked, onWrite }: CheckboxFieldProps) {
  return (
    <FieldShell path={path} label={label} className={className}>
      {({ readOnly: _readOnly, ...control }) => (
        <div className="flex h-9 items-center">
          <input
            type="checkbox"
            {...control}
            className="size-4 accent-primary disabled:cursor-not-allowed"
            checked={checked}
            onChange={(event) => onWrite(event.currentTarget.checked)}
          />
        </div>
      )}
    </FieldShell>
  );
}
