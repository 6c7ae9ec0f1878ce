// Ferry's contracts: everything workflows, activities, the API, the CLI and tests must agree on —
// messages, workflow and activity inputs and results, ids, search attributes, durations and failure
// types. Pure (no I/O), so it is the one module besides @temporalio/workflow that workflows import.
export type { PipelineSpec } from '../pipeline-spec/schema.js';
export * from './activities.js';
export * from './durations.js';
export * from './failures.js';
export * from './ids.js';
export * from './monitor.js';
export * from './pipeline.js';
export * from './queues.js';
export * from './rollout.js';
export * from './search-attributes.js';
