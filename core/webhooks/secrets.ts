// Webhook URLs are secrets (they often carry a token): API answers show a marker instead, and Temporal
// inputs carry a reference to the registered spec version, resolved inside the activity that sends.
import type { FerryConfig } from '../config.js';
import type { WebhookRef } from '../contracts/index.js';
import type { PipelineSpec } from '../pipeline-spec/schema.js';
import type { WebhookTargetPolicy } from './target.js';

/** What API answers show in place of a webhook URL. */
export const redactedUrl = '[redacted]';

/** The spec as API answers show it: the webhook URL replaced by {@link redactedUrl}. */
export function redactSpec<S extends PipelineSpec>(spec: S): S {
  if (!spec.monitoring?.webhookUrl) return spec;
  return { ...spec, monitoring: { ...spec.monitoring, webhookUrl: redactedUrl } };
}

/** The spec as it may enter Temporal (workflow and schedule inputs): without the webhook URL. */
export function specForHistory(spec: PipelineSpec): PipelineSpec {
  if (!spec.monitoring?.webhookUrl) return spec;
  const { webhookUrl: _omitted, ...monitoring } = spec.monitoring;
  return { ...spec, monitoring };
}

/** The reference a workflow passes for the spec version's webhook, or undefined when it has none. */
export function webhookRefOf(spec: PipelineSpec, specHash: string): WebhookRef | undefined {
  return spec.monitoring?.webhookUrl ? { pipeline: spec.name, specHash } : undefined;
}

/** The target policy from config: its allowlist and the ports of the stack's own servers. */
export function webhookPolicyOf(c: FerryConfig): WebhookTargetPolicy {
  const portOf = (url: string, fallback: number) => {
    try {
      const u = new URL(url.includes('://') ? url : `http://${url}`);
      return u.port ? Number(u.port) : fallback;
    } catch {
      return fallback;
    }
  };
  return {
    allow: c.webhooks.allow,
    ownPorts: [
      ...new Set([
        c.temporal.port,
        c.temporal.uiPort,
        c.temporal.httpPort,
        portOf(c.temporal.address, c.temporal.port),
        c.s3.minioPort,
        c.s3.consolePort,
        portOf(c.s3.endpoint, c.s3.minioPort),
        c.api.port,
        c.worker.port,
      ]),
    ],
  };
}
