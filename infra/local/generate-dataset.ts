// Writes the synthetic churn dataset as CSV, to a file or stdout, for demos and by-hand experiments:
//   tsx infra/local/generate-dataset.ts --rows 20000 --seed 1 [--drift 0.8] [--nulls 0.1] [--out file.csv]
import { FailureType, typedError } from '../../core/errors.js';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { churnCsvChunks, writeChurnCsv, type ChurnOptions } from '../../core/datasets/synthetic-churn.js';

const usage = `usage: generate-dataset.ts --rows N --seed S [options]

  --rows N                  rows to write, header excluded (whole number ≥ 1)
  --seed S                  PRNG seed; the same seed gives the same file (0–4294967295)
  --drift D                 shift tenure, charges, plan and region mixes (0–1, default 0)
  --nulls F                 share of rows with about half their features null (0–1)
  --out-of-range F          share of rows with tenure, charges or age out of range (0–1)
  --unknown-categories F    share of rows with every categorical feature off its domain (0–1)
  --duplicates F            share of rows that copy an earlier row exactly (0–1)
  --out PATH                CSV file to write (default: stdout)
  --help                    show this text`;

/** Thrown when the command line is wrong; the message names the flag and the rule. */
class UsageError extends typedError(FailureType.InvalidInput) {}

function wholeNumber(
  flag: string,
  raw: string | undefined,
  rule: string,
  ok: (n: number) => boolean,
): number {
  if (raw === undefined) throw new UsageError(`--${flag} is required`);
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !ok(value)) throw new UsageError(`--${flag} must be ${rule}, got '${raw}'`);
  return value;
}

function fraction(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !(value >= 0 && value <= 1))
    throw new UsageError(`--${flag} must be a number from 0 to 1, got '${raw}'`);
  return value;
}

function parse(argv: string[]): { options: ChurnOptions; out: string | undefined } | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        rows: { type: 'string' },
        seed: { type: 'string' },
        drift: { type: 'string' },
        nulls: { type: 'string' },
        'out-of-range': { type: 'string' },
        'unknown-categories': { type: 'string' },
        duplicates: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    // parseArgs already names the flag ("Unknown option '--rowz'"); keep its words.
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return 'help';
  if (values.out === '') throw new UsageError('--out must be a file path, got an empty string');
  const defects = {
    nullFraction: fraction('nulls', values.nulls),
    outOfRangeFraction: fraction('out-of-range', values['out-of-range']),
    unknownCategoryFraction: fraction('unknown-categories', values['unknown-categories']),
    duplicateFraction: fraction('duplicates', values.duplicates),
  };
  return {
    options: {
      rows: wholeNumber('rows', values.rows, 'a whole number ≥ 1', (n) => n >= 1 && Number.isSafeInteger(n)),
      seed: wholeNumber('seed', values.seed, 'a whole number from 0 to 4294967295', (n) => n <= 0xffffffff),
      drift: fraction('drift', values.drift) ?? 0,
      defects,
    },
    out: values.out,
  };
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`generate-dataset: ${err.message}\n\n${usage}`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(usage);
    return 0;
  }
  const { options, out } = parsed;
  try {
    if (out === undefined) {
      await pipeline(Readable.from(churnCsvChunks(options), { objectMode: false }), process.stdout);
    } else {
      const { rows } = await writeChurnCsv(out, options);
      console.error(`wrote ${rows} rows to ${out}`);
    }
  } catch (err) {
    // Defect fractions that together exceed the row count are only caught by the generator.
    if (err instanceof RangeError) {
      console.error(`generate-dataset: ${err.message}`);
      return 2;
    }
    const code = (err as NodeJS.ErrnoException).code;
    // A reader that stops early (`| head`) is not a failure.
    if (code === 'EPIPE') return 0;
    if (out !== undefined && code !== undefined) {
      console.error(`generate-dataset: cannot write --out ${out}: ${(err as Error).message}`);
      return 1;
    }
    throw err;
  }
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  console.error(err);
  process.exitCode = 1;
}
