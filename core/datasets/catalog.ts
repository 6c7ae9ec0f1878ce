// Immutable, content-addressed dataset snapshots in object storage, and a local Parquet cache of
// them for DuckDB (which reads local files only). Every upload, CSV or Parquet, is rewritten through
// DuckDB at ingest, so the data of every new snapshot was written by Ferry and its footer
// statistics describe its rows; an uploaded Parquet file's own footer is never believed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { openDuckDb, literal, type DuckDb } from '../data/duckdb.js';
import { codedError, FailureType, firstLine, typedError } from '../errors.js';
import { ifFound, landed, PreconditionFailedError } from '../storage/errors.js';
import { keys as objectKeys } from '../storage/keys.js';
import type { ObjectStore } from '../storage/object-store.js';

export const DatasetFormat = { Csv: 'csv', Parquet: 'parquet' } as const;
export type DatasetFormat = (typeof DatasetFormat)[keyof typeof DatasetFormat];

/** Who wrote a snapshot's Parquet data: Ferry's DuckDB at ingest, or the uploader (the uploaded
 * Parquet file itself, as snapshots ingested before uploads were rewritten stored it). */
export const DataWriter = { Ferry: 'ferry', Uploader: 'uploader' } as const;
export type DataWriter = (typeof DataWriter)[keyof typeof DataWriter];

/** One column as DuckDB sees it (`DESCRIBE`), e.g. `{ name: 'age', type: 'BIGINT' }`. */
export interface DatasetColumn {
  name: string;
  type: string;
}

/** The immutable record of one snapshot, stored next to its data. */
export interface DatasetManifest {
  name: string;
  /** sha256 of the ingested file's bytes; also the snapshot id. */
  sha256: string;
  sourceFormat: DatasetFormat;
  /** Size of the ingested file in bytes. */
  bytes: number;
  rowCount: number;
  schema: DatasetColumn[];
  /** Where the data came from, as the caller described it (default: the local path ingested). */
  source: string;
  createdAt: string;
  /** Object key of the Parquet file DuckDB reads. */
  dataKey: string;
  /** Object key of the original bytes. */
  sourceKey: string;
  /** Who wrote the data at `dataKey`. Only data Ferry wrote has footer statistics (min/max, null
   * counts) that validation may use instead of scanning: an uploader can write any footer. This is
   * Ferry's own record of the ingest, never read from the file, whose footer an uploader controls. */
  dataWriter: DataWriter;
}

/** A manifest as stored: those written before `dataWriter` existed lack it. */
type StoredManifest = Omit<DatasetManifest, 'dataWriter'> & { dataWriter?: DataWriter };

/** Fills in `dataWriter` for manifests stored before it existed: Ferry wrote the data exactly when it
 * is not the source file (a CSV's Parquet conversion); a Parquet upload was stored as is. Data that
 * is the source file is the uploader's whatever a manifest says. */
function withDataWriter(m: StoredManifest): DatasetManifest {
  if (m.dataKey === m.sourceKey) return { ...m, dataWriter: DataWriter.Uploader };
  return { ...m, dataWriter: m.dataWriter ?? DataWriter.Ferry };
}

/** Where `latest.json` points. */
interface LatestPointer {
  name: string;
  sha256: string;
  manifestKey: string;
  createdAt: string;
}

/** Dataset names become object-key segments, so the rule also rules out path traversal. */
export const datasetNamePattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const datasetNameRule = `must match ${datasetNamePattern.source} (1–63 lowercase letters, digits, "_" or "-", starting with a letter or digit)`;
const snapshotPattern = /^[a-f0-9]{64}$/;
const snapshotRule = 'must be a sha256 snapshot hash (64 lowercase hex characters)';

/** Thrown when a dataset name breaks the naming rule. */
export class InvalidDatasetNameError extends codedError(FailureType.InvalidInput, 'invalid-dataset-name') {
  readonly rule = datasetNameRule;
  constructor(readonly dataset: string) {
    super(`invalid dataset name ${JSON.stringify(dataset)}: ${datasetNameRule}`);
  }
}

