/**
 * The command line of `npm run bench`, parsed into settings. Pure apart from reading `argv`.
 */
import { parseArgs } from 'node:util';
import { LAMBDA_MEMORY_MB, MEMORY_SIZES_MB, QUICK_MEMORY_SIZES_MB } from './share-plan.js';

/** What one benchmark run does. */
export type BenchOptions = {
  /** Cold processes per candidate (the median is reported). */
  runs: number;
  /** Timed invocations of the warm process, after {@link warmup} untimed ones. */
  invocations: number;
  warmup: number;
  /** Candidate ids to measure besides the references; empty means all. */
  only: string[];
  /** Where the markdown report is written, as given (relative to the working directory); unset: printed only. */
  out: string | undefined;
  /** Memory sizes (MB) of the CPU shares section, ascending. */
  memory: number[];
  /** Cold processes per row, memory size and init assumption in the CPU shares section. */
  shareRuns: number;
  /** Leaves the CPU shares section out. */
  skipShares: boolean;
  quick: boolean;
  help: boolean;
};

export const USAGE = `Usage: npm run bench -- [--quick] [--runs N] [--invocations N] [--only <id>]... [--memory <MB>]...
                         [--share-runs N] [--skip-shares] [--out <file>]

Measures bundle size, cold start, warm latency and peak RSS of each trigger function of template.yaml
against baselines measured in the same run, then cold starts at Lambda's CPU share of each memory size
(one CPU cgroup per process, calls to loopback servers), and prints a markdown report. Every run ends
with the sizes of the client package's entries (docs/client.md).

Options:
  --runs <N>          cold processes per candidate, interleaved (default 15; 5 with --quick)
  --invocations <N>   timed warm invocations per candidate (default 2000; 300 with --quick)
  --only <id>         measure only this candidate (repeat, or comma-separate); the references
                      \`node\` and \`bare-handler\` are always measured
  --memory <MB>       memory sizes of the CPU shares section (repeat, or comma-separate; default
                      ${MEMORY_SIZES_MB.join(',')}; ${QUICK_MEMORY_SIZES_MB.join(',')} with --quick)
  --share-runs <N>    cold processes per row, size and init assumption there (default 7; 2 with --quick)
  --skip-shares       leave the CPU shares section out
  --out <file>        also write the report to this file (default: print it only)
  --quick             fewer runs, invocations and sizes, for CI
  -h, --help          show this help

Without a writable cgroup CPU controller (root) or moto, the CPU shares section is skipped with a
\`SKIPPED shares: <reason>\` line; with CI=true that is a failure (exit 1).`;

const DEFAULTS = { runs: 15, invocations: 2000, shareRuns: 7, memory: MEMORY_SIZES_MB };
const QUICK = { runs: 5, invocations: 300, shareRuns: 2, memory: QUICK_MEMORY_SIZES_MB };

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

function memorySizesOf(values: readonly string[] | undefined, fallback: readonly number[]): number[] {
  const items = (values ?? []).flatMap((item) => item.split(',').map((size) => size.trim())).filter(Boolean);
  if (items.length === 0) return [...fallback];
  const sizes = items.map((item) => {
    const size = /^\d+$/.test(item) ? Number(item) : Number.NaN;
    if (!Number.isSafeInteger(size) || size < LAMBDA_MEMORY_MB.min || size > LAMBDA_MEMORY_MB.max) {
      throw new BenchUsageError(
        `--memory must be whole MB from ${LAMBDA_MEMORY_MB.min} to ${LAMBDA_MEMORY_MB.max}, found "${item}"`,
      );
    }
    return size;
  });
  return [...new Set(sizes)].sort((a, b) => a - b);
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
  const defaults = quick ? QUICK : DEFAULTS;
  const invocations = countOf(values.invocations, 'invocations', defaults.invocations);
  return {
    runs: countOf(values.runs, 'runs', defaults.runs),
    invocations,
    // Enough to get past V8's tiers and the first garbage collections, small next to the timed part.
    warmup: Math.max(50, Math.round(invocations / 10)),
    only: (values.only ?? []).flatMap((item) => item.split(',').map((id) => id.trim())).filter(Boolean),
    out: values.out,
    memory: memorySizesOf(values.memory, defaults.memory),
    shareRuns: countOf(values['share-runs'], 'share-runs', defaults.shareRuns),
    skipShares: values['skip-shares'] ?? false,
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
      memory: { type: 'string', multiple: true },
      'share-runs': { type: 'string' },
      'skip-shares': { type: 'boolean' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
