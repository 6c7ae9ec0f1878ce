// /v1/models: the registry's models, versions (with model cards) and alias history, and rollback.
import { Type } from 'typebox';
import type { SpecOverrides } from '../../core/contracts/index.js';
import type { VersionStatus } from '../../core/registry/registry.js';
import { caller } from '../plugins/auth.js';
import { ModelParams, Nullable, SafeName, type TypedApp } from '../schemas.js';
import type { ModelsService } from '../services/models.js';

export const VersionNumber = Type.Integer({
  minimum: 1,
  maximum: 99_999_999,
  description: 'a version number (1, 2, …)',
  examples: [1],
});
const VersionParams = Type.Object(
  { model: SafeName, version: VersionNumber },
  { additionalProperties: false },
);

const Metrics = Type.Record(Type.String(), Type.Number());
const Status = Type.Unsafe<VersionStatus>(
  Type.Union(
    ['candidate', 'champion', 'retired', 'rejected', 'rolled-back'].map((s) => Type.Literal(s)),
    { description: 'candidate → champion → retired or rolled-back; rejected by evaluation or a person' },
  ),
);

const Decision = Type.Object({
  decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
  by: Type.String(),
  comment: Type.String(),
  at: Type.String(),
  runId: Type.String(),
});

const AliasChange = Type.Object({
  model: Type.String(),
  alias: Type.String(),
  version: Type.Integer(),
  fromVersion: Nullable(Type.Integer()),
  actor: Type.String(),
  reason: Type.String(),
  runId: Nullable(Type.String()),
  kind: Type.Optional(Type.Union([Type.Literal('promotion'), Type.Literal('rollback')])),
  at: Type.String(),
});

const ModelSummary = Type.Object({
  model: Type.String(),
  champion: Nullable(Type.Integer()),
  versionCount: Type.Integer(),
  latestVersion: Nullable(Type.Integer()),
});

const VersionSummary = Type.Object({
  version: Type.Integer(),
  status: Status,
  metrics: Metrics,
  createdAt: Type.String(),
  decision: Nullable(Decision),
  datasetSha: Type.String(),
  runId: Type.String(),
});

const ModelDetail = Type.Object({
  model: Type.String(),
  aliases: Type.Record(Type.String(), Type.Integer()),
  versions: Type.Array(VersionSummary),
  history: Type.Array(AliasChange, { description: 'every alias change, oldest first' }),
});

const VersionDetail = Type.Object({
  model: Type.String(),
  version: Type.Integer(),
  status: Status,
  createdAt: Type.String(),
  metrics: Metrics,
  lineage: Type.Object({
    datasetName: Type.String(),
    datasetSha: Type.String(),
    specHash: Type.String({ description: 'hash of the exact spec trained (with run overrides applied)' }),
    baseSpecHash: Type.Optional(
      Type.String({ description: 'with run overrides: the registered spec version they were applied to' }),
    ),
    overrides: Type.Optional(
      Type.Unsafe<SpecOverrides>(
        Type.Record(Type.String(), Type.Unknown(), {
          description: 'with run overrides: what the run changed',
        }),
      ),
    ),
    codeRevision: Type.String(),
    runId: Type.String(),
    backend: Type.String(),
    seeds: Type.Object({ split: Type.Integer(), training: Type.Integer() }),
  }),
  inputSchema: Type.Object({
    numeric: Type.Array(Type.String()),
    categorical: Type.Array(Type.String()),
    label: Type.String(),
    classes: Type.Optional(Type.Array(Type.String())),
    nulls: Type.Optional(
      Type.Union([Type.Literal('impute'), Type.Literal('refuse')], {
        description: 'what serving does with a null feature (absent: impute)',
      }),
    ),
  }),
  artifacts: Type.Object({
    modelPrefix: Type.String(),
    preprocessingKey: Type.String(),
    evaluationKey: Type.String(),
    cardKey: Type.String(),
    validationKey: Type.String(),
  }),
  rejectionReasons: Type.Array(Type.String()),
  decision: Nullable(Decision),
  aliases: Type.Array(Type.String(), { description: 'aliases that point at this version now' }),
  modelCard: Nullable(Type.String({ description: 'the model card (markdown)' })),
});

const RollbackBody = Type.Object(
  {
    toVersion: VersionNumber,
    reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
  },
  {
    additionalProperties: false,
    examples: [{ toVersion: 1, reason: 'version 2 misclassifies the new region' }],
  },
);

const RollbackResult = Type.Object({
  model: Type.String(),
  champion: Type.Integer(),
  fromVersion: Nullable(Type.Integer()),
  at: Type.String(),
});

export function modelRoutes(app: TypedApp, models: ModelsService): void {
  app.get(
    '/v1/models',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['models'],
        summary: 'List models with their champion and version count',
        response: { 200: Type.Object({ models: Type.Array(ModelSummary) }) },
      },
    },
    async () => models.list(),
  );

  app.get(
    '/v1/models/:model',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['models'],
        summary: 'A model: its versions (with decisions), aliases and alias history',
        params: ModelParams,
        response: { 200: ModelDetail },
      },
    },
    async (req) => models.get(req.params.model),
  );

  app.get(
    '/v1/models/:model/versions/:version',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['models'],
        summary: 'One version: metrics, lineage, input schema, artifacts, decision and model card',
        params: VersionParams,
        response: { 200: VersionDetail },
      },
    },
    async (req) => {
      const { model, version } = req.params;
      return models.version(model, version);
    },
  );

  app.post(
    '/v1/models/:model/rollback',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['models'],
        summary: 'Point the champion alias back at an earlier version (identity from the token)',
        params: ModelParams,
        body: RollbackBody,
        response: { 200: RollbackResult },
      },
    },
    async (req) => {
      const { model } = req.params;
      const { toVersion, reason } = req.body;
      const result = await models.rollback(model, toVersion, reason.trim(), caller(req), req.id);
      req.auditDetail = {
        before: { champion: result.fromVersion },
        after: { champion: result.champion },
        detail: reason.trim(),
      };
      return result;
    },
  );
}
