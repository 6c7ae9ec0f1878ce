// Errors of model serving: what a caller did wrong (input, deployment changes) and what is missing.
// The API maps them to problem+json (404, 400, 409); the rollout workflow's activities to failure types.
import { codedError, FailureType, type FieldError, typedError } from '../errors.js';

/** One broken rule, named by where it broke (`rows[3].age`, `routes[1].weight`). */
export type { FieldError };

function describe(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.rule}`).join('; ');
}

/** Thrown when a model has no deployment state and no champion, so nothing can answer for it. */
export class NotDeployedError extends codedError(FailureType.NotFound, 'model-not-deployed') {
  constructor(readonly model: string) {
    super(`model "${model}" is not deployed: it has no deployment state and no champion version`);
  }
}

/** Thrown when a deployed version cannot be loaded (missing or corrupt artifacts, storage down); `cause` has the details. */
export class ModelUnavailableError extends codedError(FailureType.Unavailable, 'model-unavailable') {
  constructor(
    readonly model: string,
    options: { cause: unknown },
  ) {
    super(`model "${model}" is deployed but could not be loaded; the server log has the cause`, options);
  }
}

/** Thrown when prediction or feedback input does not fit the model's input schema; names every problem found. */
export class InvalidInputError extends codedError(FailureType.InvalidInput, 'invalid-input') {
  constructor(readonly errors: readonly FieldError[]) {
    super(describe(errors), { fieldErrors: errors });
  }
}

/** Thrown when a deployment change breaks a rule (weights, unknown or rejected versions). */
export class InvalidDeploymentError extends typedError(FailureType.InvalidInput) {
  constructor(
    readonly model: string,
    readonly errors: readonly FieldError[],
  ) {
    super(`invalid deployment of "${model}": ${describe(errors)}`);
  }
}

/** Thrown when a deployment change expected a revision that is no longer the current one. */
export class DeploymentConflictError extends typedError(FailureType.Conflict) {
  constructor(
    readonly model: string,
    readonly expectedRevision: number,
    readonly actualRevision: number,
  ) {
    super(
      `deployment of "${model}" is at revision ${actualRevision}, not the expected ${expectedRevision}; re-read it and retry`,
    );
  }
}

/** Thrown when feedback names a prediction id this model never served successfully (not in the recent ids nor the log). */
export class PredictionNotFoundError extends codedError(FailureType.NotFound, 'prediction-not-found') {
  constructor(
    readonly model: string,
    readonly predictionId: string,
  ) {
    super(
      `model "${model}" never served prediction "${predictionId}" (or it failed); labels are accepted only for served predictions`,
    );
  }
}

/** Thrown when a prediction id already has another label and the caller did not ask to replace it. */
export class FeedbackExistsError extends codedError(FailureType.Conflict, 'feedback-exists') {
  constructor(
    readonly model: string,
    readonly predictionId: string,
    readonly existingLabel: string,
  ) {
    super(
      `prediction "${predictionId}" of "${model}" already has the label "${existingLabel}"; the first label stands unless an approver sends replace: true`,
    );
  }
}
