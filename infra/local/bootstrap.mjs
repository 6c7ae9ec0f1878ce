// Entry point of `npm start` and `npm test` on a fresh clone: installs npm dependencies when they
// are missing or stale, then hands over to the TypeScript CLI. Plain JavaScript: nothing is installed yet.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const mode = process.argv[2];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 3)) {
  console.error(`Ferry needs Node.js ≥ 20.3 (found ${process.versions.node}).`);
  process.exit(1);
}

const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
const stale =
  !existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs);
if (stale) {
  console.log('installing npm dependencies …');
  const npm = spawnSync('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (npm.status !== 0) {
    console.error('npm install failed; see the output above.');
    process.exit(npm.status ?? 1);
  }
}

// The web console the API serves at /ui: built when ui/dist is missing or older than its sources.
if (mode === 'start' || mode === 'test') {
  const { buildUi } = await import('./build-ui.mjs');
  try {
    buildUi({ root });
  } catch (err) {
    console.error(`the web console could not be built: ${err.message}`);
    process.exit(1);
  }
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'infra', 'local', 'cli.ts'), mode, ...process.argv.slice(3)],
  { cwd: root, stdio: 'inherit' },
);
// Ctrl-C or a CI timeout reaches the CLI, which stops the stack it started before it exits.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code) => process.exit(code ?? 1));
