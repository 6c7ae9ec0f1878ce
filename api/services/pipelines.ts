// The pipelines resource without HTTP: list, read and register specs (validated, webhook target checked,
// privileged fields guarded), keeping the pipeline's schedules in line. Refusals are domain errors.
import type { Identity } from '../../core/auth/tokens.js';
import type { PipelineRecord } from '../../core/pipelines/catalog.js';
import { parseSpec, SpecError } from '../../core/spec/load.js';
import { PrivilegedFieldError, privilegedRoles } from '../../core/spec/privileged.js';
import { redactedUrl, redactSpec } from '../../core/webhooks/secrets.js';
import { checkWebhookUrl, WebhookTargetRefusedError } from '../../core/webhooks/target.js';
import type { ApiDeps } from '../deps.js';
import { InvalidSpecError, PrivilegedChangeRefusedError } from './errors.js';
import { syncMonitorSchedule } from './monitor-schedules.js';
import { onPipelineChanged } from './schedules.js';

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

export function createPipelinesService(deps: ApiDeps) {
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
     * Registers `body` as the spec of `pipeline`; the record is returned unredacted, for `afterRegistered`.
     * The caller records `audit` before calling that, so a schedule refused afterwards is audited with it.
     */
    async register(
      pipeline: string,
      body: unknown,
      who: Identity,
    ): Promise<{ record: PipelineRecord; created: boolean; audit: RegistrationAudit }> {
      const spec = await validSpec(pipeline, body);
      let put;
      try {
        put = await deps.pipelines.put(spec, { name: who.name, role: who.role });
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
      const { record, created } = put;
      const audit: RegistrationAudit = {
        before: {
          specHash: put.previous?.specHash ?? null,
          privileged: Object.fromEntries(
            put.privilegedChanges.map((c) => [c.field, audited(c.field, c.before)]),
          ),
        },
        after: {
          specHash: record.specHash,
          privileged: Object.fromEntries(
            put.privilegedChanges.map((c) => [c.field, audited(c.field, c.after)]),
          ),
        },
      };
      return { record, created, audit };
    },

    /** Brings the pipeline's schedules in line with its new spec; returns the record as answers show it. */
    async afterRegistered(record: PipelineRecord): Promise<PipelineRecord> {
      await onPipelineChanged(deps, record);
      await syncMonitorSchedule(deps, record);
      return redacted(record);
    },
  };
}

export type PipelinesService = ReturnType<typeof createPipelinesService>;
