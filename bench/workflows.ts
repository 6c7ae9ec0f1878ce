// The workflows the orchestration benchmark's worker serves: Ferry's real training pipeline and its
// rollout child, exactly as the production worker bundles them, and the bare-chain baseline.
export { rolloutWorkflow, trainingPipelineWorkflow } from '../workflows/index.js';
export { bareActivityChainWorkflow } from './bare-activity-chain-workflow.js';
