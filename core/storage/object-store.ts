// Ferry's door to object storage (MinIO locally, any S3 in production). Every artifact goes through it.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ifFound, ObjectNotFoundError, PreconditionFailedError, StorageUnavailableError } from './errors.js';
import { traceS3Client } from '../telemetry/tracing.js';

export interface ObjectStoreOptions {
  endpoint: string;
  region: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  /** TCP connect timeout; default 3 s. */
  connectTimeoutMs?: number;
  /** Abandons a request after this long without a byte moving (the SDK retries it); default 10 s. */
  requestTimeoutMs?: number;
  /** Attempts per request including the first (default 3, the SDK's). */
  maxAttempts?: number;
  /** Abandon a call (all its attempts) not answered within this long (default: no limit). */
  callTimeoutMs?: number;
}

export interface PutOptions {
  contentType?: string;
  /** Write only if the key does not exist yet (S3 conditional write, `If-None-Match: *`). */
  ifAbsent?: boolean;
  /** Write only if the object still has this ETag (optimistic concurrency). */
  ifMatch?: string;
}

export interface ObjectInfo {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

/** A bucket-scoped object store. Keys are plain strings; their layout lives in `./keys.ts`. */
export interface ObjectStore {
  readonly bucket: string;
  ensureBucket(): Promise<void>;
  ping(): Promise<void>;
  put(key: string, body: string | Uint8Array, options?: PutOptions): Promise<{ etag: string }>;
  putJson(key: string, value: unknown, options?: PutOptions): Promise<{ etag: string }>;
  /** Streams a readable (or a local file) to the key without holding it in memory. */
  putStream(key: string, body: Readable, contentType?: string): Promise<void>;
  putFile(key: string, path: string, contentType?: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  getJson<T>(key: string): Promise<T>;
  /** Reads JSON with its ETag, for a later `ifMatch` write. */
  getJsonWithEtag<T>(key: string): Promise<{ value: T; etag: string }>;
  getStream(key: string): Promise<Readable>;
  /** Downloads to a local file atomically (write to a temp name, then rename). */
  downloadToFile(key: string, path: string): Promise<void>;
  head(key: string): Promise<ObjectInfo | undefined>;
  exists(key: string): Promise<boolean>;
  list(prefix: string): Promise<ObjectInfo[]>;
  delete(key: string): Promise<void>;
}

function statusOf(err: unknown): number | undefined {
  return err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;
}

// Transport failures by their Node error code: the storage endpoint is down, unreachable or stalled.
const unreachableCodes = new Set(
  'ECONNREFUSED ECONNRESET ECONNABORTED ETIMEDOUT EHOSTUNREACH ENETUNREACH ENOTFOUND EAI_AGAIN EPIPE'.split(
    ' ',
  ),
);

/** Whether an error from the S3 client means storage is unreachable rather than that the request was wrong. */
function isUnreachable(err: unknown): boolean {
  if (err instanceof S3ServiceException) {
    const status = statusOf(err);
    return status === 502 || status === 503 || status === 504;
  }
  if (!(err instanceof Error)) return false;
  // The SDK's http handler names its connection and socket timeouts TimeoutError.
  if (err.name === 'TimeoutError') return true;
  const code = (err as NodeJS.ErrnoException).code;
  return code !== undefined && unreachableCodes.has(code);
}

function translate(err: unknown, key: string): unknown {
  if (isUnreachable(err)) return new StorageUnavailableError(key, { cause: err });
  const status = statusOf(err);
  if (status === 404 || (err instanceof S3ServiceException && err.name === 'NoSuchKey'))
    return new ObjectNotFoundError(key);
  if (status === 412 || (err instanceof S3ServiceException && err.name === 'PreconditionFailed'))
    return new PreconditionFailedError(key);
  return err;
}

/** An object's listing or HEAD fields, with what S3 may leave out defaulted. */
function infoOf(key: string, size?: number, etag?: string, lastModified?: Date): ObjectInfo {
  return { key, size: size ?? 0, etag: etag ?? '', lastModified: lastModified ?? new Date(0) };
}

/** Creates an ObjectStore over an S3-compatible endpoint (path-style addressing, as MinIO needs). */
export function createObjectStore(options: ObjectStoreOptions): ObjectStore {
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: true,
    credentials: { accessKeyId: options.accessKey, secretAccessKey: options.secretKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    // Without these a frozen endpoint holds a request forever: an activity stuck in one cannot notice
    // it was superseded, and an API call cannot answer. The SDK's retries (3 attempts) follow a timeout.
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? 3_000,
      // An idle timeout, not a total one: a large upload that keeps moving bytes is not cut off.
      socketTimeout: options.requestTimeoutMs ?? 10_000,
    },
  });
  traceS3Client(client);
  const Bucket = options.bucket;
  const callTimeoutMs = options.callTimeoutMs;

