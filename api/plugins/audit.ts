// Records every mutating call to a matched route in the audit log after it is answered (success or not).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../../core/audit/log.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route's calls are not audited (high-volume data paths such as predictions). */
    audit?: boolean;
  }
}

export const auditPlugin = fp(
  async (app: FastifyInstance, opts: { audit: AuditLog }) => {
    app.addHook('onResponse', async (req, reply) => {
      // Decided from the matched route, never the URL string; unmatched paths (404s) change nothing.
      if (req.routeOptions.url === undefined || ['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return;
      // Prediction traffic is data, not an administrative change: it goes to the prediction log.
      if (req.routeOptions.config?.audit === false) return;
      const status = reply.statusCode;
      try {
        await opts.audit.append({
          who: req.identity?.name ?? 'anonymous',
          role: req.identity?.role ?? 'none',
          action: `${req.method} ${req.routeOptions.url}`,
          target: req.url.split('?')[0]!,
          status,
          result: status < 400 ? 'ok' : status < 500 ? 'refused' : 'error',
          requestId: req.id,
        });
      } catch (err) {
        req.log.error({ err }, 'could not write the audit event');
      }
    });
  },
  { name: 'ferry-audit' },
);
