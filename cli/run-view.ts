// How a run reads on the command line: the exit code of its outcome, one plain line per change for logs
// and CI, and a live multi-line frame for a terminal (stage, epoch bar, evaluation, what it waits for).
import cliProgress from 'cli-progress';
import type { paths } from '../core/contracts/http-api.js';
import { ExitCode } from './exit-codes.js';
import { fmt, show } from './render.js';

/** A run as GET /v1/runs/{runId} answers. */
export type RunView = paths['/v1/runs/{runId}']['get']['responses'][200]['content']['application/json'];
/** One training epoch as GET /v1/runs/{runId}/epochs answers. */
export type Epoch =
  paths['/v1/runs/{runId}/epochs']['get']['responses'][200]['content']['application/json']['epochs'][number];

/** What the watcher knows at one poll. */
export interface RunSnapshot {
  run: RunView;
  /** The latest attempt's epochs, in order. */
  epochs: Epoch[];
  /** Epochs the run trains for (the spec's, or the run's override), when known. */
  totalEpochs: number | undefined;
}

/** A run that has ended, and how: its exit code and a one-line summary. */
export interface RunEnd {
  exitCode: ExitCode;
  summary: string;
}

/** A run's validation report as GET /v1/runs/{runId}/validation answers. */
export type ValidationReport =
  paths['/v1/runs/{runId}/validation']['get']['responses'][200]['content']['application/json'];

/**
 * How the run ended, or undefined while it is still running. A run that failed validation ends as a
 * failed workflow whose view may carry no validation summary: its report (when fetched) says so.
 */
export function runEnd(run: RunView, report?: ValidationReport): RunEnd | undefined {
  const version = run.candidateVersion !== null ? ` v${run.candidateVersion}` : '';
  const model = `${run.model ?? '?'}${version}`;
  if (run.status === 'RUNNING') return undefined;
  if (run.status === 'COMPLETED') {
    switch (run.outcome) {
      case 'promoted':
        return { exitCode: ExitCode.Ok, summary: `promoted: ${model} is the champion` };
      case 'rejected-by-evaluation':
        return {
          exitCode: ExitCode.RejectedByEvaluation,
          summary: `rejected by evaluation: ${run.evaluation?.reasons.join('; ') || 'thresholds not met'}`,
        };
      case 'rejected':
        return {
          exitCode: ExitCode.RejectedByPerson,
          summary:
            `rejected by ${run.decision?.by ?? 'an approver'}: ${run.decision?.comment ?? ''}`.trimEnd(),
        };
      case 'timed-out-rejected':
        return { exitCode: ExitCode.TimedOut, summary: `approval timed out: ${model} was not promoted` };
      case 'rolled-back': {
        const reason = (run.rollout as { reason?: string } | null)?.reason;
        return { exitCode: ExitCode.RolledBack, summary: `rolled back${reason ? `: ${reason}` : ''}` };
      }
      default:
        return { exitCode: ExitCode.Ok, summary: `completed: ${run.outcome ?? 'no outcome recorded'}` };
    }
  }
  if (run.validation && !run.validation.passed)
    return {
      exitCode: ExitCode.ValidationFailed,
      summary: `validation failed: ${run.validation.errors} check(s) failed on ${run.validation.rowCount} rows (ferry runs show ${run.runId})`,
    };
  if (report?.passed === false) {
    const failed = report.checks.filter((c) => !c.passed && c.severity === 'error');
    return {
      exitCode: ExitCode.ValidationFailed,
      summary: `validation failed: ${failed.map((c) => c.message).join('; ')} (ferry runs show ${run.runId})`,
    };
  }
  return {
    exitCode: ExitCode.Failed,
    summary: `${run.status.toLowerCase()}${run.failure ? `: ${run.failure.replace(/\s*\n\s*/g, '; ')}` : ''}`,
  };
}

const lastEpoch = (s: RunSnapshot) => s.epochs[s.epochs.length - 1];

function epochText(e: Epoch, total: number | undefined): string {
  const parts = [`epoch ${e.epoch}${total ? `/${total}` : ''}`];
  if (e.loss !== null) parts.push(`loss ${fmt(e.loss)}`);
  if (e.valLoss !== null) parts.push(`val_loss ${fmt(e.valLoss)}`);
  if (e.valMetric !== null) parts.push(`val_metric ${fmt(e.valMetric)}`);
  return parts.join(' ');
}

