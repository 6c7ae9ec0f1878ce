// `npm run up|down|status|binaries`, and the second half of `npm start` / `npm test`.
import { baseEnv, ConfigError, loadConfig, type FerryConfig } from '../../core/config.js';
import { createStack, StackError } from './stack.js';

const usage =
  'usage: cli.ts up | down | status | binaries | temporal-setup | start | test | test-cluster | test-schemathesis | test-container';

async function main(mode: string | undefined): Promise<number> {
  let config: FerryConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const stack = createStack({ config, env: baseEnv() });
  switch (mode) {
    case 'up':
      await stack.up();
      printUrls(stack.urls());
      return 0;
    case 'down':
      await stack.down();
      return 0;
    case 'status': {
      for (const s of await stack.status()) {
        const urls = Object.values(s.urls).join('  ');
        console.log(`${s.name.padEnd(18)} ${s.state.padEnd(10)} ${String(s.pid ?? '-').padEnd(8)} ${urls}`);
      }
      return 0;
    }
    case 'temporal-setup': {
      // For a self-hosted cluster's deploy job: the namespace with its retention, then the search attributes.
      const { setUpTemporal } = await import('./temporal-setup-cli.js');
      await setUpTemporal(config, console.log);
      return 0;
    }
    case 'binaries':
      await stack.ensureBinaries();
      return 0;
    case 'start': {
      await stack.up();
      const { runDemo } = await import('./demo.js');
      await runDemo(config);
      printUrls(stack.urls());
      console.log('The stack keeps running; `npm run down` stops it.');
      return 0;
    }
    case 'test': {
      const { runTests } = await import('./run-tests.js');
      return runTests();
    }
    case 'test-cluster': {
      const { runClusterTests } = await import('./run-tests.js');
      return runClusterTests(process.argv.slice(3));
    }
    case 'test-schemathesis': {
      const { runTests } = await import('./run-tests.js');
      return runTests(undefined, ['test/schemathesis']);
    }
    case 'test-container': {
      // Builds the image and runs its roles against a test stack of its own (minutes: not in `npm test`).
      const { runTests } = await import('./run-tests.js');
      return runTests(undefined, ['test/container']);
    }
    default:
      console.error(usage);
      return 2;
  }
}

function printUrls(urls: Record<string, string>): void {
  console.log('');
  for (const [name, url] of Object.entries(urls)) console.log(`  ${name.padEnd(15)} ${url}`);
  console.log('');
}

try {
  process.exitCode = await main(process.argv[2]);
} catch (err) {
  if (err instanceof StackError) {
    console.error(`\n✗ ${err.component}: ${err.message}${err.logFile ? `\n  log file: ${err.logFile}` : ''}`);
    process.exitCode = 1;
  } else {
    console.error(err);
    process.exitCode = 1;
  }
}