/** Thrown when a snapshot id is not a sha256 hash. */
export class InvalidSnapshotIdError extends typedError(FailureType.InvalidInput) {
  readonly rule = snapshotRule;
  constructor(
    readonly dataset: string,
    readonly snapshot: string,
  ) {
    super(`invalid snapshot ${JSON.stringify(snapshot)} for dataset "${dataset}": ${snapshotRule}`);
  }
}

/** Thrown when a file to ingest is neither CSV nor Parquet, or DuckDB cannot read it as its format. */
export class UnsupportedDatasetFileError extends codedError(
  FailureType.InvalidInput,
  'unsupported-dataset-file',
) {
  constructor(
    readonly path: string,
    readonly rule: string,
  ) {
    super(`unsupported dataset file "${path}": ${rule}`);
  }
}

/** Thrown when a dataset has no snapshots, or the requested snapshot does not exist. */
export class DatasetNotFoundError extends codedError(FailureType.NotFound, 'dataset-not-found') {
  constructor(
    readonly dataset: string,
    readonly snapshot?: string,
  ) {
    super(
      snapshot === undefined
        ? `dataset "${dataset}" not found: it has no snapshots`
        : `snapshot ${snapshot} of dataset "${dataset}" not found`,
    );
  }
}

export interface IngestOptions {
  /** Provenance recorded in the manifest (a URL, a query, a description). */
  source?: string;
}

export interface IngestResult {
  manifest: DatasetManifest;
  /** False when these exact bytes were already a snapshot; nothing was written then. */
  created: boolean;
}

/** Dataset snapshots: ingest files, resolve references, and fetch data for DuckDB. */
export interface DatasetCatalog {
  ingestFile(name: string, localPath: string, options?: IngestOptions): Promise<IngestResult>;
  latest(name: string): Promise<DatasetManifest>;
  manifest(name: string, sha256: string): Promise<DatasetManifest>;
  /** The given snapshot, or the latest when none is given. */
  resolve(name: string, snapshot?: string): Promise<DatasetManifest>;
  /** The names of every dataset with a snapshot, sorted. */
  listNames(): Promise<string[]>;
  /** Every snapshot's manifest, newest first; empty for an unknown dataset. */
  listSnapshots(name: string): Promise<DatasetManifest[]>;
  /** Local path of the snapshot's Parquet data, downloaded only when not cached yet. */
  localParquet(manifest: DatasetManifest): Promise<string>;
}

export interface DatasetCatalogDeps {
  store: ObjectStore;
  cacheDir: string;
  now?: () => Date;
}

function checkName(name: string): void {
  if (!datasetNamePattern.test(name)) throw new InvalidDatasetNameError(name);
}

function checkSnapshot(name: string, snapshot: string): void {
  if (!snapshotPattern.test(snapshot)) throw new InvalidSnapshotIdError(name, snapshot);
}

const contentTypes: Record<DatasetFormat, string> = {
  csv: 'text/csv',
  parquet: 'application/vnd.apache.parquet',
};

/** Hashes a file in one streaming pass, keeping only its first bytes for format sniffing. */
async function fingerprint(path: string): Promise<{ sha256: string; bytes: number; head: Buffer }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let head = Buffer.alloc(0);
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    if (head.length < 4096) head = Buffer.concat([head, chunk.subarray(0, 4096 - head.length)]);
  }
  return { sha256: hash.digest('hex'), bytes, head };
}

function detectFormat(path: string, bytes: number, head: Buffer): DatasetFormat {
  const ext = extname(path).toLowerCase();
  if (bytes === 0) throw new UnsupportedDatasetFileError(path, 'the file is empty');
  // Content beats the name: a Parquet file always starts with the magic bytes, whatever it is called.
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return DatasetFormat.Parquet;
  if (ext === '.parquet')
    throw new UnsupportedDatasetFileError(
      path,
      'has a .parquet extension but does not start with the Parquet magic bytes "PAR1"',
    );
  if (ext === '.csv') {
    if (head.includes(0))
      throw new UnsupportedDatasetFileError(
        path,
        'has a .csv extension but contains binary data (NUL bytes); CSV must be UTF-8 text',
      );
    return DatasetFormat.Csv;
  }
  throw new UnsupportedDatasetFileError(
    path,
    'must be CSV (a UTF-8 text file named *.csv) or Parquet (a file starting with the magic bytes "PAR1")',
  );
}

