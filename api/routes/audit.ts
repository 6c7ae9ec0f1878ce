// /v1/audit: the newest audit events (mutating calls, admin calls, refusals, decisions, rollbacks), for
// admins only: the log names people and what they were refused, which viewers have no need to see.
import { Type } from 'typebox';
import type { AuditLog } from '../../core/audit/log.js';
import type { TypedApp } from '../schemas.js';

/** Events returned when the query names no limit (the schema's default, which Ajv fills in). */
const defaultLimit = 100;

const AuditQuery = Type.Object(
  // Optional with a default (Ajv fills it in): a request without it is valid, so the document says so.
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: defaultLimit, examples: [20] })),
  },
  { additionalProperties: false },
);

const AuditEvent = Type.Object({
  at: Type.String(),
  who: Type.String(),
  role: Type.String(),
  action: Type.String(),
  target: Type.String(),
  status: Type.Integer(),
  result: Type.Union([Type.Literal('ok'), Type.Literal('refused'), Type.Literal('error')]),
  requestId: Type.String(),
  before: Type.Optional(Type.Unknown({ description: 'the state the act changed, before it' })),
  after: Type.Optional(Type.Unknown({ description: 'the same state after it' })),
  detail: Type.Optional(Type.String({ description: 'why it was refused or what was decided' })),
});

export function auditRoutes(app: TypedApp, audit: Pick<AuditLog, 'recent'>): void {
  app.get(
    '/v1/audit',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'The newest audit events first (the last 7 days at most)',
        querystring: AuditQuery,
        response: { 200: Type.Object({ events: Type.Array(AuditEvent) }) },
      },
    },
    async (req) => ({
      events: await audit.recent(req.query.limit ?? defaultLimit),
    }),
  );
}
