// How Ferry's processes reach Temporal: plaintext to the local dev server, TLS or mTLS (client
// certificate) to Temporal Cloud or a production cluster, from the FERRY_TEMPORAL_TLS_* settings.
import { readFile } from 'node:fs/promises';
import type { TLSConfig } from '@temporalio/client';
import type { FerryConfig } from './config.js';

/** Options shared by `Connection.connect` (client) and `NativeConnection.connect` (worker). */
export interface TemporalConnectOptions {
  address: string;
  tls?: TLSConfig;
}

/** The connection options for the configured cluster; reads the PEM files named in config. */
export async function temporalConnectOptions(c: FerryConfig['temporal']): Promise<TemporalConnectOptions> {
  if (!c.tls) return { address: c.address };
  const t = c.tls;
  const tls: TLSConfig = {
    ...(t.serverName ? { serverNameOverride: t.serverName } : {}),
    ...(t.caFile ? { serverRootCACertificate: await readFile(t.caFile) } : {}),
    ...(t.certFile && t.keyFile
      ? { clientCertPair: { crt: await readFile(t.certFile), key: await readFile(t.keyFile) } }
      : {}),
  };
  return { address: c.address, tls };
}
