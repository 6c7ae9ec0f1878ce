// `npm run temporal:setup`: creates or checks Ferry's namespace (with FERRY_TEMPORAL_NAMESPACE_RETENTION)
// and registers its search attributes on the configured Temporal: what `FERRY_STACK=cluster npm run up`
// does locally, for a self-hosted cluster's deploy job. Temporal Cloud namespaces are made in the Cloud.
import { Connection } from '@temporalio/client';
import type { FerryConfig } from '../../core/config.js';
import { temporalConnectOptions } from '../../core/temporal-connection.js';
import { setUpNamespace } from '../../core/temporal-setup.js';

export async function setUpTemporal(c: FerryConfig, log: (line: string) => void): Promise<void> {
  const connection = await Connection.connect(await temporalConnectOptions(c.temporal));
  try {
    const { namespace, added } = await setUpNamespace(
      connection,
      c.temporal.namespace,
      c.temporal.namespaceRetentionMs,
      c.startupTimeoutMs,
    );
    log(`namespace ${c.temporal.namespace}: ${namespace}`);
    log(
      added.length > 0
        ? `registered search attributes: ${added.join(', ')}`
        : 'search attributes: all present',
    );
  } finally {
    await connection.close();
  }
}
