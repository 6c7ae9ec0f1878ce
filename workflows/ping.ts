// A minimal workflow that round-trips an artifact through an activity: proves worker, Temporal and
// object storage are wired together.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { RoundTripResult } from '../activities/artifacts.js';

const { roundTripArtifact } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

export interface PingInput {
  key: string;
  content: string;
}

export async function pingWorkflow(input: PingInput): Promise<RoundTripResult> {
  return await roundTripArtifact(input);
}
