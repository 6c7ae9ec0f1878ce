// Errors raised by the object store, independent of which S3 client sits underneath.
import { FailureType, typedError } from '../errors.js';

/** Thrown when a key does not exist in the bucket. */
export class ObjectNotFoundError extends typedError(FailureType.NotFound) {
  constructor(readonly key: string) {
    super(`object not found: ${key}`);
  }
}

/** Thrown when a conditional write loses: the key already exists or changed since it was read. */
export class PreconditionFailedError extends typedError(FailureType.Contended) {
  constructor(readonly key: string) {
    super(`precondition failed writing ${key}: it exists or changed since it was read`);
  }
}

/** Thrown when object storage cannot be reached or does not answer in time (refused, reset, timed out, 502/503/504). */
export class StorageUnavailableError extends typedError(FailureType.Unavailable) {
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`object storage is unavailable (while accessing ${key || 'the bucket'})`, options);
  }
}

/** What `read` gives, or undefined when its object does not exist; any other failure propagates. */
export async function ifFound<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof ObjectNotFoundError) return undefined;
    throw err;
  }
}

/** Whether a conditional write landed (false when it lost its precondition); any other failure propagates. */
export async function landed(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (err instanceof PreconditionFailedError) return false;
    throw err;
  }
}
