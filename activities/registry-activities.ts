// Activities that change the registry (register, decide, promote) and record the run's outcome.
// Each one is idempotent per run, so Temporal's retries never register or promote twice.
// Missing models and refused aliases (ModelNotFoundError, RegistryConflictError) fail at once through the
// worker's activity interceptor.
import type { ApprovalDecision, PipelineStatus, TrainingPipelineInput } from '../core/contracts/index.js';
import type { PipelineSpec } from '../core/pipeline-spec/schema.js';
import { appendRegistryEvent } from '../core/warehouse/store.js';
import { warehousePart } from '../core/warehouse/writer.js';
import type { ActivityDeps } from './deps.js';
import type { RegisterModelInput } from '../core/contracts/index.js';

export function createRegistryActivities(deps: ActivityDeps) {
  const { registry, metrics } = deps;
  const now = () => deps.now().toISOString();

  return {
    /** Registers the candidate as a new immutable version (rejected when evaluation failed). */
    async registerModel(input: RegisterModelInput): Promise<{ version: number }> {
      const { spec, training, evaluation } = input;
      const { version, created } = await registry.registerVersion({
        model: spec.model,
        status: evaluation.passed ? 'candidate' : 'rejected',
        artifacts: {
          modelPrefix: training.modelPrefix,
          preprocessingKey: training.preprocessingKey,
          evaluationKey: evaluation.reportKey,
          cardKey: evaluation.cardKey,
          validationKey: input.validationKey,
        },
        metrics: evaluation.metrics,
        lineage: {
          datasetName: spec.dataset.name,
          datasetSha: input.datasetSha,
          specHash: input.specHash,
          ...(input.baseSpecHash !== undefined
            ? { baseSpecHash: input.baseSpecHash, overrides: input.overrides ?? {} }
            : {}),
          // The revision of the code that trained it: the caller's if given, else this worker's own.
          codeRevision:
            input.codeRevision !== 'unknown' ? input.codeRevision : (deps.codeRevision ?? 'unknown'),
          runId: input.runId,
          backend: training.backend,
          seeds: { split: spec.split.seed, training: spec.training.seed },
        },
        inputSchema: training.inputSchema,
        ...(evaluation.passed
          ? {}
          : { rejectionReasons: evaluation.reasons.filter((r) => r.startsWith('✗')) }),
      });
      await appendRegistryEvent(
        metrics,
        {
          model: spec.model,
          version: version.version,
          event: version.status === 'rejected' ? 'registered-rejected' : 'registered',
          actor: 'pipeline',
          reason: created ? 'new version' : 'already registered by this run',
          run_id: input.runId,
          ts: now(),
        },
        `${input.runId}-registered`,
      );
      return { version: version.version };
    },

    /** Records the approval decision on the version and in the audit trail. */
    async recordDecision(input: {
      runId: string;
      model: string;
      version: number;
      decision: ApprovalDecision;
    }): Promise<void> {
      const { decision } = input;
      await registry.recordDecision(input.model, input.version, {
        decision: decision.decision,
        by: decision.by,
        comment: decision.comment,
        at: decision.at,
        runId: input.runId,
      });
      await appendRegistryEvent(
        metrics,
        {
          model: input.model,
          version: input.version,
          event: decision.decision === 'approve' ? 'approved' : 'rejected',
          actor: decision.by,
          reason: `${decision.via}: ${decision.comment}`,
          run_id: input.runId,
          ts: decision.at,
        },
        `${input.runId}-decision`,
      );
      // Fixed id and time: a retried activity writes the event once.
      await deps.audit.append(
        {
          at: decision.at,
          who: decision.by,
          role: decision.via === 'update' || decision.via === 'signal' ? 'approver' : 'system',
          action: `decision ${decision.decision} (${decision.via})`,
          target: `/v1/models/${input.model}/versions/${input.version}`,
          status: 200,
          result: 'ok',
          requestId: input.runId,
          before: { status: 'candidate', decision: null },
          after: { decision: decision.decision, by: decision.by, via: decision.via },
          detail: decision.comment,
        },
        { id: `${input.runId}-decision` },
      );
    },

    /** Makes the version the model's champion; the previous champion stays registered. */
    async promoteModel(input: {
      runId?: string;
      model: string;
      version: number;
      actor: string;
      reason: string;
    }): Promise<{ fromVersion: number | null }> {
      const change = await registry.setAlias({
        model: input.model,
        alias: 'champion',
        version: input.version,
        actor: input.actor,
        reason: input.reason,
        ...(input.runId ? { runId: input.runId } : {}),
      });
      await appendRegistryEvent(
        metrics,
        {
          model: input.model,
          version: input.version,
          event: 'promoted',
          alias: 'champion',
          from_version: change.fromVersion,
          actor: input.actor,
          reason: input.reason,
          run_id: input.runId ?? null,
          ts: change.at,
        },
        `${input.runId ?? `manual-${change.at}`}-promoted`,
      );
      await deps.audit.append(
        {
          at: change.at,
          who: input.actor,
          role: 'system',
          action: 'promote to champion',
          target: `/v1/models/${input.model}`,
          status: 200,
          result: 'ok',
          requestId: input.runId ?? `manual-${change.at}`,
          before: { champion: change.fromVersion },
          after: { champion: input.version },
          detail: input.reason,
        },
        input.runId ? { id: `${input.runId}-promoted` } : {},
      );
      return { fromVersion: change.fromVersion };
    },

    /** Appends the run's final row to the `runs` table. */
    async recordRun(input: {
      runId: string;
      spec: PipelineSpec;
      input: TrainingPipelineInput;
      status: PipelineStatus;
      outcome: string;
      message: string;
    }): Promise<void> {
      const { spec, status } = input;
      await metrics.append(
        'runs',
        [
          {
            run_id: input.runId,
            pipeline: spec.name,
            model: spec.model,
            trigger: input.input.trigger,
            status: input.outcome,
            stage: status.stage,
            spec_hash: input.input.specHash,
            dataset_sha: status.datasetSha ?? '',
            candidate_version: status.candidateVersion ?? null,
            primary_metric: status.evaluation?.primaryMetric ?? '',
            primary_value: status.evaluation
              ? (status.evaluation.metrics[status.evaluation.primaryMetric] ?? null)
              : null,
            message: input.message.slice(0, 2000),
            ts: now(),
          },
        ],
        { model: spec.model, part: warehousePart(`${input.runId}-run`) },
      );
    },
  };
}
