/**
 * The command line of `npm run bench`, parsed into settings. Pure apart from reading `argv`.
 */
import { parseArgs } from 'node:util';

/** What one benchmark run does. */
export type BenchOptions = {
  /** Cold processes per candidate (the median is reported). */
  runs: number;
  /** Timed invocations of the warm process, after {@link warmup} untimed ones. */
  invocations: number;
  warmup: number;
  /** Candidate ids to measure besides the references; empty means all. */
  only: string[];
  /** Where the markdown report goes, as given (relative to the working directory); default bench/results.md. */
  out: string | undefined;
  quick: boolean;
  help: boolean;
};

export const USAGE = `Usage: npm run bench -- [--quick] [--runs N] [--invocations N] [--only <id>]... [--out <file>]

Measures bundle size, cold start, warm latency and peak RSS of each trigger function of template.yaml
against baselines measured in the same run, and writes a markdown report.

Options:
  --runs <N>          cold processes per candidate, interleaved (default 15; 5 with --quick)
  --invocations <N>   timed warm invocations per candidate (default 2000; 300 with --quick)
  --only <id>         measure only this candidate (repeat, or comma-separate); the references
                      \`node\` and \`bare-handler\` are always measured
  --out <file>        report file (default bench/results.md)
  --quick             fewer runs and invocations, for CI
  -h, --help          show this help`;

const DEFAULTS = { runs: 15, invocations: 2000 };
const QUICK = { runs: 5, invocations: 300 };

/** A command line that cannot be run. */
export class BenchUsageError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BenchUsageError';
  }
}

function countOf(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const count = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new BenchUsageError(`--${flag} must be a whole number of at least 1, found "${value}"`);
  }
  return count;
}

/** Reads the benchmark's arguments (`process.argv.slice(2)`). */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const { values } = parsed;
  const quick = values.quick ?? false;
  const invocations = countOf(values.invocations, 'invocations', (quick ? QUICK : DEFAULTS).invocations);
  return {
    runs: countOf(values.runs, 'runs', (quick ? QUICK : DEFAULTS).runs),
    invocations,
    // Enough to get past V8's tiers and the first garbage collections, small next to the timed part.
    warmup: Math.max(50, Math.round(invocations / 10)),
    only: (values.only ?? []).flatMap((item) => item.split(',').map((id) => id.trim())).filter(Boolean),
    out: values.out,
    quick,
    help: values.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: false,
    strict: true,
    options: {
      runs: { type: 'string' },
      invocations: { type: 'string' },
      only: { type: 'string', multiple: true },
      out: { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
