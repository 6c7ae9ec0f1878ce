// Namespace set-up that must happen before any Ferry workflow runs: registering search attributes
// idempotently (dev-server flags are ignored on an existing database, and an unregistered
// attribute fails workflow tasks forever).
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { ferrySearchAttributes } from './contracts/index.js';

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
