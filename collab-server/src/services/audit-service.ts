import { asAuditLog } from '@patchline/permissions';
import type { AuditEvent } from '../store/audit-store.js';
import type { ApiDeps, Caller } from './api-deps.js';
import { accessRelease } from './release-access.js';
import { forbidden } from './service-error.js';

/** The audit trail of a release: owners, managers and admins (AB8). */
export async function listAudit(deps: ApiDeps, caller: Caller, releaseId: string): Promise<AuditEvent[]> {
  const access = await accessRelease(deps, caller, releaseId);
  if (!access.ability.can('read', asAuditLog({ releaseId })))
    throw forbidden('Only owners and label managers can read the audit log');
  return deps.stores.audit.listForRelease(releaseId);
}
