// evaluateModel: holdout and per-slice metrics for the candidate and, on the same rows, for the
// current champion; the spec's thresholds decide pass/fail with each reason stated. Writes the
// report and a model card to object storage and one metrics row per (subject, slice, metric).
import { ApplicationFailure } from '@temporalio/activity';
import { resolveFeatures } from '../core/datasets/features.js';
import { loadSplits, type SplitColumns } from '../core/datasets/load-splits.js';
import { FailureType } from '../core/errors.js';
import type { EvaluationSummary } from '../core/contracts/index.js';
import { classificationMetrics, regressionMetrics } from '../core/metrics/math.js';
import type { WarehouseRowInput } from '../core/warehouse/tables.js';
import { loadTensorflow, type Tf } from '../core/model/backend.js';
import { loadModelBundle, type PreprocessingBundle } from '../core/model/bundle-store.js';
import { encodeLabels, LabelEncodingError, transform } from '../core/model/preprocessing.js';
import { predict } from '../core/model/trainer.js';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { lowerIsBetter, primaryMetric, type PipelineSpec } from '../core/pipeline-spec/schema.js';
import { renderModelCard } from './model-card.js';
import { warehousePart } from '../core/warehouse/writer.js';
import { keys } from '../core/storage/keys.js';
import type { ActivityDeps } from './deps.js';
import { withHeartbeat } from './heartbeat.js';
import type { EvaluateModelInput, SliceMetrics } from '../core/contracts/index.js';

type Metrics = Record<string, number>;

/** Metrics of one model on the given rows; `rows` selects a subset (a slice). */
function score(
  tf: Tf,
  spec: PipelineSpec,
  model: LayersModel,
  prep: PreprocessingBundle,
  test: SplitColumns,
): (rows?: number[]) => Metrics {
  const x = transform(prep.preprocessor, test);
  const y = encodeLabels(prep.labels, test.labels);
  const out = predict(tf, model, x, test.length);
  const width = test.length === 0 ? 1 : out.length / test.length;
  lastOutputs = { out, width, classes: prep.labels.task === 'regression' ? undefined : prep.labels.classes };
  return (rows?: number[]): Metrics => {
    const idx = rows ?? [...Array(test.length).keys()];
    if (spec.task === 'regression') {
      const m = regressionMetrics({ yTrue: idx.map((i) => y[i]!), yPred: idx.map((i) => out[i]!) });
      return { rmse: m.rmse, mae: m.mae, r2: m.r2 };
    }
    const probs = new Float32Array(idx.length * width);
    idx.forEach((row, j) => probs.set(out.subarray(row * width, (row + 1) * width), j * width));
    const { accuracy, precision, recall, f1, auc, logLoss } = classificationMetrics({
      yTrue: idx.map((i) => y[i]!),
      probs,
      numClasses: width,
    });
    return { accuracy, precision, recall, f1, auc, logLoss };
  };
}

/** A model's raw outputs on the test split: `width` numbers per row, and the classes they score. */
type Outputs = { out: Float32Array; width: number; classes: string[] | undefined };

/** The raw outputs of the most recent `score` call, for the prediction reference. */
let lastOutputs: Outputs | undefined;

/** Predicted-label counts on the test split: the reference a rollout compares live predictions with. */
function predictedLabelCounts(o: Outputs): Record<string, number> | undefined {
  if (!o.classes) return undefined;
  const counts: Record<string, number> = Object.fromEntries(o.classes.map((c) => [c, 0]));
  for (let row = 0; row * o.width < o.out.length; row++) {
    let best = 0;
    for (let k = 1; k < o.width; k++) if (o.out[row * o.width + k]! > o.out[row * o.width + best]!) best = k;
    counts[o.classes[best]!]! += 1;
  }
  return counts;
}

function fmt(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(4);
}

