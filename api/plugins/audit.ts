// Records every mutating call to a matched route, every call to an admin route and every refusal
// (403) in the audit log after it is answered (success or not), with what the handler says changed.
// Events storage cannot take are spooled locally and flushed when it is back (core/audit/log.ts).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../../core/audit/log.js';
import { isFerryError } from '../../core/errors.js';
import { problemOf } from '../problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route's calls are not audited (high-volume data paths such as predictions). */
    audit?: boolean;
  }
  interface FastifyRequest {
    /** What the call changed or why it was refused, set by the handler for the audit event. */
    auditDetail?: { before?: unknown; after?: unknown; detail?: string };
  }
}

export const auditPlugin = fp(
  async (app: FastifyInstance, opts: { audit: AuditLog; flushMs?: number }) => {
    app.decorateRequest('auditDetail', undefined);
    // A refusal's own words (which field, which role) go into its event.
    app.addHook('onError', async (req, _reply, error) => {
      if (isFerryError(error) && problemOf(error).status < 500 && req.auditDetail?.detail === undefined)
        req.auditDetail = { ...req.auditDetail, detail: error.message };
    });
    app.addHook('onResponse', async (req, reply) => {
      // Decided from the matched route, never the URL string; unmatched paths (404s) change nothing.
      if (req.routeOptions.url === undefined) return;
      const status = reply.statusCode;
      const mutating = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
      const adminRoute = req.routeOptions.config?.minRole === 'admin';
      // A refused privileged call is audited whatever its method: someone tried something.
      if (!mutating && !adminRoute && status !== 403) return;
      // Prediction traffic is data, not an administrative change: it goes to the prediction log.
      if (req.routeOptions.config?.audit === false && status !== 403) return;
      try {
        await opts.audit.append({
          who: req.identity?.name ?? 'anonymous',
          role: req.identity?.role ?? 'none',
          action: `${req.method} ${req.routeOptions.url}`,
          target: req.url.split('?')[0]!,
          status,
          result: status < 400 ? 'ok' : status < 500 ? 'refused' : 'error',
          requestId: req.id,
          ...req.auditDetail,
        });
      } catch (err) {
        // Storage and the local spool both failed: nothing more this process can do but say so loudly.
        req.log.error({ err }, 'could not write the audit event');
      }
    });
    // Spooled events (storage was down) go to storage as soon as it answers again.
    let stop: (() => void) | undefined;
    app.addHook('onReady', async () => {
      stop = opts.audit.startSpoolFlusher(opts.flushMs ?? 2000, (err) =>
        app.log.warn({ err }, 'audit spool not flushed yet; storage still unreachable'),
      );
    });
    app.addHook('onClose', async () => {
      stop?.();
      await opts.audit.flushSpool().catch(() => undefined);
    });
  },
  { name: 'ferry-audit' },
);
