// The pipeline spec: what a pipeline trains, on which data, how it is checked and approved.
// One schema serves the files in pipelines/, the API and the workflow input.
import { z } from 'zod';

const safeName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'must be 1–63 lowercase letters, digits, "_" or "-", starting with a letter or digit',
  );
const columnName = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'must be a plain column name (letters, digits, "_", not starting with a digit)',
  );
const fraction = z.number().gt(0, 'must be greater than 0').lt(1, 'must be less than 1');
const duration = z
  .string()
  .regex(/^[0-9]+(ms|s|m|h|d)$/, 'must be a duration such as "500ms", "30s", "10m", "2h" or "7d"');

export const TaskType = { Binary: 'binary', Multiclass: 'multiclass', Regression: 'regression' } as const;
export type TaskType = (typeof TaskType)[keyof typeof TaskType];

export const ApprovalPolicy = { Manual: 'manual', Auto: 'auto', AutoIfBetter: 'auto-if-better' } as const;
export type ApprovalPolicy = (typeof ApprovalPolicy)[keyof typeof ApprovalPolicy];

const numericRange = z
  .object({ min: z.number().optional(), max: z.number().optional() })
  .strict()
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'min must not exceed max');

export const pipelineSpecSchema = z
  .object({
    name: safeName,
    description: z.string().max(500, 'must be at most 500 characters').optional(),
    model: safeName.describe('registry name of the model this pipeline produces'),
    dataset: z
      .object({
        name: safeName,
        snapshot: z
          .string()
          .regex(/^[a-f0-9]{64}$/, 'must be a sha256 snapshot hash (64 hex characters)')
          .optional()
          .describe("pin a snapshot; default is the dataset's latest"),
        label: columnName,
        features: z
          .union([z.literal('all-but-label'), z.array(columnName).min(1, 'must name at least one column')])
          .default('all-but-label'),
        categorical: z.array(columnName).default([]),
      })
      .strict(),
    task: z.enum(['binary', 'multiclass', 'regression']),
    split: z
      .object({
        test: fraction.default(0.2),
        validation: fraction.default(0.1),
        seed: z.number().int('must be an integer').nonnegative('must be ≥ 0').default(42),
      })
      .strict()
      .refine((s) => s.test + s.validation < 0.9, 'test + validation must leave at least 10% for training')
      .default({ test: 0.2, validation: 0.1, seed: 42 }),
    training: z
      .object({
        hiddenLayers: z
          .array(z.number().int('must be an integer').min(1, 'must be ≥ 1').max(4096, 'must be ≤ 4096'))
          .max(8, 'at most 8 layers')
          .default([32, 16]),
        activation: z.enum(['relu', 'tanh', 'sigmoid', 'elu']).default('relu'),
        epochs: z
          .number()
          .int('must be an integer')
          .min(1, 'must be ≥ 1')
          .max(1000, 'must be ≤ 1000')
          .default(20),
        batchSize: z
          .number()
          .int('must be an integer')
          .min(1, 'must be ≥ 1')
          .max(65536, 'must be ≤ 65536')
          .default(64),
        learningRate: z.number().gt(0, 'must be > 0').max(1, 'must be ≤ 1').default(0.01),
        seed: z.number().int('must be an integer').nonnegative('must be ≥ 0').default(7),
        earlyStopping: z
          .object({
            patience: z.number().int('must be an integer').min(1, 'must be ≥ 1').default(3),
            minDelta: z.number().nonnegative('must be ≥ 0').default(0.001),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({
        hiddenLayers: [32, 16],
        activation: 'relu',
        epochs: 20,
        batchSize: 64,
        learningRate: 0.01,
        seed: 7,
      }),
    validation: z
      .object({
        minRows: z.number().int('must be an integer').nonnegative('must be ≥ 0').default(100),
        maxNullFraction: z.number().min(0, 'must be ≥ 0').max(1, 'must be ≤ 1').default(0.05),
        maxDuplicateFraction: z.number().min(0, 'must be ≥ 0').max(1, 'must be ≤ 1').default(0.01),
        /** Smallest share of the rarest class (classification only). */
        minClassFraction: z.number().min(0, 'must be ≥ 0').max(0.5, 'must be ≤ 0.5').default(0.05),
        ranges: z.record(columnName, numericRange).default({}),
        domains: z.record(columnName, z.array(z.string()).min(1, 'must list at least one value')).default({}),
        /** PSI against the champion's training data: above `warn` is a warning, above `fail` a hard failure. */
        drift: z
          .object({
            warn: z.number().positive('must be > 0').default(0.1),
            fail: z.number().positive('must be > 0').default(0.25),
          })
          .strict()
          .refine((d) => d.warn <= d.fail, 'warn must not exceed fail')
          .default({ warn: 0.1, fail: 0.25 }),
      })
      .strict()
      .default({
        minRows: 100,
        maxNullFraction: 0.05,
        maxDuplicateFraction: 0.01,
        minClassFraction: 0.05,
        ranges: {},
        domains: {},
        drift: { warn: 0.1, fail: 0.25 },
      }),
    evaluation: z
      .object({
        primaryMetric: z
          .enum(['accuracy', 'f1', 'auc', 'precision', 'recall', 'rmse', 'mae', 'r2'])
          .optional(),
        /** Absolute floors (or ceilings for error metrics like rmse, logLoss). */
        thresholds: z.record(z.string(), z.number()).default({}),
        /** Largest allowed drop of the primary metric versus the champion on the same rows. */
        maxRegression: z.number().nonnegative('must be ≥ 0').default(0.02),
        slices: z.array(columnName).default([]),
      })
      .strict()
      .default({ thresholds: {}, maxRegression: 0.02, slices: [] }),
    approval: z
      .object({
        policy: z.enum(['manual', 'auto', 'auto-if-better']).default('manual'),
        timeout: duration.default('7d'),
        onTimeout: z.enum(['reject', 'approve']).default('reject'),
        /** Four-eyes rule: the approver must not be who triggered the run. */
        fourEyes: z.boolean().default(true),
      })
      .strict()
      .default({ policy: 'manual', timeout: '7d', onTimeout: 'reject', fourEyes: true }),
    rollout: z
      .object({
        strategy: z.enum(['direct', 'shadow', 'canary']).default('direct'),
        /** Candidate traffic per canary step, in percent; the last step must be 100. */
        steps: z
          .array(z.number().int('must be an integer').min(1, 'must be ≥ 1').max(100, 'must be ≤ 100'))
          .min(1, 'must list at least one step')
          .max(10, 'at most 10 steps')
          .refine((a) => a.every((v, i) => i === 0 || v > a[i - 1]!), 'must increase strictly')
          .refine((a) => a.at(-1) === 100, 'the last step must be 100')
          .default([10, 50, 100]),
        bake: duration.default('10m'),
        guards: z
          .object({
            maxErrorRate: z.number().min(0, 'must be ≥ 0').max(1, 'must be ≤ 1').default(0.01),
            maxP99LatencyMs: z.number().positive('must be > 0').default(250),
            maxPredictionPsi: z.number().positive('must be > 0').default(0.25),
            minOnlineAccuracy: z.number().min(0, 'must be ≥ 0').max(1, 'must be ≤ 1').optional(),
            minLabels: z.number().int('must be an integer').nonnegative('must be ≥ 0').default(50),
            /** Fewer candidate requests than this in a bake window fail the guard: no traffic is not 0 % errors. */
            minRequests: z.number().int('must be an integer').min(1, 'must be ≥ 1').default(20),
          })
          .strict()
          .default({
            maxErrorRate: 0.01,
            maxP99LatencyMs: 250,
            maxPredictionPsi: 0.25,
            minLabels: 50,
            minRequests: 20,
          }),
      })
      .strict()
      .default({
        strategy: 'direct',
        steps: [10, 50, 100],
        bake: '10m',
        guards: {
          maxErrorRate: 0.01,
          maxP99LatencyMs: 250,
          maxPredictionPsi: 0.25,
          minLabels: 50,
          minRequests: 20,
        },
      }),
    serving: z
      .object({
        /**
         * A `null` feature in a prediction request: `impute` encodes it as training encoded nulls
         * (numeric → the training mean, categorical → the unknown-category slot), `refuse` answers 400.
         */
        nulls: z.enum(['impute', 'refuse']).default('impute'),
      })
      .strict()
      .default({ nulls: 'impute' }),
    monitoring: z
      .object({
        enabled: z.boolean().default(true),
        /** How often the monitor runs (a Temporal Schedule) and how far back each run looks. */
        interval: duration.default('1h'),
        window: duration.default('1h'),
        /** Largest feature or prediction PSI before a retraining run starts. */
        driftThreshold: z.number().positive('must be > 0').default(0.25),
        minOnlineAccuracy: z.number().min(0, 'must be ≥ 0').max(1, 'must be ≤ 1').optional(),
        minLabels: z.number().int('must be an integer').nonnegative('must be ≥ 0').default(50),
        /** Fewer predictions than this in the window: nothing is concluded. */
        minPredictions: z.number().int('must be an integer').nonnegative('must be ≥ 0').default(100),
        webhookUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      })
      .strict()
      .optional(),
    schedule: z
      .object({
        cron: z.string().regex(/^(\S+\s+){4}\S+$/, 'must be a 5-field cron expression such as "0 2 * * *"'),
        timezone: z.string().min(1, 'must not be empty').default('UTC'),
        enabled: z.boolean().default(true),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const features = spec.dataset.features;
    if (Array.isArray(features) && features.includes(spec.dataset.label)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dataset', 'features'],
        message: `must not include the label column "${spec.dataset.label}"`,
      });
    }
    for (const [i, col] of spec.dataset.categorical.entries()) {
      if (col === spec.dataset.label) {
        ctx.addIssue({
          code: 'custom',
          path: ['dataset', 'categorical', i],
          message: 'must not be the label column',
        });
      } else if (Array.isArray(features) && !features.includes(col)) {
        ctx.addIssue({
          code: 'custom',
          path: ['dataset', 'categorical', i],
          message: `"${col}" is not one of dataset.features`,
        });
      }
    }
    const primary = spec.evaluation.primaryMetric;
    const regressionMetrics = ['rmse', 'mae', 'r2'];
    if (primary && (spec.task === 'regression') !== regressionMetrics.includes(primary)) {
      ctx.addIssue({
        code: 'custom',
        path: ['evaluation', 'primaryMetric'],
        message: `"${primary}" does not apply to task "${spec.task}"`,
      });
    }
    for (const [i, col] of spec.evaluation.slices.entries()) {
      if (!spec.dataset.categorical.includes(col)) {
        ctx.addIssue({
          code: 'custom',
          path: ['evaluation', 'slices', i],
          message: `"${col}" must be one of dataset.categorical`,
        });
      }
    }
  });

/** The rules `superRefine` above adds across fields, in words, for the spec reference (keep them in step). */
export const crossFieldRules: readonly string[] = [
  '`dataset.features` must not include the label column.',
  '`dataset.categorical` must not hold the label, and each entry must be one of `dataset.features` (when that is a list).',
  '`evaluation.primaryMetric` must suit the task: `rmse`, `mae` or `r2` for regression, the others for classification.',
  '`evaluation.slices` must each be one of `dataset.categorical`.',
  'Each `validation.ranges` entry has `min` ≤ `max`; `validation.drift.warn` ≤ `validation.drift.fail`.',
  '`split.test` + `split.validation` must leave at least 10% of rows for training.',
  '`rollout.steps` must increase strictly and end at 100.',
];

/** A pipeline spec as written by a user (defaults may be omitted). */
export type PipelineSpecInput = z.input<typeof pipelineSpecSchema>;
/** A validated pipeline spec with every default filled in. */
export type PipelineSpec = z.output<typeof pipelineSpecSchema>;

/** The primary metric used to compare versions, from the spec or the task's default. */
export function primaryMetric(spec: PipelineSpec): string {
  return (
    spec.evaluation.primaryMetric ??
    (spec.task === 'regression' ? 'rmse' : spec.task === 'binary' ? 'auc' : 'f1')
  );
}

/** True when a smaller value of the metric is better. */
export function lowerIsBetter(metric: string): boolean {
  return ['rmse', 'mae', 'logLoss'].includes(metric);
}
