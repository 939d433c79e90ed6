/**
 * `npm run bench -- [--quick] [--runs N] [--invocations N] [--only <id>]... [--memory <MB>]... [--share-runs N]
 * [--skip-shares] [--out <file>]`
 *
 * Builds every candidate of `bench/candidates.ts` with the esbuild options of `template.yaml`, measures cold
 * starts (fresh processes, interleaved), warm latency (one process) and footprint on a whole core, then cold
 * starts at Lambda's CPU share of each memory size (bench/shares.ts), and prints a markdown report; it writes
 * a file only when given `--out`. Every run, `--quick` too, also measures the client package's entries
 * (bench/client-size.ts), reported last. Exit 2 on a bad command line, 1 on a failed run (in CI, also when
 * the CPU shares cannot be measured).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { stop as stopEsbuild } from 'esbuild';
import { detectCpuController } from '../harness/cpu-share.js';
import { PROJECT_ROOT } from '../harness/paths.js';
import { runtimeNode } from '../harness/runtime-node.js';
import { loadTemplate } from '../harness/template.js';
import { localCodeKey } from '../local/custom-senders.js';
import { CANDIDATES, METRICS_COMPARISONS, REFERENCE, selectCandidates } from './candidates.js';
import { measureClientEntries, renderClientSizeSection } from './client-size.js';
import { type ColdSample, coldRounds, warmRun } from './measure.js';
import { metricsOverheads, renderMetricsSection } from './metrics-overhead.js';
import { BenchUsageError, parseBenchOptions, USAGE } from './options.js';
import { prepareCandidates } from './prepare.js';
import { type CandidateResult, renderReport, renderTables } from './report.js';
import { renderSharesSection } from './share-report.js';
import { shareRows } from './share-scenarios.js';
import { measureShares, type SharesResult, sharesUnavailableReason } from './shares.js';
import { summarize } from './stats.js';

/** The packages whose versions decide bundle size and init cost, as `name@version`. */
const MEASURED_PACKAGES = [
  'esbuild',
  '@aws-lambda-powertools/logger',
  '@aws-lambda-powertools/tracer',
  '@aws-lambda-powertools/metrics',
  '@aws-sdk/client-cognito-identity-provider',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
];

function installedVersion(name: string): string {
  try {
    const manifest = JSON.parse(
      readFileSync(join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8'),
    );
    return `${name}@${(manifest as { version?: string }).version ?? '?'}`;
  } catch {
    return `${name}@(not installed)`;
  }
}

function summarizeCold(samples: readonly ColdSample[]): CandidateResult['cold'] {
  const optional = (values: Array<number | undefined>) => {
    const present = values.filter((value): value is number => value !== undefined);
    return present.length === 0 ? undefined : summarize(present);
  };
  return {
    wallMs: summarize(samples.map((sample) => sample.wallMs)),
    wallMsByRound: samples.map((sample) => sample.wallMs),
    maxRssKb: summarize(samples.map((sample) => sample.maxRssKb)),
    requireMs: optional(samples.map((sample) => sample.requireMs)),
    firstInvocationMs: optional(samples.map((sample) => sample.firstInvocationMs)),
    outcomes: [
      ...new Set(samples.flatMap((sample) => (sample.outcome === undefined ? [] : [sample.outcome]))),
    ],
  };
}

/** The Node the bundles ran on, as the report's header names it (bench/measure.ts runs them on the runtime's). */
function benchedNode(): string {
  const found = runtimeNode();
  return found.available ? found.version : `${process.version} (not the runtime's Node: ${found.reason})`;
}

/** The commit measured, and whether the working tree differed from it (read only: no lock, no index refresh). */
function sourceState(): string | undefined {
  const git = (args: string[]) =>
    spawnSync('git', ['--no-optional-locks', ...args], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 10_000,
    });
  const head = git(['rev-parse', '--short', 'HEAD']);
  if (head.status !== 0) return undefined;
  const changes = git(['status', '--porcelain', '--untracked-files=no']);
  const dirty = changes.status === 0 && changes.stdout.trim() !== '';
  return `commit ${head.stdout.trim()}${dirty ? ' with uncommitted changes' : ''}`;
}

/**
 * Whether the CPU shares section can run, decided before anything is measured: `undefined` when it can or is
 * not wanted, else why not. In CI (`CI=true`) that is a failure, not a skip.
 */
