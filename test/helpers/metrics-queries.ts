// Queries only tests ask of the metrics tables (production code never needs them), kept out of the store.
import type { WarehouseQuerier } from '../../core/warehouse/queries.js';
import { selectList, type ValidationCheckRow } from '../../core/warehouse/tables.js';

/** The run's failed validation checks, errors before warnings. */
export function failedChecks(metrics: WarehouseQuerier, runId: string): Promise<ValidationCheckRow[]> {
  return metrics.query(
    `SELECT ${selectList('validation_checks')} FROM validation_checks
     WHERE run_id = ? AND NOT passed
     ORDER BY severity = 'error' DESC, check_name, column_name NULLS FIRST`,
    [runId],
  );
}

/** How many epochs have rows from more than one attempt: zero when retries resumed from checkpoints. */
export async function epochsTrainedMoreThanOnce(metrics: WarehouseQuerier, runId: string): Promise<number> {
  const [row] = await metrics.query<{ n: number }>(
    `SELECT count(*) AS n FROM (
       SELECT epoch FROM training_epochs WHERE run_id = ? GROUP BY epoch HAVING count(DISTINCT attempt) > 1
     )`,
    [runId],
  );
  return row?.n ?? 0;
}
