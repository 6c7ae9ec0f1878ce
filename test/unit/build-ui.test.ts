// The web console build hook of `npm start` / `npm test`: skipped without ui/, run when ui/dist is
// missing or older than a source, left alone when current. A stand-in ui/ whose build script writes
// dist/ and counts its runs takes Vite's place (the real ui/ is the front end's to provide).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error -- plain JavaScript (it runs before TypeScript tooling is installed), no declarations.
import { buildUi, uiBuildState } from '../../infra/local/build-ui.mjs';

const build = `
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
mkdirSync('dist', { recursive: true });
const runs = existsSync('runs') ? Number(readFileSync('runs', 'utf8')) + 1 : 1;
writeFileSync('runs', String(runs));
writeFileSync('dist/index.html', '<!doctype html>' + runs);
`;

test('the console build is skipped without ui/, runs when dist is missing or stale, and not when it is current', async () => {
  const root = await mkdtemp(join(tmpdir(), 'ferry-build-ui-'));
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  try {
    assert.equal(buildUi({ root, log }), 'absent');
    assert.match(lines.join('\n'), /no ui\/ folder yet: skipping/);
    const ui = join(root, 'ui');
    await mkdir(join(ui, 'src'), { recursive: true });
    await writeFile(
      join(ui, 'package.json'),
      JSON.stringify({ type: 'module', scripts: { build: 'node build.mjs' } }),
    );
    await writeFile(join(ui, 'build.mjs'), build);
    await writeFile(join(ui, 'index.html'), '<!doctype html>');
    await writeFile(join(ui, 'src', 'main.ts'), 'export {};');
    assert.deepEqual(uiBuildState(root), { state: 'stale', why: 'ui/dist is missing' });
    assert.equal(buildUi({ root, log }), 'built');
    assert.equal(await readFile(join(ui, 'runs'), 'utf8'), '1');
    assert.deepEqual(uiBuildState(root), { state: 'fresh' });
    assert.equal(buildUi({ root, log }), 'fresh');
    assert.equal(await readFile(join(ui, 'runs'), 'utf8'), '1', 'not rebuilt while current');
    // A source edited after the build (mtime in the future, so the test does not depend on clock resolution).
    const later = new Date(Date.now() + 60_000);
    await utimes(join(ui, 'src', 'main.ts'), later, later);
    assert.deepEqual(uiBuildState(root), { state: 'stale', why: 'ui/src changed since the last build' });
    assert.equal(buildUi({ root, log }), 'built');
    assert.equal(await readFile(join(ui, 'runs'), 'utf8'), '2');
    const earlier = new Date(Date.now() - 60_000);
    await utimes(join(ui, 'src', 'main.ts'), earlier, earlier);
    await writeFile(join(ui, 'vite.config.ts'), 'export default {};');
    const evenLater = new Date(Date.now() + 120_000);
    await utimes(join(ui, 'vite.config.ts'), evenLater, evenLater);
    assert.deepEqual(uiBuildState(root), {
      state: 'stale',
      why: 'ui/vite.config.ts changed since the last build',
    });
    // A build that writes no index.html is a failure, not a silent success.
    await writeFile(join(ui, 'build.mjs'), '');
    await rm(join(ui, 'dist'), { recursive: true });
    assert.throws(() => buildUi({ root, log, force: true }), /wrote no ui\/dist\/index.html/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
