import type { ReactNode } from 'react';
import { CenteredPage } from '@/components/centered-page';

/** Share links open outside the workspace: the visitor may not have an account yet. */
export default function ShareLayout({ children }: { children: ReactNode }) {
  return <CenteredPage>{children}</CenteredPage>;
}
