// Tools built from this repository's Go source are cached under a version made from that source:
// an edit must give a new version (a rebuild), anything else in the folder must not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedBinaryPath, localToolSpec } from '../../infra/local/binaries.js';

function toolDir(): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'ferry-local-tool-'));
  const dir = join(root, 'tools', 'check');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'go.mod'), 'module example.com/check\n\ngo 1.25\n');
  writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
  return { root, dir };
}

test('a local tool is versioned by the hash of its Go source and built from its folder', () => {
  const { root, dir } = toolDir();
  const spec = localToolSpec({ name: 'check', sourceDir: 'tools/check', minGo: '1.25' }, root);
  assert.match(spec.version, /^src-[0-9a-f]{12}$/);
  assert.equal(spec.sourceDir, dir);
  assert.equal(spec.module, './tools/check');
  assert.equal(cachedBinaryPath(spec, '/cache'), `/cache/bin/check-${spec.version}/check`);
});

test('editing a Go file or go.sum changes the version; a README does not', () => {
  const { root, dir } = toolDir();
  const tool = { name: 'check', sourceDir: 'tools/check', minGo: '1.25' };
  const first = localToolSpec(tool, root).version;
  writeFileSync(join(dir, 'README.md'), 'notes\n');
  assert.equal(localToolSpec(tool, root).version, first);
  writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() { println() }\n');
  const second = localToolSpec(tool, root).version;
  assert.notEqual(second, first);
  writeFileSync(join(dir, 'go.sum'), 'example.com/x v1.0.0 h1:abc=\n');
  assert.notEqual(localToolSpec(tool, root).version, second);
});
