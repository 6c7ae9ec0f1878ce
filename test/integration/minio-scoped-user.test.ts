// Ferry's processes reach MinIO as a user whose policy covers Ferry's bucket and nothing else: the
// stack created that user with the root credentials, which only the stack and MinIO hold.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { config } from '../../core/config.js';
import { createObjectStore } from '../../core/storage/object-store.js';
import { createMinioAdmin, MinioAdminError } from '../../infra/local/minio-admin.js';

const c = config();
const other = `ferry-other-${randomUUID().slice(0, 8)}`;
let root: S3Client;
let app: S3Client;

const client = (accessKeyId: string, secretAccessKey: string) =>
  new S3Client({
    endpoint: c.s3.endpoint,
    region: c.s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
  });

/** The S3 error name of a refused call, or 'ok' if it was not refused. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    if (err instanceof S3ServiceException) return `${err.$metadata.httpStatusCode} ${err.name}`;
    throw err;
  }
}

before(async () => {
  const rootPassword = (await readFile(join(c.home, 'minio-root-password'), 'utf8')).trim();
  root = client(c.s3.minioRoot.user, rootPassword);
  app = client(c.s3.accessKey, c.s3.secretKey);
  await root.send(new CreateBucketCommand({ Bucket: other }));
  await root.send(new PutObjectCommand({ Bucket: other, Key: 'secret.txt', Body: 'not for Ferry' }));
});

after(async () => {
  await root.send(new DeleteObjectCommand({ Bucket: other, Key: 'secret.txt' }));
  await root.send(new DeleteBucketCommand({ Bucket: other }));
  root.destroy();
  app.destroy();
});

test("Ferry's configured credentials are not MinIO's root", () => {
  assert.equal(c.s3.accessKey, 'ferry-app');
  assert.notEqual(c.s3.accessKey, c.s3.minioRoot.user);
  assert.equal(c.s3.minioRoot.password, undefined, 'the test process was given the root password');
});

test("the app user reads, writes, lists and deletes in Ferry's bucket", async () => {
  const store = createObjectStore(c.s3);
  const key = `scoped-user/${randomUUID()}.txt`;
  await store.put(key, 'mine');
  assert.equal((await store.get(key)).toString(), 'mine');
  assert.deepEqual(
    (await store.list('scoped-user/')).map((o) => o.key),
    [key],
  );
  await store.delete(key);
  assert.deepEqual(await store.list('scoped-user/'), []);
});

test('the app user cannot read, write or list another bucket, nor create one', async () => {
  assert.equal(
    await refusal(app.send(new GetObjectCommand({ Bucket: other, Key: 'secret.txt' }))),
    '403 AccessDenied',
  );
  assert.equal(
    await refusal(app.send(new PutObjectCommand({ Bucket: other, Key: 'planted.txt', Body: 'x' }))),
    '403 AccessDenied',
  );
  assert.equal(
    await refusal(app.send(new CreateBucketCommand({ Bucket: `ferry-new-${randomUUID().slice(0, 8)}` }))),
    '403 AccessDenied',
  );
  // MinIO answers ListBuckets with the buckets the policy reaches: Ferry's own, not the other.
  const listed = await app.send(new ListBucketsCommand({}));
  assert.deepEqual(
    listed.Buckets?.map((b) => b.Name),
    [c.s3.bucket],
  );
});

test("the app user cannot use MinIO's admin API to widen its own rights", async () => {
  const admin = createMinioAdmin({
    endpoint: c.s3.endpoint,
    region: c.s3.region,
    accessKey: c.s3.accessKey,
    secretKey: c.s3.secretKey,
  });
  await assert.rejects(
    admin.setUserPolicy(c.s3.accessKey, 'readwrite'),
    (err: unknown) => err instanceof MinioAdminError && err.status === 403 && err.code === 'AccessDenied',
  );
  await assert.rejects(
    admin.addUser(`intruder-${randomUUID().slice(0, 8)}`, 'intruder-secret'),
    (err: unknown) => err instanceof MinioAdminError && err.status === 403,
  );
});