function sharesSkipReason(skip: boolean): string | undefined {
  if (skip) return undefined;
  const reason = sharesUnavailableReason(detectCpuController(), shareRows());
  if (reason === undefined) return undefined;
  if (process.env.CI === 'true') throw new Error(`shares: required in CI, but ${reason}`);
  console.warn(`SKIPPED shares: ${reason}`);
  return reason;
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseBenchOptions(argv);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const started = performance.now();
  // The bench's own SDK clients (setting the loopback servers up) would print Node 20's support notice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const skipReason = sharesSkipReason(options.skipShares);
  const template = loadTemplate();
  const candidates = selectCandidates(CANDIDATES, options.only);
  // Under the project, like dist/: the bundles leave @aws-sdk/* external and resolve it from node_modules.
  mkdirSync(join(PROJECT_ROOT, 'dist'), { recursive: true });
  const scratch = mkdtempSync(join(PROJECT_ROOT, 'dist', 'bench-'));
  let stopSenders: () => Promise<void> = async () => undefined;
  try {
    // Seconds, not minutes: first, so a package that no longer builds fails the run at once.
    console.error('bench: client package entries…');
    const clientSizes = await measureClientEntries();

    console.error(`bench: building ${candidates.length - 1} bundles…`);
    // The custom sender rows decrypt with the run's key and deliver to a loopback SES/SNS stand-in.
    const senders = await startSenderServices();
    stopSenders = senders.close;
    const prepared = await prepareCandidates(template, candidates, join(scratch, 'build'), senders);
    // esbuild keeps a service process alive; it has nothing more to do and must not compete for the CPU.
    await stopEsbuild();

    console.error(
      `bench: cold starts, 1 discarded + ${options.runs} rounds of ${prepared.length} processes…`,
    );
    const cold = coldRounds(prepared, options.runs, scratch, (round) =>
      process.stderr.write(round === options.runs ? `${round}\n` : `${round} `),
    );

    console.error(`bench: warm, ${options.warmup} + ${options.invocations} invocations per candidate…`);
    const results: CandidateResult[] = prepared.map((item, index) => {
      const warm = item.bundle === undefined ? undefined : warmRun(item, options, scratch);
      return {
        id: item.candidate.id,
        label: item.candidate.label,
        ...(item.bundle === undefined
          ? {}
          : { bundle: { bytes: item.bundle.bytes, gzipBytes: item.bundle.gzipBytes } }),
        cold: summarizeCold(cold[index] ?? []),
        ...(warm === undefined ? {} : { warm: { us: summarize(warm.samplesUs), outcomes: warm.outcomes } }),
      };
    });

    let shares: SharesResult | undefined;
    if (skipReason !== undefined) shares = { kind: 'skipped', reason: skipReason };
    else if (!options.skipShares) {
      shares = await measureShares({
        template,
        memorySizes: options.memory,
        runs: options.shareRuns,
        cores: cpus().length,
        scratchDir: scratch,
        log: (line) => console.error(`bench: ${line}`),
      });
      await stopEsbuild();
      if (shares.kind === 'skipped') {
        if (process.env.CI === 'true') throw new Error(`shares: required in CI, but ${shares.reason}`);
        console.warn(`SKIPPED shares: ${shares.reason}`);
      }
    }

    const metricsSection = renderMetricsSection(metricsOverheads(results, METRICS_COMPARISONS));
    const cpu = cpus();
    const source = sourceState();
    const report = renderReport(
      {
        date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        node: benchedNode(),
        cpu: cpu[0]?.model.trim() ?? 'unknown CPU',
        cores: cpu.length,
        runs: options.runs,
        invocations: options.invocations,
        warmup: options.warmup,
        command: ['npm run bench', ...(argv.length === 0 ? [] : ['--', ...argv])].join(' '),
        durationS: (performance.now() - started) / 1000,
        packages: MEASURED_PACKAGES.map(installedVersion),
        ...(source === undefined ? {} : { source }),
      },
      renderTables(results, REFERENCE),
      [
        ...(metricsSection === undefined ? [] : [metricsSection]),
        ...(shares === undefined ? [] : [renderSharesSection(shares)]),
        renderClientSizeSection(clientSizes),
      ],
    );
    console.log(report);
    if (options.out !== undefined) {
      const out = resolve(options.out);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, report);
      console.error(`bench: report written to ${relative(process.cwd(), out) || out}`);
    }
    return 0;
  } finally {
    await stopSenders();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The run's code key and the loopback SES/SNS stand-in the custom sender rows deliver to, in a child process
 * (bench/mail-stub.cjs): the cold and warm processes run synchronously, so this process cannot answer them.
 */
async function startSenderServices() {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bench', 'mail-stub.cjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolvePort, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (chunk: Buffer) => resolvePort(chunk.toString('utf8').trim()));
  });
  return {
    key: localCodeKey(),
    mailUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      child.stdin?.end();
      child.kill();
    },
  };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof BenchUsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
