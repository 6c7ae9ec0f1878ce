// A client nobody here wrote: Schemathesis against a real listening API with a token of each role, every
// phase and every check, over a dataset, a pipeline and a model with two versions. Run by
// `npm run test:schemathesis`; not yet part of `npm test` and CI, because its findings are still open
// (issue 8 §5: no examples in the document; 400s for some schema-valid SQL, predict rows, feedback
// labels, uploads and cursors). It fails honestly until they are fixed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
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
          'run',
          `${fx.baseUrl}/docs/json`,
          '--header',
          `Authorization: Bearer ${tokens[role].secret}`,
          '--max-examples',
          '5',
          '--workers',
          '2',
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
        { timeout: 150_000, maxBuffer: 64 << 20 },
      ).catch((err: { stdout?: string; code?: number }) => ({ stdout: err.stdout ?? '', failed: err.code }));
      const summary = result.stdout.slice(result.stdout.lastIndexOf('SUMMARY'));
      console.log(`schemathesis (${role}):\n${summary}`);
      assert.ok(
        !('failed' in result),
        `schemathesis failed with the ${role} token:\n${result.stdout.slice(-20_000)}`,
      );
      for (const phase of ['Examples', 'Coverage', 'Fuzzing', 'Stateful'])
        assert.match(summary, new RegExp(`✅ ${phase}`), `${phase} did not pass for every operation`);
      const selected = /Selected: (\d+)\/(\d+)/.exec(summary);
      const tested = /Tested: (\d+)/.exec(summary);
      assert.ok(selected && tested && selected[1] === selected[2] && tested[1] === selected[2], summary);
    },
  );
}
