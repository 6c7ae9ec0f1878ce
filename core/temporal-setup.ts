// Namespace set-up that must happen before any Ferry workflow runs: registering search attributes
// idempotently (dev-server flags are ignored on an existing database, and an unregistered
// attribute fails workflow tasks forever).
import { status as grpcStatus } from '@grpc/grpc-js';
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import proto from '@temporalio/proto';
import { ferrySearchAttributes } from './contracts/index.js';
import { FailureType, typedError } from './errors.js';

const KEYWORD = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/** Registers Ferry's search attributes that the namespace lacks; returns the names it added. */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = ferrySearchAttributes.filter((k) => !(k.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, KEYWORD])),
    });
  } catch (err) {
    // A concurrent start may have registered them first; re-check before failing.
    const again = await connection.operatorService.listSearchAttributes({ namespace });
    if (missing.some((k) => !(k.name in (again.customAttributes ?? {})))) throw err;
  }
  return missing.map((k) => k.name);
}

export type NamespaceOutcome = 'created' | 'retention-updated' | 'unchanged';

/**
 * Creates Ferry's namespace with the configured retention, or checks an existing one and sets its
 * retention when it differs. On Temporal Cloud namespaces are made in the Cloud console or its ops
 * API: there the namespace must exist, and a refused update leaves it as it is (reported, not fatal).
 */
export async function ensureNamespace(
  connection: Connection,
  namespace: string,
  retentionMs: number,
): Promise<NamespaceOutcome> {
  const retention = msToTs(retentionMs);
  const current = await describeNamespace(connection, namespace);
  if (!current) {
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: retention,
        description: 'Ferry pipelines',
      });
      return 'created';
    } catch (err) {
      // Another `up` may have created it first.
      if ((err as { code?: number }).code !== grpcStatus.ALREADY_EXISTS) throw err;
      return 'unchanged';
    }
  }
  const seconds = Number(current.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
  if (seconds * 1000 === retentionMs) return 'unchanged';
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: retention },
  });
  return 'retention-updated';
}

async function describeNamespace(connection: Connection, namespace: string) {
  try {
    return await connection.workflowService.describeNamespace({ namespace });
  } catch (err) {
    if ((err as { code?: number }).code === grpcStatus.NOT_FOUND) return undefined;
    throw err;
  }
}

/**
 * True once the frontend accepts a visibility query on Ferry's attributes in the namespace: a new
 * namespace and its attributes reach the frontend's caches a moment after they are written.
 */
export async function searchAttributesUsable(connection: Connection, namespace: string): Promise<boolean> {
  try {
    await connection.workflowService.countWorkflowExecutions({
      namespace,
      query: ferrySearchAttributes.map((k) => `${k.name} = 'probe'`).join(' AND '),
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Everything a cluster needs before Ferry runs there: the namespace with its retention, Ferry's search
 * attributes, and a wait until the frontend's caches (refreshed every few seconds) know both.
 */
export async function setUpNamespace(
  connection: Connection,
  namespace: string,
  retentionMs: number,
  timeoutMs: number,
): Promise<{ namespace: NamespaceOutcome; added: string[] }> {
  const outcome = await ensureNamespace(connection, namespace, retentionMs);
  const deadline = Date.now() + timeoutMs;
  const retry = async <T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> => {
    for (;;) {
      const value = await attempt().catch((err: unknown) => {
        // A namespace just created is unknown to the frontend until its cache refreshes.
        if ((err as { code?: number }).code === grpcStatus.NOT_FOUND) return undefined;
        throw err;
      });
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new NamespaceNotReadyError(`${what} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const added = await retry(`namespace ${namespace} is unknown to the frontend`, () =>
    registerSearchAttributes(connection, namespace),
  );
  await retry(
    `Ferry's search attributes are not usable in ${namespace}`,
    async () => (await searchAttributesUsable(connection, namespace)) || undefined,
  );
  return { namespace: outcome, added };
}

/** Thrown when a namespace or its search attributes do not become usable in time. */
export class NamespaceNotReadyError extends typedError(FailureType.Unavailable) {}
