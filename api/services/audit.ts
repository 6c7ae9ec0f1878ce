// The audit resource without HTTP: the newest audit events, for admins.
import type { ApiDeps } from '../deps.js';

export function createAuditService(deps: Pick<ApiDeps, 'audit'>) {
  return {
    /** The newest `limit` audit events, newest first (the audit log keeps 7 days at most). */
    recent: (limit: number) => deps.audit.recent(limit),
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
