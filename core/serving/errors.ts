// Errors of model serving: what a caller did wrong (input, deployment changes) and what is missing.
// The API maps them to problem+json (404, 400, 409); the rollout workflow's activities to failure types.

/** One broken rule, named by where it broke (`rows[3].age`, `routes[1].weight`). */
export interface FieldError {
  field: string;
  rule: string;
}

function describe(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.rule}`).join('; ');
}

/** Thrown when a model has no deployment state and no champion, so nothing can answer for it. */
export class NotDeployedError extends Error {
  override readonly name = 'NotDeployedError';
  constructor(readonly model: string) {
    super(`model "${model}" is not deployed: it has no deployment state and no champion version`);
  }
}

/** Thrown when a deployed version cannot be loaded (missing or corrupt artifacts, storage down); `cause` has the details. */
export class ModelUnavailableError extends Error {
  override readonly name = 'ModelUnavailableError';
  constructor(
    readonly model: string,
    options: { cause: unknown },
  ) {
    super(`model "${model}" is deployed but could not be loaded; the server log has the cause`, options);
  }
}

/** Thrown when prediction or feedback input does not fit the model's input schema; names every problem found. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(readonly errors: readonly FieldError[]) {
    super(describe(errors));
  }
}

/** Thrown when a deployment change breaks a rule (weights, unknown or rejected versions). */
export class InvalidDeploymentError extends Error {
  override readonly name = 'InvalidDeploymentError';
  constructor(
    readonly model: string,
    readonly errors: readonly FieldError[],
  ) {
    super(`invalid deployment of "${model}": ${describe(errors)}`);
  }
}

/** Thrown when a deployment change expected a revision that is no longer the current one. */
export class DeploymentConflictError extends Error {
  override readonly name = 'DeploymentConflictError';
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
export class PredictionNotFoundError extends Error {
  override readonly name = 'PredictionNotFoundError';
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
export class FeedbackExistsError extends Error {
  override readonly name = 'FeedbackExistsError';
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