  /**
   * Sends a command; with `callTimeoutMs`, the whole call (retries included) is abandoned after it,
   * as a StorageUnavailableError. The timer stops once the answer's headers arrived, so a body
   * still streaming (a large download) is never cut off by it.
   */
  async function send<T>(call: (options: { abortSignal?: AbortSignal }) => Promise<T>): Promise<T> {
    if (callTimeoutMs === undefined) return call({});
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), callTimeoutMs);
    try {
      return await call({ abortSignal: abort.signal });
    } catch (err) {
      if (abort.signal.aborted) throw new StorageUnavailableError('', { cause: err });
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs `work`, failing with what its error means for `key` (see `translate`). */
  async function about<T>(key: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw translate(err, key);
    }
  }

  function put(key: string, body: string | Uint8Array, o: PutOptions = {}): Promise<{ etag: string }> {
    return about(key, async () => {
      const out = await send((http) =>
        client.send(
          new PutObjectCommand({
            Bucket,
            Key: key,
            Body: body,
            ContentType: o.contentType,
            IfNoneMatch: o.ifAbsent ? '*' : undefined,
            IfMatch: o.ifMatch,
          }),
          http,
        ),
      );
      return { etag: out.ETag ?? '' };
    });
  }

  function getStream(key: string): Promise<Readable> {
    return about(key, async () => {
      const out = await send((http) => client.send(new GetObjectCommand({ Bucket, Key: key }), http));
      return out.Body as Readable;
    });
  }

  async function get(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await getStream(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async function putStream(key: string, body: Readable, contentType?: string): Promise<void> {
    await new Upload({ client, params: { Bucket, Key: key, Body: body, ContentType: contentType } }).done();
  }

  return {
    bucket: Bucket,
    async ensureBucket() {
      try {
        await send((http) => client.send(new HeadBucketCommand({ Bucket }), http));
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
        try {
          await send((http) => client.send(new CreateBucketCommand({ Bucket }), http));
        } catch (createErr) {
          // Another process may have created it in between: that is success too.
          if (!(createErr instanceof S3ServiceException && createErr.name === 'BucketAlreadyOwnedByYou'))
            throw createErr;
        }
      }
    },
    async ping() {
      await about('', () => send((http) => client.send(new HeadBucketCommand({ Bucket }), http)));
    },
    put,
    putJson(key, value, o) {
      return put(key, JSON.stringify(value, null, 2), { contentType: 'application/json', ...o });
    },
    putStream,
    async putFile(key, path, contentType) {
      const { size } = await stat(path);
      // Small files go in one PUT (cheaper than a multipart upload); large ones stream.
      if (size < 8 * 1024 * 1024) await put(key, await readFile(path), { contentType });
      else await putStream(key, createReadStream(path), contentType);
    },
    get,
    async getJson<T>(key: string) {
      return JSON.parse((await get(key)).toString('utf8')) as T;
    },
    getJsonWithEtag<T>(key: string) {
      return about(key, async () => {
        const out = await send((http) => client.send(new GetObjectCommand({ Bucket, Key: key }), http));
        const text = await out.Body!.transformToString('utf8');
        return { value: JSON.parse(text) as T, etag: out.ETag ?? '' };
      });
    },
    getStream,
    async downloadToFile(key, path) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.${Date.now()}.part`;
      await pipeline(await getStream(key), createWriteStream(tmp));
      await rename(tmp, path);
    },
    head(key) {
      return ifFound(
        about(key, async () => {
          const out = await send((http) => client.send(new HeadObjectCommand({ Bucket, Key: key }), http));
          return infoOf(key, out.ContentLength, out.ETag, out.LastModified);
        }),
      );
    },
    async exists(key) {
      return (await this.head(key)) !== undefined;
    },
    async list(prefix) {
      const out: ObjectInfo[] = [];
      let token: string | undefined;
      do {
        const page = await about(prefix, () =>
          send((http) =>
            client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }), http),
          ),
        );
        out.push(...(page.Contents ?? []).map((o) => infoOf(o.Key!, o.Size, o.ETag, o.LastModified)));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    },
    async delete(key) {
      await about(key, () =>
        send((http) => client.send(new DeleteObjectCommand({ Bucket, Key: key }), http)),
      );
    },
  };
}
