// Guards determinism: recorded histories of the training pipeline must replay against today's
// workflow code. A failure here means a change needs patched() or a new workflow type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { buildWorkflowBundle } from '../../worker/bundle.js';
import { workflowSpanSinks } from '../../worker/tracing.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'histories');

test('every recorded training-pipeline history replays without non-determinism', async () => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  assert.ok(files.length >= 10, `expected the recorded fixtures, found ${files.length}`);
  const { path } = await buildWorkflowBundle();
  for (const file of files) {
    // Fixtures are `{ workflowId, history }`; the oldest ones are a bare history.
    const json = JSON.parse(await readFile(join(dir, file), 'utf8')) as {
      workflowId?: string;
      history?: unknown;
      events?: unknown;
    };
    const history = proto.temporal.api.history.v1.History.fromObject((json.history ?? json) as object);
    await assert.doesNotReject(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: path }, sinks: workflowSpanSinks() },
        history,
        json.workflowId ?? file,
      ),
      `${file} no longer replays`,
    );
  }
});
