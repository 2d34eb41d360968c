import type { ReactNode } from 'react';
import { WorkspaceShell } from '@/components/workspace/workspace-shell';

/**
 * Every signed-in page: the header (app name, Label admin for admins, the user menu) and the
 * client-side guard that sends signed-out visitors to `/sign-in?next=<this page>`. The API
 * authorises every request itself; the guard only spares people a page of errors.
 */
export default function WorkspaceLayout({ children }: { children: ReactNode }) {
  return <WorkspaceShell>{children}</WorkspaceShell>;
}