async function describeParquet(
  db: DuckDb,
  parquetPath: string,
): Promise<{ schema: DatasetColumn[]; rowCount: number }> {
  const columns = await db.all<{ column_name: string; column_type: string }>(
    `DESCRIBE SELECT * FROM read_parquet(${literal(parquetPath)})`,
  );
  // count(*) over Parquet is answered from file metadata, so this does not scan the data.
  const [count] = await db.all<{ n: number }>(
    `SELECT count(*)::BIGINT AS n FROM read_parquet(${literal(parquetPath)})`,
  );
  return {
    schema: columns.map((c) => ({ name: c.column_name, type: c.column_type })),
    rowCount: Number(count?.n ?? 0),
  };
}

/** The SQL that writes Ferry's Parquet copy of a readable source (`read_csv(…)` or
 * `read_parquet(…)`): DuckDB decodes every row and computes the footer statistics from them. */
export function ferryParquetCopySql(source: string, target: string): string {
  return `COPY (SELECT * FROM ${source}) TO ${literal(target)} (FORMAT parquet, COMPRESSION zstd)`;
}

/** Creates a catalog over the object store; `cacheDir` holds downloaded Parquet (safe to delete). */
export function createDatasetCatalog({
  store,
  cacheDir,
  now = () => new Date(),
}: DatasetCatalogDeps): DatasetCatalog {
  // One folder per writer: the same bytes can be a legacy snapshot stored as uploaded in one dataset
  // and a rewritten one in another, and a cached upload must never be read as Ferry's copy.
  const cachePath = (sha: string, writer: DataWriter) => join(cacheDir, 'datasets', writer, `${sha}.parquet`);

  async function readManifest(name: string, sha: string): Promise<DatasetManifest | undefined> {
    const key = objectKeys.dataset(name).snapshot(sha).manifest;
    return ifFound(store.getJson<StoredManifest>(key).then(withDataWriter));
  }

  /** Moves `latest.json` to the snapshot unless a newer one is already there (compare-and-swap on the ETag). */
  async function pointLatest(m: DatasetManifest): Promise<void> {
    const key = objectKeys.dataset(m.name).latest;
    const pointer: LatestPointer = {
      name: m.name,
      sha256: m.sha256,
      manifestKey: objectKeys.dataset(m.name).snapshot(m.sha256).manifest,
      createdAt: m.createdAt,
    };
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await ifFound(store.getJsonWithEtag<LatestPointer>(key));
      // Concurrent ingests finish in any order; the pointer must still end on the newest snapshot.
      if (current && current.value.createdAt > m.createdAt) return;
      if (await landed(store.putJson(key, pointer, current ? { ifMatch: current.etag } : { ifAbsent: true })))
        return;
    }
    throw new Error(`could not update ${key}: it kept changing under concurrent ingests`);
  }

  async function ingestFile(
    name: string,
    localPath: string,
    options: IngestOptions = {},
  ): Promise<IngestResult> {
    checkName(name);
    const { sha256, bytes, head } = await fingerprint(localPath);
    const sourceFormat = detectFormat(localPath, bytes, head);
    const existing = await readManifest(name, sha256);
    if (existing) return { manifest: existing, created: false };

    const snapshotKeys = objectKeys.dataset(name).snapshot(sha256);
    const sourceKey = snapshotKeys.source(sourceFormat);
    const dataKey = snapshotKeys.data;

    await mkdir(cacheDir, { recursive: true });
    const work = await mkdtemp(join(cacheDir, 'ingest-'));
    const db = await openDuckDb();
    try {
      // Parquet is rewritten too: its footer is the uploader's, and DuckDB itself believes footer
      // statistics (it folds `count_if(x > max)` to 0 when the footer's max says so), so only a copy
      // whose statistics DuckDB computed from the decoded rows can be validated from its footer.
      const parquetPath = join(work, 'data.parquet');
      const csv = sourceFormat === DatasetFormat.Csv;
      const unreadable = (as: string) => (err: unknown) => {
        throw new UnsupportedDatasetFileError(
          localPath,
          `DuckDB could not read it as ${as}: ${firstLine(err)}`,
        );
      };
      await db
        .run(ferryParquetCopySql(`${csv ? 'read_csv' : 'read_parquet'}(${literal(localPath)})`, parquetPath))
        .catch(unreadable(csv ? 'CSV' : 'Parquet'));
      const described = await describeParquet(db, parquetPath).catch(unreadable('Parquet'));

      // Data before manifest: a manifest is only ever visible once everything it names exists.
      await store.putFile(sourceKey, localPath, contentTypes[sourceFormat]);
      await store.putFile(dataKey, parquetPath, contentTypes.parquet);

      const manifest: DatasetManifest = {
        name,
        sha256,
        sourceFormat,
        bytes,
        rowCount: described.rowCount,
        schema: described.schema,
        source: options.source ?? resolve(localPath),
        createdAt: now().toISOString(),
        dataKey,
        sourceKey,
        dataWriter: DataWriter.Ferry,
      };
      try {
        await store.putJson(snapshotKeys.manifest, manifest, { ifAbsent: true });
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
        // A concurrent ingest of the same bytes won; its manifest is the snapshot.
        const winner = await readManifest(name, sha256);
        if (!winner) throw err;
        return { manifest: winner, created: false };
      }
      // The written file is this snapshot's data, so seed the cache and spare the first reader a download.
      await mkdir(join(cacheDir, 'datasets', DataWriter.Ferry), { recursive: true });
      await rename(parquetPath, cachePath(sha256, DataWriter.Ferry));
      await pointLatest(manifest);
      return { manifest, created: true };
    } finally {
      db.close();
      await rm(work, { recursive: true, force: true });
    }
  }

  async function manifest(name: string, sha256: string): Promise<DatasetManifest> {
    checkName(name);
    checkSnapshot(name, sha256);
    const m = await readManifest(name, sha256);
    if (!m) throw new DatasetNotFoundError(name, sha256);
    return m;
  }

  async function latest(name: string): Promise<DatasetManifest> {
    checkName(name);
    const pointer = await ifFound(store.getJson<LatestPointer>(objectKeys.dataset(name).latest));
    if (pointer === undefined) throw new DatasetNotFoundError(name);
    return manifest(name, pointer.sha256);
  }

  return {
    ingestFile,
    latest,
    manifest,
    resolve(name, snapshot) {
      return snapshot === undefined ? latest(name) : manifest(name, snapshot);
    },
    async listNames() {
      // Every dataset with a snapshot has a `latest` pointer: it is moved after the first manifest is written.
      const names = (await store.list(objectKeys.datasets))
        .map((o) => objectKeys.datasetOfLatestPointer(o.key))
        .filter((n): n is string => n !== undefined && datasetNamePattern.test(n));
      return [...new Set(names)].sort();
    },
    async listSnapshots(name) {
      checkName(name);
      const datasetKeys = objectKeys.dataset(name);
      const keys = (await store.list(datasetKeys.snapshots))
        .map((o) => o.key)
        .filter(datasetKeys.isSnapshotManifest);
      const manifests = await Promise.all(
        keys.map(async (k) => withDataWriter(await store.getJson<StoredManifest>(k))),
      );
      return manifests.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    },
    async localParquet(m) {
      // The sha becomes a file name, so a tampered manifest must not steer it outside the cache.
      checkSnapshot(m.name, m.sha256);
      const path = cachePath(
        m.sha256,
        m.dataWriter === DataWriter.Ferry ? DataWriter.Ferry : DataWriter.Uploader,
      );
      try {
        await stat(path);
        return path;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      await store.downloadToFile(m.dataKey, path);
      return path;
    },
  };
}
