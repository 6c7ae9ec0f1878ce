// `npm run test:browser [filter]`: builds the console (ui/dist), checks that Debian's Chromium is
// there, then runs test/browser/*.test.ts against a fresh test stack as `npm test` does.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { runTests } from '../../infra/local/run-tests.js';
import { repoRoot } from '../../infra/local/stack.js';
import { chromiumPath } from '../helpers/browser.js';

if (!existsSync(chromiumPath)) {
  console.error(`${chromiumPath} is missing: install Debian's Chromium (apt-get install -y chromium)`);
  process.exit(1);
}
await build({ root: join(repoRoot, 'ui'), logLevel: 'warn' });
process.exitCode = await runTests(process.argv[2], ['test/browser']);
