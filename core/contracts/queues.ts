// Ferry's two task queues and which activities belong to the training one. The workflow routes these
// activities there; a train-only worker registers only these.

/** The kinds of task queue a worker process can serve. */
export const workerQueueKinds = ['pipeline', 'train'] as const;
export type WorkerQueueKind = (typeof workerQueueKinds)[number];

/**
 * CPU- or scan-heavy activities, run on the training queue: a full dataset scan (validation),
 * training and evaluation. Everything else is seconds of bookkeeping and stays on the pipeline queue.
 */
export const trainQueueActivities = ['validateDataset', 'trainModel', 'evaluateModel'] as const;
export type TrainQueueActivity = (typeof trainQueueActivities)[number];
