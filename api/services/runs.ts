// Training runs as the API sees them: started, listed, read and decided through Temporal itself
// (describe + query + update), never through a copy.
import { status as grpcStatus } from '@grpc/grpc-js';
import {
  ApplicationFailure,
  isGrpcServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type QueryDefinition,
  type WorkflowExecutionDescription,
} from '@temporalio/client';
import type { Identity } from '../../core/auth/tokens.js';
import { FailureType } from '../../core/errors.js';
import {
  abortRolloutSignal,
  approveCandidateUpdate,
  pauseRolloutSignal,
  pipelineStatusQuery,
  promoteNowSignal,
  FerryPipeline,
  rejectCandidateUpdate,
  resumeRolloutSignal,
  rolloutStatusQuery,
  rolloutWorkflowId,
  type ApprovalDecision,
  type ApprovalPolicyName,
  type PipelineResult,
  type RolloutStatus,
  type RunTrigger,
  type SpecOverrides,
} from '../../core/contracts/index.js';
import { PipelineNotFoundError } from '../../core/pipelines/spec-store.js';
import { startTrainingRun } from '../../core/runs/start-run.js';
import { privilegedRoles } from '../../core/pipeline-spec/privileged.js';
import { parseSpec, SpecError } from '../../core/pipeline-spec/load.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import type { ApiDeps } from '../deps.js';
import {
  ApprovalRelaxRefusedError,
  FourEyesError,
  InvalidCursorError,
  InvalidOverridesError,
  RolloutNotRunningError,
  RunNotFoundError,
  RunNotRunningError,
  RunNotWaitingError,
} from './errors.js';
import {
  RunSummary as RunSummarySchema,
  RunView as RunViewSchema,
  type TriggerBody,
} from '../run-schemas.js';
import type { Static } from 'typebox';

