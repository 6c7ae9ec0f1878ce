// The read-only SQL guard against real DuckDB: CTE names are scoped as DuckDB binds them, only
// allowlisted functions are callable, and a query slot is free again only once DuckDB has stopped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { literal, openDuckDb } from '../../core/data/duckdb.js';
import {
  createReadOnlyQueryRunner,
  QueryFailedError,
  QueryTimeoutError,
  runReadOnlyQuery,
  SqlRejectedError,
  TooManyQueriesError,
  type ViewSource,
} from '../../core/warehouse/sql-sandbox.js';

let dir: string;
let views: ViewSource[];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-sql-guard-'));
  const runs = join(dir, 'runs');
  await mkdir(runs);
  const db = await openDuckDb({ threads: 1 });
  await db.run(
    `COPY (SELECT 'r' || range AS run_id, range AS n FROM range(10)) TO ${literal(join(runs, 'a.parquet'))} (FORMAT parquet)`,
  );
  db.close();
  views = [
    {
      name: 'runs',
      createSql: `CREATE VIEW runs AS SELECT * FROM read_parquet(${literal(join(runs, '*.parquet'))})`,
      directory: runs,
    },
  ];
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const query = (sql: string, extra: { timeoutMs?: number; graceMs?: number } = {}) =>
  runReadOnlyQuery({ sql, views, maxRows: 100, timeoutMs: 5000, ...extra });

