// The pipelines resource without HTTP: list, read and register specs (validated, webhook target checked,
// privileged fields guarded) through the one registration service. Refusals are domain errors.
import type { Identity } from '../../core/auth/tokens.js';
import type { PipelineRecord, SpecSource, SpecVersion } from '../../core/pipelines/spec-store.js';
import { cronPattern, cronRule, timeZones } from '../../core/pipeline-spec/cron.js';
import { parseSpec, SpecError } from '../../core/pipeline-spec/load.js';
import { PrivilegedFieldError, privilegedRoles } from '../../core/pipeline-spec/privileged.js';
import { redactedUrl, redactSpec } from '../../core/webhooks/secrets.js';
import { checkWebhookUrl, WebhookTargetRefusedError } from '../../core/webhooks/target.js';
import type { ApiDeps } from '../deps.js';
import { InvalidSpecError, PrivilegedChangeRefusedError } from './errors.js';
import { createPipelineRegistration, type StoredSpec } from './pipeline-registration.js';
import { checkSpecAgainstDataset } from './spec-dataset-check.js';

/** A record as answers show it: webhook URLs are secrets. */
const redacted = (r: PipelineRecord): PipelineRecord => ({ ...r, spec: redactSpec(r.spec) });

/** A privileged field's value as the audit log records it: a webhook URL only as set or not. */
const audited = (field: string, v: unknown): unknown =>
  field === 'monitoring.webhookUrl' && v !== null ? redactedUrl : v;

/** What a registration changed, for its audit event: the spec hash and the privileged fields, before and after. */
export interface RegistrationAudit {
  before: { specHash: string | null; privileged: Record<string, unknown> };
  after: { specHash: string; privileged: Record<string, unknown> };
}

/** The audit detail of a stored registration: its spec hash and privileged fields, before and after. */
function auditOf(put: StoredSpec): RegistrationAudit {
  const side = (which: 'before' | 'after') =>
    Object.fromEntries(put.privilegedChanges.map((c) => [c.field, audited(c.field, c[which])]));
  return {
    before: { specHash: put.previous?.specHash ?? null, privileged: side('before') },
    after: { specHash: put.record.specHash, privileged: side('after') },
  };
}

export function createPipelinesService(deps: ApiDeps) {
  const registration = createPipelineRegistration(deps);
  /** The spec in `body` for `pipeline`, or an InvalidSpecError naming each field of the body at fault. */
  async function validSpec(pipeline: string, body: unknown) {
    let spec;
    try {
      spec = parseSpec(body, 'request body');
    } catch (err) {
      if (err instanceof SpecError)
        throw new InvalidSpecError(
          err.message,
          err.issues.map((i) => ({ field: `body.${i.path}`, rule: i.rule })),
        );
      throw err;
    }
    if (spec.name !== pipeline)
      throw new InvalidSpecError(`body.name "${spec.name}" must equal the path's pipeline "${pipeline}"`, [
        { field: 'body.name', rule: `must equal "${pipeline}"` },
      ]);
    // Checked before anything is stored (and by a dry run): the patterns the schedule API states too.
    if (spec.schedule && !new RegExp(cronPattern).test(spec.schedule.cron))
      throw new InvalidSpecError(`body.schedule.cron: ${cronRule}`, [
        { field: 'body.schedule.cron', rule: cronRule },
      ]);
    if (spec.schedule && !timeZones.includes(spec.schedule.timezone))
      throw new InvalidSpecError(
        `body.schedule.timezone: must be an IANA time zone such as "Europe/Berlin"`,
        [
          {
            field: 'body.schedule.timezone',
            rule: 'must be an IANA time zone such as "Europe/Berlin" or "UTC"',
          },
        ],
      );
    const webhookUrl = spec.monitoring?.webhookUrl;
    if (webhookUrl) {
      try {
        await checkWebhookUrl(deps.webhookPolicy, webhookUrl, { resolve: 'if-possible' });
      } catch (err) {
        if (err instanceof WebhookTargetRefusedError)
          throw new InvalidSpecError(`body.monitoring.webhookUrl: ${err.rule}`, [
            { field: 'body.monitoring.webhookUrl', rule: `${err.rule} (see FERRY_WEBHOOK_ALLOW)` },
          ]);
        throw err;
      }
    }
    return spec;
  }

  return {
    /** Every registered pipeline by name, webhook URLs redacted. */
    async list(): Promise<PipelineRecord[]> {
      return (await deps.pipelines.list()).sort((a, b) => a.name.localeCompare(b.name)).map(redacted);
    },

    /** One pipeline (PipelineNotFoundError when none is registered under that name), webhook URL redacted. */
    async get(pipeline: string): Promise<PipelineRecord> {
      return redacted(await deps.pipelines.get(pipeline));
    },

    /**
     * Registers `body` as the spec of `pipeline` and syncs its schedules (see pipeline-registration.ts).
     * `onAudit` hears what the stored change was as soon as it is stored, so a schedule refused
     * afterwards is audited with it. `dryRun` checks everything and answers the same, storing nothing.
     */
    async register(
      pipeline: string,
      body: unknown,
      who: Identity,
      onAudit: (audit: RegistrationAudit) => void,
      options: { dryRun?: boolean; source?: SpecSource } = {},
    ): Promise<{ put: StoredSpec; warnings: string[] }> {
      const spec = await validSpec(pipeline, body);
      const { warnings } = await checkSpecAgainstDataset(deps, spec);
      try {
        const put = await registration.register(
          spec,
          { name: who.name, role: who.role },
          (stored) => onAudit(auditOf(stored)),
          options,
        );
        return { put: { ...put, record: redacted(put.record) }, warnings };
      } catch (err) {
        if (err instanceof PrivilegedFieldError)
          throw new PrivilegedChangeRefusedError(
            err.message,
            err.changes.map((c) => ({
              field: `body.${c.field}`,
              rule: `may only be set or changed by role "${privilegedRoles.join('" or "')}"`,
            })),
            {
              before: Object.fromEntries(err.changes.map((c) => [c.field, audited(c.field, c.before)])),
              after: Object.fromEntries(err.changes.map((c) => [c.field, audited(c.field, c.after)])),
            },
          );
        throw err;
      }
    },

    /** The pipeline's spec history, newest first (PipelineNotFoundError when it is not registered). */
    async versions(pipeline: string): Promise<SpecVersion[]> {
      return deps.pipelines.versions(pipeline);
    },

    /** Unregisters the pipeline and deletes its schedules (PipelineNotFoundError when absent); returns what it was. */
    async remove(pipeline: string): Promise<PipelineRecord> {
      return redacted(await registration.unregister(pipeline));
    },
  };
}

export type PipelinesService = ReturnType<typeof createPipelinesService>;
