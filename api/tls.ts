// HTTPS for the API and serving processes when FERRY_API_TLS_CERT / FERRY_API_TLS_KEY are set.
import { readFile } from 'node:fs/promises';
import type { FerryConfig } from '../core/config.js';

/** PEM certificate chain and key for Node's TLS server. */
export interface HttpsOptions {
  cert: Buffer;
  key: Buffer;
}

/** The HTTPS options from config, or undefined to serve plain HTTP. */
export async function httpsOptionsOf(c: FerryConfig['api']): Promise<HttpsOptions | undefined> {
  if (!c.tls) return undefined;
  return { cert: await readFile(c.tls.certFile), key: await readFile(c.tls.keyFile) };
}
