// The failure vocabulary as workflows see it: defined with Ferry's errors (core/errors.ts), offered
// here so deterministic code imports it from the contracts like every other shared name.
export { FailureType, nonRetryableFailureTypes } from '../errors.js';