async function refused(sql: string, code: string, rule: RegExp): Promise<void> {
  await assert.rejects(query(sql), (err: unknown) => {
    assert.ok(err instanceof SqlRejectedError, `expected a refusal, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.rule, rule);
    return true;
  });
}

test('a CTE defined inside a subquery does not let the outer query read the system view of that name', async () => {
  await refused(
    'SELECT * FROM (WITH duckdb_views AS (SELECT 1 AS x) SELECT * FROM duckdb_views) t, duckdb_views',
    'sql-forbidden-source',
    /table "duckdb_views" is not allowed/,
  );
});

test('a CTE body cannot reach a system view through a later CTE of the same name', async () => {
  await refused(
    'WITH a AS (SELECT * FROM duckdb_databases), duckdb_databases AS (SELECT 1 AS x) SELECT * FROM a',
    'sql-forbidden-source',
    /table "duckdb_databases" is not allowed/,
  );
  await refused(
    'WITH duckdb_tables AS (SELECT * FROM duckdb_tables) SELECT * FROM duckdb_tables',
    'sql-forbidden-source',
    /table "duckdb_tables" is not allowed/,
  );
});

test('CTEs in scope, earlier CTEs and recursive CTEs still work', async () => {
  const out = await query(
    `WITH a AS (SELECT n FROM runs), b AS (SELECT max(n) AS m FROM a),
          r AS (WITH RECURSIVE t(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM t WHERE k < 3) SELECT max(k) AS k FROM t)
     SELECT (SELECT m FROM b) AS m, (SELECT k FROM r) AS k, (SELECT count(*) FROM (WITH c AS (SELECT 1 AS x) SELECT * FROM c)) AS c`,
  );
  assert.deepEqual(out.rows, [{ m: 9, k: 3, c: 1 }]);
});

test('functions that read settings, variables, the query or files are refused by name', async () => {
  for (const [sql, fn] of [
    ["SELECT current_setting('allowed_directories')", 'current_setting'],
    ["SELECT getvariable('x')", 'getvariable'],
    ["SELECT json_serialize_plan('SELECT 1')", 'json_serialize_plan'],
    ['SELECT current_query()', 'current_query'],
    ["SELECT rpad('x', 100000000, 'y')", 'rpad'],
    ["SELECT repeat('x', 100000000)", 'repeat'],
    ["SELECT run_id FROM runs WHERE n = (SELECT count(*) FROM runs) + length(getenv('HOME'))", 'getenv'],
    ['SELECT system.main.version()', 'system.main.version'],
  ] as const) {
    await refused(
      sql,
      'sql-forbidden-function',
      new RegExp(`function ${fn.replace(/\./g, '\\.')}\\(\\) is not allowed`),
    );
  }
});

test('table functions that read files or settings are refused, also when called through a view-like name', async () => {
  await refused(
    "SELECT * FROM read_parquet('/etc/passwd')",
    'sql-forbidden-source',
    /table function read_parquet\(\)/,
  );
  await refused("SELECT * FROM glob('/**')", 'sql-forbidden-source', /table function glob\(\)/);
  await refused(
    'SELECT * FROM duckdb_settings()',
    'sql-forbidden-source',
    /table function duckdb_settings\(\)/,
  );
  await refused("SELECT * FROM read_csv_auto('/etc/hosts')", 'sql-forbidden-source', /read_csv_auto/);
  await refused("SELECT * FROM '/etc/hosts'", 'sql-forbidden-source', /table "\/etc\/hosts" is not allowed/);
});

test('ordinary analytics (aggregates, windows, dates, JSON, lists, operators) pass the allowlist', async () => {
  const out = await query(
    `SELECT count(*) AS n, sum(n) + 1 AS s, max(length(run_id || 'x')) AS l,
            quantile_cont(n, 0.5) AS median, list_sum([1, 2]) AS ls,
            json_extract_string('{"a":"b"}', '$.a') AS j, date_part('year', DATE '2026-01-02') AS y,
            coalesce(NULL, 3) AS c, max(rn) AS rn
       FROM (SELECT *, row_number() OVER (ORDER BY n) AS rn FROM runs) WHERE run_id LIKE 'r%' AND n BETWEEN 0 AND 9`,
  );
  assert.deepEqual(out.rows, [{ n: 10, s: 46, l: 3, median: 4.5, ls: 3, j: 'b', y: 2026, c: 3, rn: 10 }]);
});

test('a query that needs more memory than its limit fails with DuckDB out-of-memory, not the process', async () => {
  await assert.rejects(
    runReadOnlyQuery({
      sql: "SELECT length(string_agg(md5(range::VARCHAR), '')) FROM range(20000000)",
      views,
      maxRows: 10,
      timeoutMs: 20_000,
      memoryLimit: '64MB',
      threads: 1,
    }),
    (err: unknown) => {
      assert.ok(err instanceof QueryFailedError, String(err));
      assert.match(err.reason, /Out of Memory/);
      return true;
    },
  );
});

test('a timed-out query keeps its slot until DuckDB has really stopped, even after its caller was answered', async () => {
  const runner = createReadOnlyQueryRunner({ maxConcurrent: 1 });
  const slow = 'SELECT sum(a.range * b.range) AS s FROM range(1000000000) a CROSS JOIN range(1000000000) b';
  // graceMs 0: the caller is answered at the deadline, while DuckDB is still unwinding from the interrupt.
  await assert.rejects(
    runner.run({ sql: slow, views, maxRows: 1, timeoutMs: 200, graceMs: 0 }),
    QueryTimeoutError,
  );
  assert.equal(runner.running(), 1, 'the slot is still taken right after the timeout answer');
  await assert.rejects(
    runner.run({ sql: 'SELECT 1', views, maxRows: 1, timeoutMs: 1000 }),
    TooManyQueriesError,
  );
  await runner.idle();
  assert.equal(runner.running(), 0);
  const out = await runner.run({ sql: 'SELECT 42 AS answer', views, maxRows: 1, timeoutMs: 1000 });
  assert.deepEqual(out.rows, [{ answer: 42 }]);
  assert.equal(runner.running(), 0, 'a finished query gives its slot back');
});

test('a refused query gives its slot back at once', async () => {
  const runner = createReadOnlyQueryRunner({ maxConcurrent: 1 });
  await assert.rejects(
    runner.run({ sql: 'DROP TABLE runs', views, maxRows: 1, timeoutMs: 1000 }),
    SqlRejectedError,
  );
  assert.equal(runner.running(), 0);
});
