import type { ReactNode } from 'react';
import { Brand } from '@/components/brand';

/** One narrow, centred column (account pages, share links) that fits a 390 px phone. */
export function CenteredPage({ children }: { children: ReactNode }) {
  return (
    <div className="bg-muted/40 flex min-h-dvh flex-col items-center px-4 py-10 sm:justify-center">
      <Brand className="mb-8 text-lg" />
      <main id="main" className="w-full max-w-sm">
        {children}
      </main>
    </div>
  );
}
