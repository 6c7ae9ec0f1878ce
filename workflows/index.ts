// Every workflow type the worker serves.
export { pingWorkflow } from './ping.js';
export { trainingPipelineWorkflow } from './training-pipeline.js';
export { rolloutWorkflow } from './rollout.js';
export { monitorWorkflow } from './monitor.js';
