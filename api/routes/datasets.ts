// /v1/datasets: list datasets; /v1/datasets/{name}: upload a CSV or Parquet file as a new snapshot, and
// list a dataset's snapshots.
// Uploads stream to a scratch file (never whole in memory), with the size limit enforced as they arrive.
import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { caller } from '../plugins/auth.js';
import { HttpProblem } from '../problem.js';
import { UploadTooLargeError } from '../services/errors.js';
import type { DatasetsService } from '../services/datasets.js';
import { problem, SafeName, type TypedApp } from '../schemas.js';

const DatasetParams = Type.Object({ name: SafeName }, { additionalProperties: false });

/** A small CSV as the document's example upload: a header row and rows of values. */
const exampleCsv = 'customer_id,plan,tenure_months,churned\n1,basic,12,0\n2,premium,3,1\n';

/**
 * The request body as the OpenAPI document shows it. Only the document: the route reads the body as a
 * raw stream (a file may be larger than memory should hold), and what a usable file is (CSV that DuckDB
 * reads, Parquet with its magic bytes and footer) is decided by reading it, answered with 400
 * unsupported-dataset-file naming the rule.
 */
const UploadBodyDoc = {
  content: {
    // No `type`: the body is the file's text, not a JSON value, so there is no JSON type to get wrong.
    'text/csv': {
      schema: {
        contentMediaType: 'text/csv',
        description: 'a UTF-8 CSV file with a header row',
        examples: [exampleCsv],
      },
    },
    'application/vnd.apache.parquet': {
      schema: Type.String({ format: 'binary', description: 'a Parquet file' }),
    },
    'application/octet-stream': {
      schema: Type.String({ format: 'binary', description: 'a Parquet file' }),
    },
  },
};

const Manifest = Type.Object({
  name: Type.String(),
  sha256: Type.String(),
  sourceFormat: Type.Union([Type.Literal('csv'), Type.Literal('parquet')]),
  bytes: Type.Integer(),
  rowCount: Type.Integer(),
  schema: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
  source: Type.String(),
  createdAt: Type.String(),
  dataKey: Type.String(),
  sourceKey: Type.String(),
  dataWriter: Type.Union([Type.Literal('ferry'), Type.Literal('uploader')], {
    description:
      "Who wrote the Parquet at dataKey: 'ferry' (every upload is rewritten through DuckDB at ingest) or 'uploader' (a Parquet upload stored as is, before rewriting began). Only Ferry's footer statistics are trusted by validation.",
  }),
});

const UploadResult = Type.Object({ sha256: Type.String(), created: Type.Boolean(), manifest: Manifest });

/** Accepted upload media types and the file extension the catalog detects the format by. */
const uploadTypes: Record<string, 'csv' | 'parquet'> = {
  'text/csv': 'csv',
  'application/vnd.apache.parquet': 'parquet',
  'application/octet-stream': 'parquet',
};

export function datasetRoutes(app: TypedApp, datasets: DatasetsService): void {
  const max = datasets.maxUploadBytes;

  // Uploads get their own scope, so only this route sees request bodies as raw streams.
  void app.register(async (scope) => {
    const uploads = scope.withTypeProvider<TypeBoxTypeProvider>();
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    uploads.post(
      '/v1/datasets/:name',
      {
        config: {
          minRole: 'operator',
          swaggerTransform: ({ schema, url }) => ({ schema: { ...schema, body: UploadBodyDoc }, url }),
        },
        schema: {
          tags: ['datasets'],
          summary:
            'Upload a CSV (text/csv) or Parquet (application/vnd.apache.parquet) file as a snapshot; the same bytes again are the same snapshot',
          description: `The request body is the file itself, up to ${max} bytes.`,
          params: DatasetParams,
          response: {
            200: UploadResult,
            201: UploadResult,
            413: problem('the upload is larger than the limit'),
            415: problem('the Content-Type is not CSV or Parquet'),
          },
        },
      },
      async (req, reply) => {
        const { name } = req.params;
        const mediaType = String(req.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim()
          .toLowerCase();
        const format = uploadTypes[mediaType];
        if (!format || !(req.body instanceof Readable))
          throw new HttpProblem(
            415,
            'unsupported-media-type',
            `Content-Type ${mediaType ? `"${mediaType}"` : '(none)'} is not accepted: send the file as ${Object.keys(uploadTypes).join(', ')}`,
          );
        if (Number(req.headers['content-length']) > max) {
          reply.header('connection', 'close');
          throw new UploadTooLargeError(max);
        }
        let ingested;
        try {
          ingested = await datasets.ingest(name, req.body, format, caller(req));
        } catch (err) {
          // The rest of an over-long body is not read: the connection closes after the 413.
          if (err instanceof UploadTooLargeError) reply.header('connection', 'close');
          throw err;
        }
        const { manifest, created } = ingested;
        return reply
          .code(created ? 201 : 200)
          .header('location', `/v1/datasets/${name}`)
          .send({ sha256: manifest.sha256, created, manifest });
      },
    );
  });

  app.get(
    '/v1/datasets',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['datasets'],
        summary: 'Every dataset with a snapshot and its newest snapshot, sorted by name',
        response: {
          200: Type.Object({ datasets: Type.Array(Type.Object({ name: Type.String(), latest: Manifest })) }),
        },
      },
    },
    async () => datasets.list(),
  );

  app.get(
    '/v1/datasets/:name',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['datasets'],
        summary: "A dataset's snapshots, newest first, and the one `latest` points at",
        params: DatasetParams,
        response: {
          200: Type.Object({ name: Type.String(), latest: Manifest, snapshots: Type.Array(Manifest) }),
        },
      },
    },
    async (req) => datasets.get(req.params.name),
  );
}
