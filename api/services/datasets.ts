// The datasets resource without HTTP: ingest an uploaded file as a snapshot (streamed to a scratch file,
// the size limit enforced as it arrives) and list a dataset's snapshots. Refusals are domain errors.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Identity } from '../../core/auth/tokens.js';
import {
  DatasetNotFoundError,
  InvalidDatasetNameError,
  UnsupportedDatasetFileError,
  type DatasetManifest,
} from '../../core/datasets/catalog.js';
import type { ApiDeps } from '../deps.js';
import {
  UnknownDatasetError,
  UnusableUploadError,
  UploadDatasetNameError,
  UploadIncompleteError,
  UploadTooLargeError,
} from './errors.js';

/** Writes the request body to `path`, stopping (without reading on) once it passes `limit` bytes. */
async function receive(body: Readable, path: string, limit: number): Promise<void> {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > limit ? new UploadTooLargeError(limit) : null, chunk);
    },
  });
  const file = createWriteStream(path);
  // The request is piped by hand, not handed to pipeline(): an error must not destroy the socket the
  // 413 answer still has to travel on.
  const onError = (err: Error) => counter.destroy(err);
  const onClose = () => {
    if (!body.readableEnded)
      counter.destroy(new Error('the client closed the connection before the body ended'));
  };
  body.once('error', onError);
  body.once('close', onClose);
  body.pipe(counter);
  try {
    await pipeline(counter, file);
  } finally {
    body.unpipe(counter);
    body.off('error', onError);
    body.off('close', onClose);
  }
}

/** Runs `fn` on a path in a fresh scratch directory, and deletes the directory before returning or throwing. */
async function withScratchFile<T>(
  scratchDir: string,
  fileName: string,
  fn: (path: string) => Promise<T>,
): Promise<T> {
  await mkdir(scratchDir, { recursive: true });
  const dir = await mkdtemp(join(scratchDir, 'upload-'));
  try {
    return await fn(join(dir, fileName));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function createDatasetsService(deps: ApiDeps) {
  const max = deps.limits.maxUploadBytes;
  return {
    /** The largest upload accepted, in bytes. */
    maxUploadBytes: max,

    /**
     * Ingests `body` (a file of `format`) as a snapshot of dataset `name`; UploadTooLargeError once it
     * passes the limit, UploadIncompleteError when it breaks off.
     */
    async ingest(
      name: string,
      body: Readable,
      format: 'csv' | 'parquet',
      who: Identity,
    ): Promise<{ manifest: DatasetManifest; created: boolean }> {
      return withScratchFile(deps.scratchDir, `upload.${format}`, async (path) => {
        try {
          await receive(body, path, max);
        } catch (err) {
          if (err instanceof UploadTooLargeError) throw err;
          throw new UploadIncompleteError((err as Error).message);
        }
        try {
          return await deps.datasets.ingestFile(name, path, { source: `api upload by ${who.name}` });
        } catch (err) {
          if (err instanceof InvalidDatasetNameError) throw new UploadDatasetNameError(err);
          // The rule, not the message: the message names the server's scratch path.
          if (err instanceof UnsupportedDatasetFileError) throw new UnusableUploadError(format, err.rule);
          throw err;
        }
      });
    },

    /** Every dataset with a snapshot and its newest snapshot, sorted by name. */
    async list(): Promise<{ datasets: { name: string; latest: DatasetManifest }[] }> {
      const names = await deps.datasets.listNames();
      const found = await Promise.all(
        names.map(async (name) => {
          try {
            return { name, latest: await deps.datasets.latest(name) };
          } catch (err) {
            // A pointer whose manifest is gone (a hand-deleted snapshot) is no dataset to show.
            if (err instanceof DatasetNotFoundError) return undefined;
            throw err;
          }
        }),
      );
      return { datasets: found.filter((d) => d !== undefined) };
    },

    /** A dataset's newest snapshot and all its snapshots (UnknownDatasetError when it has none). */
    async get(
      name: string,
    ): Promise<{ name: string; latest: DatasetManifest; snapshots: DatasetManifest[] }> {
      try {
        const [latest, snapshots] = await Promise.all([
          deps.datasets.latest(name),
          deps.datasets.listSnapshots(name),
        ]);
        return { name, latest, snapshots };
      } catch (err) {
        if (err instanceof DatasetNotFoundError) throw new UnknownDatasetError(name);
        throw err;
      }
    },
  };
}

export type DatasetsService = ReturnType<typeof createDatasetsService>;
