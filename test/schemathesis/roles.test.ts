// A client nobody here wrote: Schemathesis against a real listening API with a token of each role, every
// phase and every check, over a dataset, a pipeline and a model with two versions. Run by
// `npm run test:schemathesis`, which `.ci/run` calls after `npm test`. Its settings (schemathesis.toml
// next to this file) only add what the document cannot say: where a schema-valid request may still be
// refused by a rule JSON Schema cannot state, each named with its rule.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { tokens, type TokenName } from '../helpers/api.js';
import { startOpenApiFixture, type OpenApiFixture } from '../helpers/openapi-fixture.js';

const run = promisify(execFile);

let fx: OpenApiFixture;
before(async () => {
  fx = await startOpenApiFixture();
});
after(async () => {
  await fx?.close();
});

for (const role of ['viewer', 'operator', 'approver', 'admin'] as const satisfies readonly TokenName[]) {
  test(
    `Schemathesis finds no failure in any phase with the ${role} token`,
    { timeout: 300_000 },
    async () => {
      const result = await run(
        join(fx.bin, 'st'),
        [
          '--config-file',
          join(import.meta.dirname, 'schemathesis.toml'),
          'run',
          `${fx.baseUrl}/docs/json`,
          '--header',
          `Authorization: Bearer ${tokens[role].secret}`,
          '--max-examples',
          '5',
          // One worker: Hypothesis parses lambda sources with `ast` lazily, and two threads doing so at
          // once trip CPython 3.11's "AST constructor recursion depth mismatch" (a tool crash, reported as
          // a runtime error); a second thread buys little anyway, Schemathesis being bound by the GIL.
          '--workers',
          '1',
          '--seed',
          '20261202',
          '--generation-database',
          'none',
          '--request-timeout',
          '20',
          // Bounds the run on a loaded 2-core CI machine: four roles stay inside 8 minutes.
          '--max-time',
          '90',
          '--no-color',
        ],
        // Its cache (.schemathesis/) goes to the fixture's scratch directory, not the working tree.
        { timeout: 150_000, maxBuffer: 64 << 20, cwd: dirname(fx.docPath) },
      ).catch((err: { stdout?: string; code?: number }) => ({ stdout: err.stdout ?? '', failed: err.code }));
      const summary = result.stdout.slice(result.stdout.lastIndexOf('SUMMARY'));
      console.log(`schemathesis (${role}):\n${summary}`);
      assert.ok(
        !('failed' in result),
        `schemathesis failed with the ${role} token:\n${result.stdout.slice(-20_000)}`,
      );
      for (const phase of ['Examples', 'Coverage', 'Fuzzing', 'Stateful'])
        assert.match(summary, new RegExp(`✅ ${phase}`), `${phase} did not pass for every operation`);
      // Every operation is tested but the two event streams, which schemathesis.toml disables (they never
      // end); whether Schemathesis counts disabled operations as selected or not, nothing else is left out.
      const selected = /Selected: (\d+)\/(\d+)/.exec(summary);
      const tested = /Tested: (\d+)/.exec(summary);
      const total = Number(selected?.[2]);
      assert.ok(
        selected &&
          tested &&
          Number(tested[1]) === total - 2 &&
          [total, total - 2].includes(Number(selected[1])),
        summary,
      );
    },
  );
}
