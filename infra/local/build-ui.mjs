// Builds the web console (ui/ → ui/dist, `vite build`) for `npm run build:ui`, and for `npm start` and
// `npm test` when ui/dist is missing or older than its sources. Plain JavaScript, like bootstrap.mjs
// that calls it: it runs before anything else is known to work. The API serves ui/dist at /ui.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Newest modification time (ms) of a file or of every file under a folder; 0 when absent. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    max = Math.max(max, newest(join(path, entry.name)));
  }
  return max;
}

/** Whether ui/ exists, and whether ui/dist is current: 'absent', 'fresh', or a reason to build. */
export function uiBuildState(root = defaultRoot) {
  const ui = join(root, 'ui');
  if (!existsSync(join(ui, 'package.json')) && !existsSync(join(ui, 'index.html')))
    return { state: 'absent' };
  const built = join(ui, 'dist', 'index.html');
  if (!existsSync(built)) return { state: 'stale', why: 'ui/dist is missing' };
  const viteConfigs = readdirSync(ui).filter((f) => /^vite\.config\./.test(f));
  const sources = ['src', 'index.html', 'public', 'package.json', 'package-lock.json', ...viteConfigs];
  const changed = sources.find((s) => newest(join(ui, s)) > statSync(built).mtimeMs);
  return changed ? { state: 'stale', why: `ui/${changed} changed since the last build` } : { state: 'fresh' };
}

function run(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${r.status})`);
}

/**
 * Builds ui/dist: installs ui/'s own npm dependencies first when it has a lock file and they are
 * missing or stale, then runs its `build` script (or `vite build`). `force`: build even when fresh.
 * Returns what it did, for the caller to say.
 */
export function buildUi({ root = defaultRoot, force = false, log = console.log } = {}) {
  const s = uiBuildState(root);
  if (s.state === 'absent') {
    log('no ui/ folder yet: skipping the web console build (/ui will answer 503)');
    return 'absent';
  }
  if (s.state === 'fresh' && !force) return 'fresh';
  const ui = join(root, 'ui');
  const lock = join(ui, 'package-lock.json');
  const installed = join(ui, 'node_modules', '.package-lock.json');
  if (existsSync(lock) && (!existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs)) {
    log('installing the web console’s npm dependencies …');
    run('npm', ['ci', '--no-audit', '--no-fund'], ui);
  }
  log(`building the web console (${s.why ?? 'asked to'}) …`);
  const pkg = existsSync(join(ui, 'package.json'))
    ? JSON.parse(readFileSync(join(ui, 'package.json'), 'utf8'))
    : {};
  if (pkg.scripts?.build) run('npm', ['run', 'build'], ui);
  else run('npx', ['--no-install', 'vite', 'build'], ui);
  if (!existsSync(join(ui, 'dist', 'index.html')))
    throw new Error('the web console build wrote no ui/dist/index.html');
  return 'built';
}

// `npm run build:ui`: always builds.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    buildUi({ force: true });
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
