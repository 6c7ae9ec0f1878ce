// An ObjectStore in memory for unit tests of activities and domain code: conditional writes
// (If-None-Match: * and If-Match on the ETag), listing by prefix in key order, and the real store's
// error types (ObjectNotFoundError, PreconditionFailedError). Integration tests use real MinIO.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { ObjectNotFoundError, PreconditionFailedError } from '../../core/storage/errors.js';
import type { ObjectInfo, ObjectStore, PutOptions } from '../../core/storage/object-store.js';

interface StoredObject {
  body: Buffer;
  etag: string;
  contentType: string | undefined;
  lastModified: Date;
}

/** The in-memory store, plus what tests want to look at. */
export interface MemoryObjectStore extends ObjectStore {
  /** Every key written, in order (one entry per successful write). */
  readonly writes: string[];
  /** The keys present now, sorted. */
  keys(): string[];
}

export interface MemoryObjectStoreOptions {
  bucket?: string;
  /** Stamps `lastModified`; defaults to the wall clock. */
  now?: () => Date;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

export function createMemoryObjectStore(options: MemoryObjectStoreOptions = {}): MemoryObjectStore {
  const objects = new Map<string, StoredObject>();
  const writes: string[] = [];
  const now = options.now ?? (() => new Date());
  // ETags are opaque to callers; a new one per write (a quoted counter) makes every overwrite visible to If-Match.
  let writeCount = 0;

  function read(key: string): StoredObject {
    const o = objects.get(key);
    if (!o) throw new ObjectNotFoundError(key);
    return o;
  }

  function info(key: string, o: StoredObject): ObjectInfo {
    return { key, size: o.body.length, etag: o.etag, lastModified: o.lastModified };
  }

  /** The write and its preconditions happen in one step, as S3 applies them atomically. */
  function write(key: string, body: Buffer, o: PutOptions = {}): { etag: string } {
    const existing = objects.get(key);
    if (o.ifAbsent && existing) throw new PreconditionFailedError(key);
    if (o.ifMatch !== undefined && existing?.etag !== o.ifMatch) throw new PreconditionFailedError(key);
    const etag = `"${++writeCount}"`;
    objects.set(key, { body, etag, contentType: o.contentType, lastModified: now() });
    writes.push(key);
    return { etag };
  }

  // Every method awaits once first, so callers see the same asynchrony as over the network.
  const tick = () => Promise.resolve();

  return {
    bucket: options.bucket ?? 'memory',
    writes,
    keys: () => [...objects.keys()].sort(),
    async ensureBucket() {
      await tick();
    },
    async ping() {
      await tick();
    },
    async put(key, body, o) {
      await tick();
      return write(key, Buffer.from(body), o);
    },
    async putJson(key, value, o) {
      await tick();
      return write(key, Buffer.from(JSON.stringify(value)), { contentType: 'application/json', ...o });
    },
    async putStream(key, body, contentType) {
      const bytes = await collect(body);
      write(key, bytes, contentType === undefined ? {} : { contentType });
    },
    async putFile(key, path, contentType) {
      const bytes = await readFile(path);
      write(key, bytes, contentType === undefined ? {} : { contentType });
    },
    async get(key) {
      await tick();
      return Buffer.from(read(key).body);
    },
    async getJson<T>(key: string) {
      await tick();
      return JSON.parse(read(key).body.toString('utf8')) as T;
    },
    async getJsonWithEtag<T>(key: string) {
      await tick();
      const o = read(key);
      return { value: JSON.parse(o.body.toString('utf8')) as T, etag: o.etag };
    },
    async getStream(key) {
      await tick();
      return Readable.from([Buffer.from(read(key).body)]);
    },
    async downloadToFile(key, path) {
      await tick();
      const body = read(key).body;
      // Like the real store: a temp name, then rename, so readers never see half a file.
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomUUID()}.download`;
      await writeFile(tmp, body);
      await rename(tmp, path);
    },
    async head(key) {
      await tick();
      const o = objects.get(key);
      return o ? info(key, o) : undefined;
    },
    async exists(key) {
      await tick();
      return objects.has(key);
    },
    async list(prefix) {
      await tick();
      // S3 lists keys in UTF-8 byte order.
      return [...objects]
        .filter(([k]) => k.startsWith(prefix))
        .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
        .map(([k, o]) => info(k, o));
    },
    async delete(key) {
      await tick();
      // Deleting a missing key succeeds, as in S3.
      objects.delete(key);
    },
  };
}
