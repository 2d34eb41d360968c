import type { ReleaseRole } from '@patchline/permissions';
import type { ReleaseStatus } from '@patchline/shared';
import { Badge } from '@/components/ui/badge';
import { cn } from '@/lib/utils';

export const STATUS_LABELS: Record<ReleaseStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  delivered: 'Delivered',
};

const STATUS_STYLES: Record<ReleaseStatus, string> = {
  draft: 'bg-secondary text-secondary-foreground',
  in_review: 'bg-warning/15 text-foreground border-warning/40',
  changes_requested: 'bg-destructive/10 text-destructive border-destructive/30',
  approved: 'bg-success/15 text-foreground border-success/40',
  delivered: 'bg-primary/10 text-primary border-primary/30',
};

export const ROLE_LABELS: Record<ReleaseRole, string> = {
  owner: 'Owner',
  editor: 'Editor',
  viewer: 'Viewer',
};

/** Where the release is in the workflow. */
export function StatusBadge({ status }: { status: ReleaseStatus }) {
  return (
    <Badge variant="outline" className={cn(STATUS_STYLES[status])} data-testid="status-badge">
      {STATUS_LABELS[status]}
    </Badge>
  );
}

/** The viewer's own role; label staff without one see the release through their group. */
export function RoleBadge({ role }: { role: ReleaseRole | null }) {
  return (
    <Badge variant="outline" data-testid="role-badge" data-role={role ?? 'label'}>
      {role ? ROLE_LABELS[role] : 'Label access'}
    </Badge>
  );
}
