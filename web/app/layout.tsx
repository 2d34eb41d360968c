import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { ApiQueryProvider } from '@/components/api-query-provider';
import { ConfigurationProblem } from '@/components/configuration-problem';
import { RuntimeConfigProvider } from '@/components/runtime-config-provider';
import { SessionProvider } from '@/components/session-provider';
import { Toaster } from '@/components/toaster';
import { TooltipProvider } from '@/components/ui/tooltip';
import { readRuntimeConfig } from '@/lib/read-runtime-config';
import { missingRuntimeConfig } from '@/lib/runtime-config';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Patchline', template: '%s · Patchline' },
  description: 'Release sheets your label, managers and artists edit together, live.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/**
 * Reads the stack's URLs and Cognito ids per request (see `lib/runtime-config.ts`), so the same
 * build runs against the local stack and AWS, then provides the session to every page.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const config = await readRuntimeConfig();
  const missing = missingRuntimeConfig(config);
  return (
    <html lang="en">
      <body className="min-h-dvh">
        {missing.length > 0 ? (
          <ConfigurationProblem missing={missing} />
        ) : (
          <RuntimeConfigProvider config={config}>
            <SessionProvider>
              <ApiQueryProvider>
                <TooltipProvider>{children}</TooltipProvider>
              </ApiQueryProvider>
            </SessionProvider>
          </RuntimeConfigProvider>
        )}
        <Toaster />
      </body>
    </html>
  );
}
