// Registering a pipeline, the one way start-up (the pipelines/ directory) and PUT /v1/pipelines/{name}
// both do it: store the spec version in the spec store, then bring the pipeline's retraining and monitor
// schedules in line with it.
import { ScheduleNotFoundError } from '@temporalio/client';
import { monitorScheduleId, trainingScheduleId } from '../../core/contracts/index.js';
import type {
  PipelineRecord,
  PipelineSpecStore,
  SpecAuthor,
  SpecSource,
} from '../../core/pipelines/spec-store.js';
import { loadSpecDir } from '../../core/pipeline-spec/load.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import type { ApiDeps } from '../deps.js';
import { syncMonitorSchedule } from './monitor-schedules.js';
import { createSchedulesService, type SyncResult } from './schedules.js';

/** What the spec store answered for a registration. */
export type StoredSpec = Awaited<ReturnType<PipelineSpecStore['put']>>;

/** What start-up registered and how each pipeline's schedules were synced. */
export interface DirectoryRegistration {
  pipelines: string[];
  schedules: SyncResult[];
  monitors: { pipeline: string; outcome: Awaited<ReturnType<typeof syncMonitorSchedule>> }[];
}

export function createPipelineRegistration(deps: ApiDeps) {
  const schedules = createSchedulesService(deps);

  /** Start-up's author: the host's operator, trusted as admin and audited as such. */
  async function auditStartup(put: StoredSpec): Promise<void> {
    await deps.audit.append({
      who: 'system:startup',
      role: 'admin',
      action: 'register pipeline from the pipelines directory',
      target: `/v1/pipelines/${put.record.name}`,
      status: put.created ? 201 : 200,
      result: 'ok',
      requestId: `startup-${put.record.specHash.slice(0, 12)}`,
      before: {
        specHash: put.previous?.specHash ?? null,
        privileged: Object.fromEntries(put.privilegedChanges.map((c) => [c.field, c.before])),
      },
      after: {
        specHash: put.record.specHash,
        privileged: Object.fromEntries(put.privilegedChanges.map((c) => [c.field, c.after])),
      },
    });
  }

  return {
    /**
     * Registers a spec through the API: stores it (PrivilegedFieldError for a role that may not change
     * its privileged fields), tells `onStored` (the audit detail must show a stored change even when
     * a schedule then fails), then syncs the schedules; a schedule the spec cannot make is a 400.
     * `dryRun` makes every check and answers the same, but stores nothing and syncs no schedule.
     */
    async register(
      spec: PipelineSpec,
      author: SpecAuthor,
      onStored?: (put: StoredSpec) => void,
      options: { dryRun?: boolean; source?: SpecSource } = {},
    ): Promise<StoredSpec> {
      const source = options.source ? { source: options.source } : {};
      if (options.dryRun) return deps.pipelines.plan(spec, author, source);
      const put = await deps.pipelines.put(spec, author, source);
      onStored?.(put);
      await schedules.onPipelineChanged(put.record);
      await syncMonitorSchedule(deps, put.record);
      return put;
    },

    /**
     * Unregisters a pipeline (PipelineNotFoundError when absent) and deletes its retraining and monitor
     * schedules; its runs, models and spec versions stay. A spec in the pipelines directory comes back
     * at the next start-up.
     */
    async unregister(pipeline: string): Promise<PipelineRecord> {
      const record = await deps.pipelines.remove(pipeline);
      for (const id of [trainingScheduleId(pipeline), monitorScheduleId(pipeline)]) {
        try {
          await deps.client.schedule.getHandle(id).delete();
        } catch (err) {
          if (!(err instanceof ScheduleNotFoundError)) throw err;
        }
      }
      return record;
    },

    /**
     * Start-up: registers every spec in the directory (unchanged ones are no-ops, changed ones are
     * audited) and syncs every pipeline's schedules, so a schedule deleted through the API comes back.
     * One pipeline's retraining schedule failing is reported in its result and does not stop the others.
     */
    async registerDirectory(dir: string): Promise<DirectoryRegistration> {
      const result: DirectoryRegistration = { pipelines: [], schedules: [], monitors: [] };
      for (const spec of await loadSpecDir(dir)) {
        const put = await deps.pipelines.put(spec, 'system:startup');
        if (put.changed) await auditStartup(put);
        result.pipelines.push(spec.name);
        result.schedules.push(await schedules.sync(put.record));
        result.monitors.push({ pipeline: spec.name, outcome: await syncMonitorSchedule(deps, put.record) });
      }
      return result;
    },
  };
}

/** Registers the pipelines directory at start-up (see registerDirectory); returns their names. */
export async function registerPipelineDir(deps: ApiDeps, dir: string): Promise<string[]> {
  return (await createPipelineRegistration(deps).registerDirectory(dir)).pipelines;
}
