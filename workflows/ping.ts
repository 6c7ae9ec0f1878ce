// A minimal workflow that round-trips an artifact through an activity: proves worker, Temporal and
// object storage are wired together.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { RoundTripInput, RoundTripResult } from '../core/contracts/index.js';

const { roundTripArtifact } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

export async function pingWorkflow(input: RoundTripInput): Promise<RoundTripResult> {
  return await roundTripArtifact(input);
}
