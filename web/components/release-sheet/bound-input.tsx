'use client';

import { type ComponentProps, useLayoutEffect, useRef } from 'react';
import { Input } from '@/components/ui/input';

export interface BoundInputProps
  extends Omit<ComponentProps<'input'>, 'value' | 'defaultValue' | 'onChange' | 'onBlur'> {
  /** The document's value, as shown in the input. */
  value: string;
  /** Written on every keystroke (last-writer-wins fields collaborators watch live). */
  onLiveChange?: (text: string) => void;
  /** Written on blur and Enter, after `normalize` (durations, ISRCs, lists). */
  onCommit?: (text: string) => void;
  /** Turns typed text into its canonical display form on commit (e.g. ` us-rc1… ` → `USRC1…`). */
  normalize?: (text: string) => string;
}

/**
 * A text input bound to one document field. It is uncontrolled on purpose: a remote change
 * replaces the text directly and puts the caret back where it was (clamped to the new length),
 * so a collaborator's edit never throws the local caret to the end. A field that commits on blur
 * keeps what the user is typing while focused; the remote value shows once they leave.
 */
export function BoundInput({
  value,
  onLiveChange,
  onCommit,
  normalize,
  onKeyDown,
  ...props
}: BoundInputProps) {
  const ref = useRef<HTMLInputElement>(null);
  const isComposing = useRef(false);

  useLayoutEffect(() => {
    const input = ref.current;
    if (!input || input.value === value) return;
    const isFocused = document.activeElement === input;
    if (isFocused && (!onLiveChange || isComposing.current)) return;
    if (!isFocused) {
      input.value = value;
      return;
    }
    const start = input.selectionStart;
    const end = input.selectionEnd;
    input.value = value;
    if (start !== null && end !== null && input.type === 'text') {
      input.setSelectionRange(Math.min(start, value.length), Math.min(end, value.length));
    }
  }, [value, onLiveChange]);

  const commit = (input: HTMLInputElement) => {
    const text = normalize ? normalize(input.value) : input.value;
    if (text !== input.value) input.value = text;
    onCommit?.(text);
  };

  return (
    <Input
      ref={ref}
      defaultValue={value}
      onChange={(event) => {
        if (!isComposing.current) onLiveChange?.(event.currentTarget.value);
      }}
      onCompositionStart={() => {
        isComposing.current = true;
      }}
      onCompositionEnd={(event) => {
        isComposing.current = false;
        onLiveChange?.(event.currentTarget.value);
      }}
      onBlur={(event) => commit(event.currentTarget)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && onCommit) commit(event.currentTarget);
        onKeyDown?.(event);
      }}
      {...props}
    />
  );
}
