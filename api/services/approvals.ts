// The approvals inbox: training runs waiting for a person's decision that the caller may give, read
// from Temporal (visibility for candidates, then each run's own view), never from a copy.
import type { Identity } from '../../core/auth/tokens.js';
import { FerryModel, FerryPipeline, FerryStage, PipelineStage } from '../../core/contracts/index.js';
import { PipelineNotFoundError } from '../../core/pipelines/spec-store.js';
import type { ApiDeps } from '../deps.js';
import { RunNotFoundError } from './errors.js';
import type { RunsService, RunView } from './runs.js';

/** The most waiting runs one answer looks at (newest first); an inbox longer than this is a backlog to clear. */
export const maxApprovalCandidates = 100;

/** What a waiting run's memo says about who may not decide it (set at start, see core/runs/start-run.ts). */
interface RunMemo {
  pipeline?: unknown;
  specHash?: unknown;
  triggeredBy?: unknown;
  privilegedChangedBy?: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function createApprovalsService(deps: ApiDeps, runs: RunsService) {
  /** Whether the spec version a run started from has the four-eyes rule on (the schema's default when unknown). */
  async function fourEyesOf(pipeline: string | undefined, hash: string | undefined): Promise<boolean> {
    if (!pipeline || !hash) return true;
    try {
      return (await deps.pipelines.version(pipeline, hash)).approval.fourEyes;
    } catch (err) {
      if (err instanceof PipelineNotFoundError) return true;
      throw err;
    }
  }

  /** Who last changed the privileged fields of the run's spec: from its start, else the spec store. */
  async function changerOf(memo: RunMemo): Promise<string | undefined> {
    const recorded = text(memo.privilegedChangedBy);
    if (recorded) return recorded;
    const pipeline = text(memo.pipeline);
    if (!pipeline) return undefined;
    const record = await deps.pipelines.get(pipeline).catch((err: unknown) => {
      if (err instanceof PipelineNotFoundError) return undefined;
      throw err;
    });
    return record && record.specHash === memo.specHash ? (record.privilegedBy ?? undefined) : undefined;
  }

  /** The four-eyes rule as the workflow and the runs service apply it to a decision by `who`. */
  async function mayDecide(memo: RunMemo, view: RunView, who: Identity): Promise<boolean> {
    const triggeredBy = view.triggeredBy ?? text(memo.triggeredBy);
    if (triggeredBy === who.name && (await fourEyesOf(text(memo.pipeline), text(memo.specHash))))
      return false;
    return (await changerOf(memo)) !== who.name;
  }

  return {
    /**
     * Runs waiting for a manual decision that `who` may give, the nearest deadline first. Filter values
     * were validated against strict patterns by the route schema.
     */
    async list(who: Identity, filter: { pipeline?: string; model?: string }): Promise<{ runs: RunView[] }> {
      const clauses = [
        `WorkflowType = 'trainingPipelineWorkflow'`,
        `ExecutionStatus = 'Running'`,
        `${FerryStage.name} = '${PipelineStage.Approval}'`,
      ];
      if (filter.pipeline) clauses.push(`${FerryPipeline.name} = '${filter.pipeline}'`);
      if (filter.model) clauses.push(`${FerryModel.name} = '${filter.model}'`);
      const candidates: { runId: string; memo: RunMemo }[] = [];
      for await (const e of deps.client.workflow.list({
        query: clauses.join(' AND '),
        pageSize: maxApprovalCandidates,
      })) {
        candidates.push({ runId: e.workflowId, memo: (e.memo ?? {}) as RunMemo });
        if (candidates.length >= maxApprovalCandidates) break;
      }
      const views = await Promise.all(
        candidates.map(async ({ runId, memo }) => {
          // The run may have been decided or ended since visibility listed it: then it is not waiting.
          const view = await runs.get(runId).catch((err: unknown) => {
            if (err instanceof RunNotFoundError) return undefined;
            throw err;
          });
          if (!view || view.status !== 'RUNNING' || view.waitingFor === null || view.decision !== null)
            return undefined;
          return (await mayDecide(memo, view, who)) ? view : undefined;
        }),
      );
      const waiting = views.filter((v) => v !== undefined);
      waiting.sort((a, b) => (a.approvalDeadline ?? '').localeCompare(b.approvalDeadline ?? ''));
      return { runs: waiting };
    },
  };
}

export type ApprovalsService = ReturnType<typeof createApprovalsService>;
