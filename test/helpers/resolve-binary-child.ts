// Child process for the binary-cache tests: resolves one binary as `npm start` would, so a test can
// kill it mid-build. Arguments arrive as JSON in argv[2]; the result is printed as JSON.
import { resolveBinary } from '../../infra/local/binaries.js';
import type { BinarySpec } from '../../infra/local/versions.js';

const { spec, cacheDir, env, buildTimeoutMs, staleLockMs } = JSON.parse(process.argv[2]!) as {
  spec: BinarySpec;
  cacheDir: string;
  env: Record<string, string>;
  buildTimeoutMs: number;
  staleLockMs: number;
};
const result = await resolveBinary(spec, {
  cacheDir,
  env,
  buildTimeoutMs,
  staleLockMs,
  log: (line) => console.log(line),
});
console.log(JSON.stringify(result));
