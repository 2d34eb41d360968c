'use client';

import type { CSSProperties } from 'react';
import { Toaster as Sonner, toast } from 'sonner';

/**
 * Notifications for things that happen away from where the user is looking: a rejected edit, a
 * role change, a copied link. Mounted once in the root layout; call `toast(...)` anywhere on the
 * client (`toast.success`, `toast.error`, `toast.info`, `toast.warning` also exist).
 */
export function Toaster() {
  return (
    <Sonner
      position="bottom-right"
      closeButton
      richColors
      toastOptions={{ classNames: { toast: 'font-sans' } }}
      style={
        {
          '--normal-bg': 'var(--popover)',
          '--normal-text': 'var(--popover-foreground)',
          '--normal-border': 'var(--border)',
        } as CSSProperties
      }
    />
  );
}

export { toast };
