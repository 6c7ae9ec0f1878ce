// Errors raised by the object store, independent of which S3 client sits underneath.
import { FailureType, FerryError } from '../errors.js';

/** Thrown when a key does not exist in the bucket. */
export class ObjectNotFoundError extends FerryError {
  readonly type = FailureType.NotFound;
  constructor(readonly key: string) {
    super(`object not found: ${key}`);
  }
}

/** Thrown when a conditional write loses: the key already exists or changed since it was read. */
export class PreconditionFailedError extends FerryError {
  readonly type = FailureType.Contended;
  constructor(readonly key: string) {
    super(`precondition failed writing ${key}: it exists or changed since it was read`);
  }
}

/** Thrown when object storage cannot be reached or does not answer in time (refused, reset, timed out, 502/503/504). */
export class StorageUnavailableError extends FerryError {
  readonly type = FailureType.Unavailable;
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`object storage is unavailable (while accessing ${key || 'the bucket'})`, options);
  }
}
