// One monitoring pass over a model's recent traffic, started by its Temporal Schedule: compute the
// window's numbers, and when drift or online accuracy crosses the threshold start (at most one)
// retraining run with FerryTrigger=drift, recording why.
import { log, patched, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { nonRetryableFailureTypes, type MonitorInput, type MonitorResult } from '../core/contracts/index.js';

const act = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '2s',
    maximumInterval: '1 minute',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [...nonRetryableFailureTypes],
  },
});

const notify = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

export async function monitorWorkflow(input: MonitorInput): Promise<MonitorResult> {
  const end = new Date(Date.now());
  const start = new Date(end.getTime() - input.windowMs);
  const findings = await act.computeMonitoring({
    runId: workflowInfo().workflowId,
    spec: input.spec,
    windowStart: start.toISOString(),
    windowEnd: end.toISOString(),
  });
  let retraining: MonitorResult['retraining'] = null;
  if (findings.retrainReason) {
    retraining = await act.startDriftRetraining({
      spec: input.spec,
      reason: findings.retrainReason,
      ...(input.webhook ? { webhook: input.webhook } : {}),
    });
    log.info('drift retraining', { reason: findings.retrainReason, ...retraining });
    // Passes started before references carry the URL in the spec; newer ones only a reference.
    const url = input.spec.monitoring?.webhookUrl;
    const target =
      input.webhook && patched('webhook-by-reference') ? { ref: input.webhook } : url ? { url } : undefined;
    if (target) {
      // Best effort: the retraining already started; a receiver that is down must not fail the pass.
      await notify
        .notifyWebhook({
          ...target,
          event: 'drift-detected',
          payload: {
            model: input.spec.model,
            reason: findings.retrainReason,
            runId: retraining.runId,
            started: retraining.started,
          },
        })
        .catch((err: Error) => log.warn('drift webhook failed', { error: err.message }));
    }
  }
  setCurrentDetails(
    `**monitor** \`${input.spec.model}\` ${start.toISOString()} → ${end.toISOString()}: ${findings.predictions} predictions, max feature PSI ${findings.maxFeaturePsi?.toFixed(3) ?? 'n/a'}` +
      (findings.retrainReason
        ? `\n\nretraining: ${findings.retrainReason} → ${retraining?.runId} (${retraining?.started ? 'started' : 'already running'})`
        : ''),
  );
  return { findings, retraining };
}
