// validateDataset: DuckDB checks over the snapshot, a JSON report in object storage, one metrics
// row per check; hard failures end the run with a non-retryable failure naming every failed check.
import { isDeepStrictEqual } from 'node:util';
import { ApplicationFailure } from '@temporalio/activity';
import { openDuckDb } from '../core/data/duckdb.js';
import { DataWriter } from '../core/datasets/catalog.js';
import { type ReferenceProfile, runValidation, summarizeChecks } from '../core/datasets/validation.js';
import { FailureType } from '../core/errors.js';
import type { ValidationSummary } from '../core/contracts/index.js';
import type { PipelineSpec } from '../core/pipeline-spec/schema.js';
import { warehousePart } from '../core/warehouse/writer.js';
import { ifFound } from '../core/storage/errors.js';
import { keys } from '../core/storage/keys.js';
import type { ActivityDeps } from './deps.js';
import { withHeartbeat } from './heartbeat.js';
import type { ValidateDatasetInput } from '../core/contracts/index.js';

export function createValidateActivities(deps: ActivityDeps) {
  const { catalog, registry, metrics, store } = deps;

  /** The training snapshot of the model's current champion, the reference for drift, with its stored
   * profile. The snapshot is immutable, so a profile stored beside it stays valid forever. */
  async function championReference(
    spec: PipelineSpec,
  ): Promise<
    { path: string; profileKey: string; profile?: ReferenceProfile; writtenByFerry: boolean } | undefined
  > {
    const champion = (await registry.aliases(spec.model)).champion;
    if (champion === undefined) return undefined;
    const version = await registry.getVersion(spec.model, champion);
    const manifest = await catalog.manifest(version.lineage.datasetName, version.lineage.datasetSha);
    const profileKey = keys.dataset(manifest.name).snapshot(manifest.sha256).profile;
    const profile = await ifFound(store.getJson<ReferenceProfile>(profileKey));
    return {
      path: await catalog.localParquet(manifest),
      profileKey,
      profile,
      writtenByFerry: manifest.dataWriter === DataWriter.Ferry,
    };
  }

  return {
    validateDataset(input: ValidateDatasetInput): Promise<ValidationSummary> {
      // A scan of a large snapshot takes a while; heartbeats let a dead worker be noticed in seconds.
      return withHeartbeat({ phase: 'validating' }, () => validate(input));
    },
  };

  async function validate(input: ValidateDatasetInput): Promise<ValidationSummary> {
    const { spec, runId } = input;
    // A missing dataset (DatasetNotFoundError) fails the run as NotFound through the activity interceptor.
    const manifest = await catalog.resolve(spec.dataset.name, input.datasetSnapshot ?? spec.dataset.snapshot);
    const dataPath = await catalog.localParquet(manifest);
    const reference = await championReference(spec);
    const referencePath = reference?.path;
    const db = await openDuckDb();
    let result;
    try {
      result = await runValidation({
        db,
        dataPath,
        referencePath,
        referenceProfile: reference?.profile,
        spec,
        schema: manifest.schema,
        // Ferry's record of how each snapshot was written decides whether footers are believed.
        dataWrittenByFerry: manifest.dataWriter === DataWriter.Ferry,
        referenceWrittenByFerry: reference?.writtenByFerry,
      });
    } finally {
      db.close();
    }
    const { checks } = result;
    // Store the profile when this run computed any of it (a first run, or features new to it).
    if (
      reference &&
      result.referenceProfile &&
      !isDeepStrictEqual(result.referenceProfile, reference.profile)
    ) {
      await store.putJson(reference.profileKey, result.referenceProfile);
    }
    const summary = summarizeChecks(checks);
    const reportKey = keys.run(runId).validationReport;
    await store.putJson(reportKey, {
      runId,
      dataset: { name: manifest.name, sha256: manifest.sha256, rowCount: manifest.rowCount },
      reference: referencePath ? 'champion training snapshot' : null,
      passed: summary.passed,
      checks,
      createdAt: deps.now().toISOString(),
    });
    const ts = deps.now().toISOString();
    await metrics.append(
      'validation_checks',
      checks.map((c) => ({
        run_id: runId,
        model: spec.model,
        dataset_sha: manifest.sha256,
        check_name: c.check,
        column_name: c.column ?? null,
        severity: c.severity,
        passed: c.passed,
        observed: c.observed,
        threshold: c.threshold,
        message: c.message,
        ts,
      })),
      { model: spec.model, part: warehousePart(`${runId}-validation`) },
    );
    if (!summary.passed)
      throw ApplicationFailure.nonRetryable(
        `dataset ${manifest.name}@${manifest.sha256.slice(0, 12)} failed validation (report: ${reportKey}):\n${summary.failureMessage}`,
        FailureType.ValidationFailed,
        { reportKey, failed: summary.errors.map((c) => c.message) },
      );
    return {
      datasetSha: manifest.sha256,
      rowCount: manifest.rowCount,
      passed: true,
      errors: 0,
      warnings: summary.warnings.map((w) => w.message),
      reportKey,
    };
  }
}
