// The three MinIO admin calls the local stack needs to give Ferry's processes a bucket-scoped user
// instead of the root credentials: add a policy, add a user, attach the policy. No maintained npm
// client speaks MinIO's admin API, so the requests are signed with the AWS SDK's own SigV4 signer and
// the user's secret is sealed the way MinIO's Go client (madmin) seals it.
import { FailureType, typedError } from '../../core/errors.js';
import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** Thrown when MinIO's admin API refuses a call; carries the call and MinIO's status and error code. */
export class MinioAdminError extends typedError(FailureType.Internal) {
  constructor(
    readonly call: string,
    readonly status: number,
    override readonly code: string,
    detail: string,
  ) {
    super(`MinIO admin ${call} answered ${status} ${code}: ${detail}`);
  }
}

export interface MinioAdminOptions {
  endpoint: string;
  region: string;
  /** The root (or an admin) user's credentials: they sign the calls and key the sealed bodies. */
  accessKey: string;
  secretKey: string;
  timeoutMs?: number;
}

type Bytes = string | ArrayBuffer | ArrayBufferView;
const toBuffer = (d: Bytes): Buffer =>
  typeof d === 'string'
    ? Buffer.from(d)
    : ArrayBuffer.isView(d)
      ? Buffer.from(d.buffer, d.byteOffset, d.byteLength)
      : Buffer.from(d);

/** SHA-256 (or HMAC-SHA-256 with a secret) in the shape the SigV4 signer asks for. */
class Sha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(private readonly secret?: Bytes) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

// madmin's sealed format: salt(32) ‖ algorithm id ‖ nonce(8) ‖ sio stream. Id 0x02 is PBKDF2-SHA-256
// (8192 rounds) with AES-256-GCM, the one madmin uses in FIPS mode; every MinIO server accepts it.
const PBKDF2_AES_GCM = 0x02;
const PBKDF2_ROUNDS = 8192;

/**
 * Seals a small admin request body with the caller's secret key, as madmin's EncryptData does: one
 * final sio fragment (bodies up to 16 KiB), whose associated data binds it to the stream's header.
 */
function sealAdminBody(secretKey: string, plaintext: Buffer): Buffer {
  if (plaintext.length > 16 * 1024)
    throw new RangeError('sealAdminBody: a body over 16 KiB needs sio fragments');
  const salt = randomBytes(32);
  const nonce = randomBytes(8);
  const key = pbkdf2Sync(secretKey, salt, PBKDF2_ROUNDS, 32, 'sha256');
  const fragmentNonce = (seq: number) => {
    const n = Buffer.alloc(12);
    nonce.copy(n);
    n.writeUInt32LE(seq, 8);
    return n;
  };
  // sio authenticates the (empty) outer associated data first, with sequence number 0 …
  const header = createCipheriv('aes-256-gcm', key, fragmentNonce(0));
  header.final();
  // … and seals the final fragment with sequence number 1 and associated data 0x80 ‖ that tag.
  const body = createCipheriv('aes-256-gcm', key, fragmentNonce(1));
  body.setAAD(Buffer.concat([Buffer.from([0x80]), header.getAuthTag()]));
  const ciphertext = Buffer.concat([body.update(plaintext), body.final(), body.getAuthTag()]);
  return Buffer.concat([salt, Buffer.from([PBKDF2_AES_GCM]), nonce, ciphertext]);
}

/** An IAM policy that allows every object operation Ferry uses, on one bucket and nothing else. */
export function bucketPolicy(bucket: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Resource: [`arn:aws:s3:::${bucket}`],
      },
      {
        Effect: 'Allow',
        Action: [
          's3:GetObject',
          's3:PutObject',
          's3:DeleteObject',
          's3:AbortMultipartUpload',
          's3:ListMultipartUploadParts',
        ],
        Resource: [`arn:aws:s3:::${bucket}/*`],
      },
    ],
  };
}

/** A client for the admin calls above, signed with the given (root) credentials. */
export function createMinioAdmin(o: MinioAdminOptions) {
  const url = new URL(o.endpoint);
  const signer = new SignatureV4({
    service: 's3',
    region: o.region,
    credentials: { accessKeyId: o.accessKey, secretAccessKey: o.secretKey },
    sha256: Sha256,
  });

  async function call(name: string, query: Record<string, string>, body: Buffer): Promise<void> {
    const path = `/minio/admin/v3/${name}`;
    const signed = await signer.sign({
      method: 'PUT',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path,
      query,
      headers: {
        host: url.host,
        // MinIO checks the body against this header; without it the signature covers an empty body.
        'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
        'content-length': String(body.length),
      },
      body,
    });
    const target = new URL(path, url);
    for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v);
    const headers = Object.fromEntries(
      Object.entries(signed.headers).filter(([k]) => k !== 'host' && k !== 'content-length'),
    );
    const res = await fetch(target, {
      method: 'PUT',
      headers,
      body,
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
    if (!res.ok) {
      const text = await res.text();
      let code = 'Unknown';
      let detail = text.slice(0, 300);
      try {
        const parsed = JSON.parse(text) as { Code?: string; Message?: string };
        code = parsed.Code ?? code;
        detail = parsed.Message ?? detail;
      } catch {
        // Not JSON (a proxy's page, say): keep the text.
      }
      throw new MinioAdminError(name, res.status, code, detail);
    }
  }

  return {
    /** Creates or replaces a canned policy. */
    addPolicy(policyName: string, policy: object) {
      return call('add-canned-policy', { name: policyName }, Buffer.from(JSON.stringify(policy)));
    },
    /** Creates the user, or sets its secret if it exists; the body is sealed with the caller's secret. */
    addUser(accessKey: string, secretKey: string) {
      const body = sealAdminBody(o.secretKey, Buffer.from(JSON.stringify({ secretKey, status: 'enabled' })));
      return call('add-user', { accessKey }, body);
    },
    /** Makes `policyName` the user's policy (replacing any other). */
    setUserPolicy(user: string, policyName: string) {
      return call(
        'set-user-or-group-policy',
        { policyName, userOrGroup: user, isGroup: 'false' },
        Buffer.alloc(0),
      );
    },
  };
}
