import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { specReferenceMarkdown, specReferencePath } from '../../infra/docs/spec-reference.js';

test('docs/pipeline-spec.md is what `npm run docs:spec` generates from the schema (run it after changing the spec)', async () => {
  assert.equal(await readFile(specReferencePath, 'utf8'), await specReferenceMarkdown());
});

test('the spec reference lists every field with its default and marks the privileged ones', async () => {
  const page = await specReferenceMarkdown();
  assert.match(page, /\| `training\.epochs` +\| integer +\| `20` +\| ≥ 1; ≤ 1000 /);
  assert.match(page, /\| `approval\.policy` 🔒 +\| one of `manual`, `auto`, `auto-if-better` +\| `manual` /);
  assert.match(page, /\| `validation\.ranges\.<column>\.min` +\| number /);
});
