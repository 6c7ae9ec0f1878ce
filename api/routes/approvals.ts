// /v1/approvals: the runs waiting for a decision the caller may give (the four-eyes rule applied), for
// `ferry approvals` and the dashboard's inbox.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { caller } from '../plugins/auth.js';
import { RunView } from '../run-schemas.js';
import { SafeName } from '../schemas.js';
import { maxApprovalCandidates, type ApprovalsService } from '../services/approvals.js';

export const ApprovalsQuery = Type.Object(
  { pipeline: Type.Optional(SafeName), model: Type.Optional(SafeName) },
  { additionalProperties: false },
);

export function approvalRoutes(fastify: FastifyInstance, approvals: ApprovalsService): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/approvals',
    {
      config: { minRole: 'approver' },
      schema: {
        tags: ['runs'],
        summary: 'Runs waiting for a manual decision that the caller may give, nearest deadline first',
        description: `Runs the four-eyes rule keeps the caller from deciding (they triggered it, or last changed its pipeline's privileged settings) are left out. At most the ${maxApprovalCandidates} newest waiting runs are looked at.`,
        querystring: ApprovalsQuery,
        response: { 200: Type.Object({ runs: Type.Array(RunView) }) },
      },
    },
    async (req) => approvals.list(caller(req), req.query),
  );
}