export function createEvaluateActivities(deps: ActivityDeps) {
  const { store, registry, catalog, metrics } = deps;

  return {
    evaluateModel(input: EvaluateModelInput): Promise<EvaluationSummary> {
      // Loading the test split and two models takes a while; heartbeats let a dead worker be noticed in seconds.
      return withHeartbeat({ phase: 'evaluating' }, () => evaluate(input));
    },
  };

  async function evaluate(input: EvaluateModelInput): Promise<EvaluationSummary> {
    const { spec, runId, training } = input;
    const { tf } = await loadTensorflow();
    const manifest = await catalog.manifest(spec.dataset.name, input.datasetSha);
    const features = resolveFeatures(spec, manifest.schema);
    const { test } = await loadSplits({
      parquetPath: await catalog.localParquet(manifest),
      features,
      split: spec.split,
      numericLabel: spec.task === 'regression',
      keep: ['test'],
    });
    if (test.length === 0)
      throw ApplicationFailure.nonRetryable(
        `the test split of ${manifest.name}@${manifest.sha256.slice(0, 12)} is empty`,
        FailureType.InvalidInput,
      );

    const candidate = await loadModelBundle(store, training.modelPrefix, tf);
    let candidateScore;
    let predictionReference: Record<string, number> | undefined;
    try {
      candidateScore = score(tf, spec, candidate.model, candidate.preprocessing, test);
      predictionReference = lastOutputs ? predictedLabelCounts(lastOutputs) : undefined;
    } catch (err) {
      // Said to be about the test split; the activity interceptor makes it non-retryable by its type.
      if (err instanceof LabelEncodingError)
        throw new LabelEncodingError(err.value, err.row, `test split: ${err.message}`);
      throw err;
    } finally {
      candidate.model.optimizer?.dispose();
      candidate.model.dispose();
    }
    const overall = candidateScore();

    // The champion, scored on exactly the same rows; skipped (with the reason) when it cannot read them.
    let championVersion: number | undefined;
    let championScore: ((rows?: number[]) => Metrics) | undefined;
    let championNote: string | undefined;
    const championNumber = (await registry.aliases(spec.model)).champion;
    if (championNumber !== undefined) {
      const champ = await registry.getVersion(spec.model, championNumber);
      const missing = [...champ.inputSchema.numeric, ...champ.inputSchema.categorical].filter(
        (c) => !features.numeric.includes(c) && !features.categorical.includes(c),
      );
      if (missing.length > 0) {
        championNote = `champion v${championNumber} needs columns this dataset lacks: ${missing.join(', ')}`;
      } else {
        const loaded = await loadModelBundle(store, champ.artifacts.modelPrefix, tf);
        try {
          championScore = score(tf, spec, loaded.model, loaded.preprocessing, test);
          championVersion = championNumber;
        } catch (err) {
          championNote = `champion v${championNumber} could not score the test split: ${(err as Error).message}`;
        } finally {
          loaded.model.optimizer?.dispose();
          loaded.model.dispose();
        }
      }
    }
    const championOverall = championScore?.();

    const slices: SliceMetrics[] = [];
    for (const column of spec.evaluation.slices) {
      const groups = new Map<string, number[]>();
      (test.categorical[column] ?? []).forEach((v, i) => {
        const key = v ?? '<null>';
        groups.set(key, [...(groups.get(key) ?? []), i]);
      });
      for (const [value, rows] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
        slices.push({
          column,
          value,
          count: rows.length,
          candidate: candidateScore(rows),
          ...(championScore ? { champion: championScore(rows) } : {}),
        });
      }
    }

    // ---- decision ----
    const primary = primaryMetric(spec);
    const reasons: string[] = [];
    let passed = true;
    for (const [metric, threshold] of Object.entries(spec.evaluation.thresholds)) {
      const value = overall[metric];
      if (value === undefined) {
        passed = false;
        reasons.push(`✗ threshold on unknown metric "${metric}" (known: ${Object.keys(overall).join(', ')})`);
        continue;
      }
      const ok = lowerIsBetter(metric) ? value <= threshold : value >= threshold;
      if (!ok) passed = false;
      reasons.push(
        `${ok ? '✓' : '✗'} ${metric} ${fmt(value)} ${lowerIsBetter(metric) ? (ok ? '≤' : '>') : ok ? '≥' : '<'} ${threshold}`,
      );
    }
    let beatsChampion = true;
    if (championOverall) {
      const cand = overall[primary]!;
      const champ = championOverall[primary]!;
      const regression = lowerIsBetter(primary) ? cand - champ : champ - cand;
      beatsChampion = lowerIsBetter(primary) ? cand < champ : cand > champ;
      const ok = !(regression > spec.evaluation.maxRegression);
      if (!ok) passed = false;
      reasons.push(
        `${ok ? '✓' : '✗'} ${primary} ${fmt(cand)} vs champion v${championVersion} ${fmt(champ)} (regression ${fmt(Math.max(regression, 0))}, max ${spec.evaluation.maxRegression})`,
      );
    } else {
      reasons.push(
        championNote
          ? `· no champion comparison: ${championNote}`
          : '· no champion yet: nothing to compare against',
      );
    }

    const { evaluationReport: reportKey, modelCard: cardKey } = keys.run(runId);
    const summary: EvaluationSummary = {
      passed,
      reasons,
      primaryMetric: primary,
      metrics: { ...overall, testRows: test.length },
      ...(championVersion !== undefined && championOverall
        ? { championVersion, championMetrics: championOverall }
        : {}),
      beatsChampion,
      reportKey,
      cardKey,
    };
    await store.putJson(reportKey, {
      runId,
      spec: spec.name,
      model: spec.model,
      dataset: { name: manifest.name, sha256: manifest.sha256 },
      ...summary,
      slices,
      training,
      predictionReference,
      createdAt: deps.now().toISOString(),
    });
    await store.put(cardKey, renderModelCard({ spec, manifest, training, summary, slices, runId }), {
      contentType: 'text/markdown',
    });

    const ts = deps.now().toISOString();
    const rows: WarehouseRowInput<'evaluations'>[] = [];
    const push = (
      subject: 'candidate' | 'champion',
      m: Metrics,
      count: number,
      column: string | null,
      value: string | null,
    ) => {
      for (const [metric, v] of Object.entries(m)) {
        rows.push({
          run_id: runId,
          model: spec.model,
          version: subject === 'champion' ? (championVersion ?? null) : null,
          subject,
          slice_column: column,
          slice_value: value,
          metric,
          value: v,
          count,
          ts,
        });
      }
    };
    push('candidate', overall, test.length, null, null);
    if (championOverall) push('champion', championOverall, test.length, null, null);
    for (const s of slices) {
      push('candidate', s.candidate, s.count, s.column, s.value);
      if (s.champion) push('champion', s.champion, s.count, s.column, s.value);
    }
    await metrics.append('evaluations', rows, {
      model: spec.model,
      part: warehousePart(`${runId}-evaluation`),
    });
    return summary;
  }
}