function evaluationText(run: RunView): string | undefined {
  const ev = run.evaluation;
  if (!ev) return undefined;
  const primary = run.metrics?.[ev.primaryMetric];
  const vs = ev.championVersion !== null ? ` vs champion v${ev.championVersion}` : ' (no champion yet)';
  const head = `evaluation ${ev.passed ? 'passed' : 'failed'}: ${ev.primaryMetric} ${primary !== undefined ? fmt(primary) : '-'}${vs}`;
  return ev.reasons.length ? `${head}; ${ev.reasons.join('; ')}` : head;
}

/** The pipeline's stages in order. */
const stages = ['validate', 'train', 'evaluate', 'register', 'approval', 'rollout', 'done'] as const;

/**
 * The plain lines this snapshot says, each a fact that changes at most a few times in a run; a watcher
 * prints the ones it has not printed yet, so logs get one line per change. Lines come in stage order,
 * each stage's line before its facts, whichever stage the poll happened to see.
 */
export function plainLines(s: RunSnapshot): string[] {
  const { run } = s;
  const rollout = run.rollout as { phase?: string; weights?: unknown } | null;
  const ev = evaluationText(run);
  const facts: Record<(typeof stages)[number], string[]> = {
    validate: run.validation
      ? [
          `validation ${run.validation.passed ? 'passed' : 'failed'}: ${run.validation.rowCount} rows, ${run.validation.errors} error(s)` +
            (run.validation.warnings.length ? `, warnings: ${run.validation.warnings.join('; ')}` : ''),
        ]
      : [],
    train: s.epochs.map((e) => epochText(e, s.totalEpochs)),
    evaluate: ev ? [ev] : [],
    register: run.candidateVersion !== null ? [`candidate: ${run.model} v${run.candidateVersion}`] : [],
    approval: [
      ...(run.waitingFor
        ? [`waiting for ${run.waitingFor}${run.approvalDeadline ? ` (until ${run.approvalDeadline})` : ''}`]
        : []),
      ...(run.decision ? [`${run.decision.decision}d by ${run.decision.by}: ${run.decision.comment}`] : []),
    ],
    rollout: rollout?.phase
      ? [`rollout: ${rollout.phase}${rollout.weights ? ` ${show(rollout.weights)}` : ''}`]
      : [],
    done: [],
  };
  const lines: string[] = [];
  for (const stage of stages) {
    if (stage === run.stage || facts[stage].length > 0) lines.push(`stage: ${stage}`, ...facts[stage]);
  }
  return lines;
}

type Colors = {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
};

const barOptions: cliProgress.Options = {
  barsize: 24,
  barCompleteString: '█'.repeat(24),
  barIncompleteString: '░'.repeat(24),
  barGlue: '',
};

/** The live view of a run on a terminal: a few lines redrawn at every poll. */
export function liveFrame(s: RunSnapshot, c: Colors): string {
  const { run } = s;
  const lines = [`${c.bold(run.pipeline ?? run.runId)} ${c.dim(run.runId)}`];
  // A finished run has passed every stage.
  const current =
    run.stage === 'done' ? stages.length : (stages as readonly string[]).indexOf(run.stage ?? '');
  lines.push(
    '  ' +
      stages
        .map((st, i) => (i < current ? c.green(`✓ ${st}`) : i === current ? c.cyan(`▶ ${st}`) : c.dim(st)))
        .join('  '),
  );
  const e = lastEpoch(s);
  if (e) {
    const done = e.epoch;
    const bar = s.totalEpochs
      ? cliProgress.Format.BarFormat(Math.min(1, done / s.totalEpochs), barOptions)
      : '';
    lines.push(`  ${bar} ${epochText(e, s.totalEpochs)}`);
  }
  if (run.validation && !run.validation.passed)
    lines.push(`  ${c.red('validation failed')}: ${run.validation.errors} error(s)`);
  const ev = evaluationText(run);
  if (ev) lines.push(`  ${run.evaluation?.passed ? c.green(ev) : c.red(ev)}`);
  if (run.waitingFor)
    lines.push(
      `  ${c.yellow('waiting for')} ${run.waitingFor}${run.approvalDeadline ? c.dim(` (until ${run.approvalDeadline})`) : ''}`,
    );
  if (run.decision) lines.push(`  ${run.decision.decision}d by ${run.decision.by}: ${run.decision.comment}`);
  return lines.join('\n');
}
