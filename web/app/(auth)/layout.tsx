import type { ReactNode } from 'react';
import { CenteredPage } from '@/components/centered-page';

/** Account pages: sign in, sign up, confirm, forgot and reset password. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return <CenteredPage>{children}</CenteredPage>;
}
