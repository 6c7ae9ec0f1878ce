// The model card: a markdown page a reviewer reads before approving a candidate.
import type { DatasetManifest } from '../core/datasets/catalog.js';
import type { EvaluationSummary, SliceMetrics, TrainingResult } from '../core/contracts/index.js';
import type { PipelineSpec } from '../core/pipeline-spec/schema.js';

const f = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(4));

export function renderModelCard(o: {
  spec: PipelineSpec;
  manifest: DatasetManifest;
  training: TrainingResult;
  summary: EvaluationSummary;
  slices: SliceMetrics[];
  runId: string;
}): string {
  const { spec, manifest, training, summary } = o;
  const metricNames = Object.keys(summary.metrics).filter((m) => m !== 'testRows');
  const lines = [
    `# Model card: ${spec.model} (candidate from run ${o.runId})`,
    '',
    `**Verdict:** ${summary.passed ? 'passed evaluation' : 'FAILED evaluation'} · primary metric **${summary.primaryMetric}** = ${f(summary.metrics[summary.primaryMetric])}`,
    '',
    '## Intended use',
    spec.description ?? `Pipeline ${spec.name}, task ${spec.task}.`,
    '',
    '## Data',
    `- dataset \`${manifest.name}\`, snapshot \`${manifest.sha256}\` (${manifest.rowCount} rows, ingested ${manifest.createdAt} from ${manifest.source})`,
    `- label \`${training.inputSchema.label}\`${training.inputSchema.classes ? ` (classes: ${training.inputSchema.classes.join(', ')})` : ''}`,
    `- numeric features: ${training.inputSchema.numeric.join(', ') || '—'}`,
    `- categorical features: ${training.inputSchema.categorical.join(', ') || '—'}`,
    `- split: test ${spec.split.test}, validation ${spec.split.validation}, seed ${spec.split.seed} → ${training.trainRows} train / ${training.validationRows} validation / ${summary.metrics.testRows} test rows`,
    '',
    '## Training',
    `- MLP ${JSON.stringify(spec.training.hiddenLayers)} ${spec.training.activation}, lr ${spec.training.learningRate}, batch ${spec.training.batchSize}, seed ${spec.training.seed}`,
    `- ${training.epochsTrained} epochs${training.stoppedEarly ? ' (early stopping)' : ''}${training.resumedFromEpoch ? `, resumed from checkpoint at epoch ${training.resumedFromEpoch}` : ''}, TensorFlow.js backend \`${training.backend}\``,
    '',
    '## Metrics (held-out test split)',
    `| metric | candidate | ${summary.championVersion ? `champion v${summary.championVersion}` : 'champion'} |`,
    '| --- | --- | --- |',
    ...metricNames.map((m) => `| ${m} | ${f(summary.metrics[m])} | ${f(summary.championMetrics?.[m])} |`),
    '',
    '## Decision reasons',
    ...summary.reasons.map((r) => `- ${r}`),
  ];
  if (o.slices.length > 0) {
    lines.push(
      '',
      '## Slices',
      `| slice | rows | ${summary.primaryMetric} candidate | ${summary.primaryMetric} champion |`,
      '| --- | --- | --- | --- |',
    );
    for (const s of o.slices) {
      lines.push(
        `| ${s.column}=${s.value} | ${s.count} | ${f(s.candidate[summary.primaryMetric])} | ${f(s.champion?.[summary.primaryMetric])} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
