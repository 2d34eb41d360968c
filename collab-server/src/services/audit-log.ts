import type { AuditAction } from '../store/audit-store.js';
import type { ApiDeps, Caller } from './api-deps.js';

/** Records who did what; failures to audit fail the request (an unaudited grant is worse). */
export function audit(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  action: AuditAction,
  target?: string,
  details?: Record<string, string | number | null>,
): Promise<void> {
  return deps.stores.audit.record({
    releaseId,
    at: new Date(deps.now()).toISOString(),
    actorId: caller.sub,
    actorName: caller.name,
    action,
    ...(target !== undefined ? { target } : {}),
    ...(details ? { details } : {}),
  });
}