/** Temporal's execution statuses as its API spells them (the TS SDK writes CANCELLED). */
export const runStatuses = [
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELED',
  'TERMINATED',
  'TIMED_OUT',
  'CONTINUED_AS_NEW',
] as const;
/** A status as visibility queries spell it: TIMED_OUT is TimedOut. */
const visibilityStatus = (status: string) =>
  status.toLowerCase().replace(/(?:^|_)([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** A start request's body (dataset, reason, approval policy, overrides). */
export type StartRunRequest = Static<typeof TriggerBody>;

/** A run as GET /v1/runs/{runId} answers it. */
export type RunView = Static<typeof RunViewSchema>;

/** A run as GET /v1/runs lists it. */
export type RunSummary = Static<typeof RunSummarySchema>;

/** A Keyword search attribute of a described run (the SDK gives each as a list). */
function keywordOf(
  attributes: WorkflowExecutionDescription['searchAttributes'],
  name: string,
): string | null {
  const v = (attributes as Record<string, unknown[] | undefined>)[name]?.[0];
  return typeof v === 'string' ? v : null;
}

function decodeKeyword(payload: { data?: Uint8Array | null } | undefined): string | null {
  if (!payload?.data) return null;
  const v = JSON.parse(Buffer.from(payload.data).toString('utf8')) as unknown;
  return Array.isArray(v) ? ((v[0] as string) ?? null) : typeof v === 'string' ? v : null;
}

/** Approval policies from the least strict: a run's override may only move right unless an approver asks. */
const policyStrictness: Record<ApprovalPolicyName, number> = { auto: 0, 'auto-if-better': 1, manual: 2 };

/** Refuses trigger options that would relax the spec's approval gate for a caller below approver. */
function assertMayOverrideApproval(spec: PipelineSpec, req: StartRunRequest, who: Identity): void {
  if (privilegedRoles.includes(who.role)) return;
  const errors: { field: string; rule: string }[] = [];
  if (req.approval && policyStrictness[req.approval] < policyStrictness[spec.approval.policy])
    errors.push({
      field: 'body.approval',
      rule: `may only make the run stricter than the spec's "${spec.approval.policy}" unless the caller is "approver" or "admin"`,
    });
  // With onTimeout "approve" a shorter wait is an earlier automatic approval.
  if (req.overrides?.approval?.timeout !== undefined && spec.approval.onTimeout === 'approve')
    errors.push({
      field: 'body.overrides.approval.timeout',
      rule: 'may only be changed by "approver" or "admin" when the spec approves on timeout',
    });
  if (errors.length > 0) throw new ApprovalRelaxRefusedError(who.role, errors);
}

export function createRunsService(deps: ApiDeps) {
  const { client } = deps;
  const links = (runId: string) => ({
    self: `/v1/runs/${encodeURIComponent(runId)}`,
    temporalUi: `${deps.temporalUiUrl}/namespaces/${deps.namespace}/workflows/${encodeURIComponent(runId)}`,
  });

  async function describe(runId: string): Promise<WorkflowExecutionDescription> {
    try {
      const d = await client.workflow.getHandle(runId).describe();
      if (d.type !== 'trainingPipelineWorkflow') throw new RunNotFoundError(runId);
      return d;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
      throw err;
    }
  }

  /** A workflow's answer to a query, or undefined; bounded, since a query needs a worker to answer. */
  async function queryWithin<T>(workflowId: string, query: QueryDefinition<T>): Promise<T | undefined> {
    const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000).unref());
    return Promise.race([
      client.workflow
        .getHandle(workflowId)
        .query(query)
        .catch(() => undefined),
      timeout,
    ]);
  }

  function effectiveSpec(
    base: PipelineSpec,
    req: StartRunRequest,
    datasetName: string | undefined,
  ): PipelineSpec {
    const o = req.overrides ?? {};
    try {
      return parseSpec(
        {
          ...base,
          dataset: { ...base.dataset, ...(datasetName ? { name: datasetName, snapshot: undefined } : {}) },
          training: { ...base.training, ...o.training },
          approval: { ...base.approval, ...o.approval },
        },
        'run overrides',
      );
    } catch (err) {
      if (err instanceof SpecError)
        throw new InvalidOverridesError(
          err.message,
          err.issues.map((i) => ({ field: `body.overrides.${i.path}`, rule: i.rule })),
        );
      throw err;
    }
  }

  /** Who last changed the privileged fields of the spec the run uses: from its start, else the spec store. */
  async function privilegedChangerOf(d: WorkflowExecutionDescription): Promise<string | undefined> {
    const memo = (d.memo ?? {}) as { privilegedChangedBy?: unknown; pipeline?: unknown; specHash?: unknown };
    if (typeof memo.privilegedChangedBy === 'string') return memo.privilegedChangedBy;
    const pipeline =
      typeof memo.pipeline === 'string' ? memo.pipeline : keywordOf(d.searchAttributes, FerryPipeline.name);
    if (!pipeline) return undefined;
    const record = await deps.pipelines.get(pipeline).catch((err: unknown) => {
      if (err instanceof PipelineNotFoundError) return undefined;
      throw err;
    });
    return record && record.specHash === memo.specHash ? (record.privilegedBy ?? undefined) : undefined;
  }

  async function decide(
    runId: string,
    decision: 'approve' | 'reject',
    who: Identity,
    comment: string,
    requestId: string,
  ): Promise<ApprovalDecision> {
    const d = await describe(runId);
    if (d.status.name !== 'RUNNING')
      throw new RunNotWaitingError(
        runId,
        `run "${runId}" is ${statusName(d.status.name)}, not waiting for approval`,
      );
    // Checked here too (the workflow checks it again) so runs started before the rule still obey it.
    // The run's own trigger is refused by the workflow first, with that reason.
    const changer = await privilegedChangerOf(d);
    const triggeredBy = (d.memo as { triggeredBy?: unknown } | undefined)?.triggeredBy;
    if (changer !== undefined && changer === who.name && triggeredBy !== who.name)
      throw new FourEyesError(
        runId,
        who.name,
        `four-eyes rule: ${who.name} last changed this pipeline's approval, evaluation or rollout settings and cannot also decide its run`,
      );
    try {
      return await client.workflow
        .getHandle(runId)
        .executeUpdate(decision === 'approve' ? approveCandidateUpdate : rejectCandidateUpdate, {
          args: [{ by: who.name, comment }],
          updateId: `${decision}-${requestId}`,
        });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        // The workflow's validator refuses with a typed failure: four-eyes is told apart by its type.
        const message = err.cause?.message ?? err.message;
        if (err.cause instanceof ApplicationFailure && err.cause.type === FailureType.FourEyes)
          throw new FourEyesError(runId, who.name, message);
        throw new RunNotWaitingError(runId, message);
      }
      if (err instanceof WorkflowNotFoundError)
        throw new RunNotWaitingError(runId, `run "${runId}" has finished`);
      throw err;
    }
  }

  return {
    async start(
      pipeline: string,
      req: StartRunRequest,
      who: Identity,
      options: { idempotencyKey?: string; trigger?: RunTrigger } = {},
    ) {
      const record = await deps.pipelines.get(pipeline);
      assertMayOverrideApproval(record.spec, req, who);
      const isSnapshot = req.dataset !== undefined && /^[a-f0-9]{64}$/.test(req.dataset);
      const spec = effectiveSpec(record.spec, req, req.dataset && !isSnapshot ? req.dataset : undefined);
      // A missing pipeline or dataset is its domain error (404 pipeline-not-found / dataset-not-found).
      const snapshot = (
        await deps.datasets.resolve(spec.dataset.name, isSnapshot ? req.dataset : spec.dataset.snapshot)
      ).sha256;
      const idempotent = options.idempotencyKey !== undefined;
      const overrides: SpecOverrides = {
        ...(req.dataset && !isSnapshot ? { dataset: { name: req.dataset } } : {}),
        ...(req.overrides?.training ? { training: req.overrides.training } : {}),
        ...(req.overrides?.approval ? { approval: req.overrides.approval } : {}),
      };
      let runId: string;
      try {
        const handle = await startTrainingRun({
          client,
          taskQueue: deps.taskQueue,
          trainTaskQueue: deps.trainTaskQueue,
          ...(options.idempotencyKey !== undefined
            ? { id: { kind: 'request' as const, caller: who.name, key: options.idempotencyKey } }
            : {}),
          overrides,
          input: {
            spec,
            specHash: record.specHash,
            datasetSnapshot: snapshot,
            trigger: options.trigger ?? 'api',
            triggeredBy: who.name,
            ...(record.privilegedBy ? { privilegedChangedBy: record.privilegedBy } : {}),
            ...(req.reason ? { reason: req.reason } : {}),
            ...(req.approval ? { approvalPolicy: req.approval } : {}),
          },
        });
        runId = handle.workflowId;
      } catch (err) {
        // The idempotent id already ran to completion: answer with that run.
        if (err instanceof WorkflowExecutionAlreadyStartedError && idempotent) runId = err.workflowId;
        else throw err;
      }
      // A fresh start is RUNNING by definition; only an idempotent repeat needs to look.
      if (!idempotent) return { runId, status: 'RUNNING', links: links(runId) };
      const d = await describe(runId);
      return { runId, status: statusName(d.status.name), links: links(runId) };
    },

    async get(runId: string): Promise<RunView> {
      const d = await describe(runId);
      const s = await queryWithin(runId, pipelineStatusQuery);
      let result: PipelineResult | undefined;
      let failure: string | null = null;
      if (d.status.name === 'COMPLETED')
        result = await client.workflow
          .getHandle(runId)
          .result()
          .catch(() => undefined);
      if (d.status.name === 'FAILED')
        failure = await client.workflow
          .getHandle(runId)
          .result()
          .then(
            () => null,
            (err: Error) => (err.cause as Error | undefined)?.message ?? err.message,
          );
      const stage = s?.stage ?? keywordOf(d.searchAttributes, 'FerryStage');
      const rollout =
        stage === 'rollout' || stage === 'done'
          ? await queryWithin(rolloutWorkflowId(runId), rolloutStatusQuery)
          : undefined;
      const ev = s?.evaluation ?? result?.evaluation;
      return {
        runId,
        // Runs started before FerryPipeline existed still carry the pipeline in their memo.
        pipeline:
          s?.pipeline ??
          keywordOf(d.searchAttributes, FerryPipeline.name) ??
          (d.memo as { pipeline?: string } | undefined)?.pipeline ??
          null,
        model: s?.model ?? keywordOf(d.searchAttributes, 'FerryModel'),
        status: statusName(d.status.name),
        stage,
        trigger: s?.trigger ?? keywordOf(d.searchAttributes, 'FerryTrigger'),
        triggeredBy: s?.triggeredBy ?? null,
        specHash: s?.specHash ?? null,
        datasetSha: s?.datasetSha ?? null,
        candidateVersion: s?.candidateVersion ?? result?.version ?? null,
        metrics: ev?.metrics ?? null,
        validation: s?.validation ?? null,
        evaluation: ev
          ? {
              passed: ev.passed,
              reasons: ev.reasons,
              primaryMetric: ev.primaryMetric,
              championVersion: ev.championVersion ?? null,
            }
          : null,
        waitingFor: s?.waitingFor ?? null,
        approvalDeadline: s?.approvalDeadline ?? null,
        decision: s?.decision ?? result?.decision ?? null,
        outcome: s?.outcome ?? result?.outcome ?? null,
        failure,
        rollout: rollout ? { ...rollout, reason: result?.rollout?.reason ?? null } : null,
        startedAt: d.startTime.toISOString(),
        closedAt: d.closeTime?.toISOString() ?? null,
        links: links(runId),
      };
    },

    async list(filter: {
      pipeline?: string;
      model?: string;
      status?: string;
      stage?: string;
      pageSize: number;
      cursor?: string;
    }): Promise<{ runs: RunSummary[]; nextCursor: string | null }> {
      // Filter values were validated against strict patterns by the route schema.
      const clauses = [`WorkflowType = 'trainingPipelineWorkflow'`];
      if (filter.pipeline) clauses.push(`${FerryPipeline.name} = '${filter.pipeline}'`);
      if (filter.model) clauses.push(`FerryModel = '${filter.model}'`);
      if (filter.status) clauses.push(`ExecutionStatus = '${visibilityStatus(filter.status)}'`);
      if (filter.stage) clauses.push(`FerryStage = '${filter.stage}'`);
      const nextPageToken = filter.cursor ? Buffer.from(filter.cursor, 'base64url') : undefined;
      if (nextPageToken?.length === 0) throw new InvalidCursorError();
      let page;
      try {
        page = await client.workflowService.listWorkflowExecutions({
          namespace: deps.namespace,
          query: clauses.join(' AND '),
          pageSize: filter.pageSize,
          nextPageToken,
        });
      } catch (err) {
        // Temporal refuses a page token it did not issue with INVALID_ARGUMENT, or (SQL visibility, which
        // cannot decode it) UNKNOWN; an outage stays a 503.
        if (
          filter.cursor &&
          isGrpcServiceError(err) &&
          (err.code === grpcStatus.INVALID_ARGUMENT || err.code === grpcStatus.UNKNOWN)
        )
          throw new InvalidCursorError();
        throw err;
      }
      const runs = (page.executions ?? []).map((e) => {
        const fields = e.searchAttributes?.indexedFields ?? {};
        const runId = e.execution?.workflowId ?? '';
        const seconds = (t: typeof e.startTime) =>
          t?.seconds
            ? new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString()
            : null;
        return {
          runId,
          status: statusFromEnum(e.status),
          pipeline: decodeKeyword(fields[FerryPipeline.name] ?? undefined),
          model: decodeKeyword(fields.FerryModel ?? undefined),
          stage: decodeKeyword(fields.FerryStage ?? undefined),
          trigger: decodeKeyword(fields.FerryTrigger ?? undefined),
          startedAt: seconds(e.startTime),
          closedAt: seconds(e.closeTime),
        };
      });
      const token =
        page.nextPageToken && page.nextPageToken.length > 0
          ? Buffer.from(page.nextPageToken).toString('base64url')
          : null;
      return { runs, nextCursor: token };
    },

    approve: (runId: string, who: Identity, comment: string, requestId: string) =>
      decide(runId, 'approve', who, comment, requestId),
    reject: (runId: string, who: Identity, comment: string, requestId: string) =>
      decide(runId, 'reject', who, comment, requestId),

    /** Sends a control signal to the run's rollout (pause, resume, abort = roll back now, promote now). */
    async controlRollout(
      runId: string,
      action: 'pause' | 'resume' | 'abort' | 'promote-now',
      who: Identity,
      reason: string,
    ): Promise<{ runId: string; action: string; rollout: RolloutStatus }> {
      await describe(runId);
      const child = client.workflow.getHandle(rolloutWorkflowId(runId));
      let status: RolloutStatus;
      try {
        const d = await child.describe();
        if (d.status.name !== 'RUNNING')
          throw new RolloutNotRunningError(
            runId,
            `the rollout of run "${runId}" is ${statusName(d.status.name)}`,
          );
        if (action === 'pause') await child.signal(pauseRolloutSignal, { by: who.name });
        else if (action === 'resume') await child.signal(resumeRolloutSignal, { by: who.name });
        else if (action === 'abort') await child.signal(abortRolloutSignal, { by: who.name, reason });
        else await child.signal(promoteNowSignal, { by: who.name, reason });
        status = await child.query(rolloutStatusQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError)
          throw new RolloutNotRunningError(runId, `run "${runId}" has no rollout in progress`);
        throw err;
      }
      return { runId, action, rollout: status };
    },

    async cancel(runId: string): Promise<{ runId: string; status: string }> {
      const d = await describe(runId);
      if (d.status.name !== 'RUNNING') throw new RunNotRunningError(runId, statusName(d.status.name));
      await client.workflow.getHandle(runId).cancel();
      return { runId, status: 'CANCEL_REQUESTED' };
    },
  };
}

/** Temporal's WorkflowExecutionStatus enum, by its numbers. */
const statusNames =
  'UNSPECIFIED RUNNING COMPLETED FAILED CANCELED TERMINATED CONTINUED_AS_NEW TIMED_OUT'.split(' ');
/** The SDK's status name in Temporal's own spelling. */
function statusName(name: string): string {
  return name === 'CANCELLED' ? 'CANCELED' : name;
}

function statusFromEnum(status: unknown): string {
  return typeof status === 'number' ? (statusNames[status] ?? 'UNSPECIFIED') : String(status);
}

export type RunsService = ReturnType<typeof createRunsService>;
