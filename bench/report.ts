/**
 * The markdown report: three tables (cold start, warm invocation, footprint), each row against the
 * `node -e 0` and bare-handler references of the same run. Pure.
 */
import { formatBytes } from '../harness/build-functions.js';
import { formatDelta, formatNumber, markdownTable } from './format.js';
import type { Summary } from './stats.js';

/** What was measured for one candidate, reduced to summaries. */
export type CandidateResult = {
  id: string;
  label: string;
  bundle?: { bytes: number; gzipBytes: number };
  cold: {
    wallMs: Summary;
    /** Every process's wall time in round order: the n-th of each candidate ran in the same round. */
    wallMsByRound?: number[];
    maxRssKb: Summary;
    requireMs?: Summary;
    firstInvocationMs?: Summary;
    outcomes: string[];
  };
  warm?: { us: Summary; outcomes: string[] };
};

/** Where and how the numbers were taken. */
export type RunInfo = {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  runs: number;
  invocations: number;
  warmup: number;
  command: string;
  durationS: number;
  /** `name@version` of the packages that decide bundle size and init cost. */
  packages: string[];
  /** The source measured (`commit abc1234 with uncommitted changes`), when known. */
  source?: string;
};

const NONE = '—';

function cell(summary: Summary | undefined, decimals = 1): string {
  return summary === undefined ? NONE : formatNumber(summary.p50, decimals);
}

function against(value: number | undefined, reference: number | undefined, unit: string): string {
  return value === undefined || reference === undefined ? NONE : formatDelta(value, reference, unit);
}

/** Median peak RSS in MiB (`maxRSS` is in kilobytes on Linux). */
function rssMib(result: CandidateResult | undefined): number | undefined {
  return result === undefined ? undefined : result.cold.maxRssKb.p50 / 1024;
}

/** The three tables, as markdown, each under a `###` heading. */
export function renderTables(
  results: readonly CandidateResult[],
  references: { node: string; bare: string },
): string {
  const node = results.find((result) => result.id === references.node);
  const bare = results.find((result) => result.id === references.bare);

  const cold = markdownTable(
    [
      'candidate',
      'process ms',
      'p25–p75',
      'vs `node -e 0`',
      'vs bare handler',
      'require() ms',
      '1st invocation ms',
    ],
    results.map((result) => [
      result.label,
      cell(result.cold.wallMs),
      `${formatNumber(result.cold.wallMs.p25)}–${formatNumber(result.cold.wallMs.p75)}`,
      against(result.cold.wallMs.p50, node?.cold.wallMs.p50, 'ms'),
      against(result.cold.wallMs.p50, bare?.cold.wallMs.p50, 'ms'),
      cell(result.cold.requireMs, 2),
      cell(result.cold.firstInvocationMs, 2),
    ]),
  );

  const warmRows = results.filter((result) => result.warm !== undefined);
  const warm = markdownTable(
    ['candidate', 'p50 µs', 'p99 µs', 'mean µs', 'p50 vs bare handler', 'mean vs bare handler', 'result'],
    warmRows.map((result) => [
      result.label,
      cell(result.warm?.us),
      result.warm === undefined ? NONE : formatNumber(result.warm.us.p99),
      result.warm === undefined ? NONE : formatNumber(result.warm.us.mean),
      against(result.warm?.us.p50, bare?.warm?.us.p50, 'µs'),
      against(result.warm?.us.mean, bare?.warm?.us.mean, 'µs'),
      // Cold and warm outcomes together: a rejection or fault here means the row timed an error path.
      [...new Set([...result.cold.outcomes, ...(result.warm?.outcomes ?? [])])].join(', ') || NONE,
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'left'],
  );

  const footprint = markdownTable(
    [
      'candidate',
      'bundle',
      'gzipped',
      'gzipped vs bare handler',
      'peak RSS MiB',
      'vs `node -e 0`',
      'vs bare handler',
    ],
    results.map((result) => [
      result.label,
      result.bundle === undefined ? NONE : formatBytes(result.bundle.bytes),
      result.bundle === undefined ? NONE : formatBytes(result.bundle.gzipBytes),
      result.bundle === undefined || bare?.bundle === undefined
        ? NONE
        : formatDelta(result.bundle.gzipBytes / 1024, bare.bundle.gzipBytes / 1024, 'KiB'),
      formatNumber(result.cold.maxRssKb.p50 / 1024),
      against(rssMib(result), rssMib(node), 'MiB'),
      against(rssMib(result), rssMib(bare), 'MiB'),
    ]),
  );

  return [
    '### Cold start (median of fresh processes)',
    '',
    cold,
    '',
    '### Warm invocation (one process)',
    '',
    warm,
    '',
    '### Footprint',
    '',
    footprint,
  ].join('\n');
}

const HOW_TO_READ = `## How to read this

Every number comes from one run on one machine: compare rows with each other, never with another run or
another machine (on a small, shared VM the same row drifts by tens of percent between runs, while the
differences between rows of one run hold). **Cold start** is the wall time of a fresh \`node\` process that
loads the bundle and runs one invocation of a recorded event, the median of the runs; the candidates run
round-robin (after one discarded round), so drift hits every row alike. \`node -e 0\` is Node's own start and
exit, the floor under everything. \`require() ms\` is the part of it spent loading the bundle (module-scope
code: imports, clients constructed at cold start); \`1st invocation ms\` is the first call, with whatever the
handler builds lazily. Each baseline adds one thing to the row above it (the Cognito client to Logger +
Tracer, not to Metrics), so the step between two baseline rows is the cost of that thing, and a trigger row
is best compared with the baseline holding the same libraries. **Warm invocation** is one process, loaded
once and warmed up, timing each call from invoking the handler to its promise settling: logging and the
metrics document count (stdout goes to /dev/null), parsing the event does not.
Bundles are built with the esbuild options of \`template.yaml\`; each process gets the function's template
environment plus \`events/env.json\`. Like the template, bundles leave \`@aws-sdk/*\` external (Lambda ships
it), so the SDK baselines' bundle size leaves the SDK out while their cold start loads it from node_modules.
The Tracer is off (no \`AWS_EXECUTION_ENV\`), so X-Ray's per-call cost is
not here. Every bundle runs on the Lambda runtime's Node (the pinned Node 22 of harness/runtime-node.ts, named
above) where it is installed; elsewhere on the Node running the bench, and the header says so.
In Lambda the absolute numbers differ (a microVM, the runtime's own bootstrap, arm64, and CPU in proportion
to memory: 1,769 MB is one vCPU); what these tables are for is the comparison between rows. The section
"Cold start at Lambda's CPU shares" below measures under each memory size's share of a core.`;

/** The whole report: header, how to read it, the whole-core tables, then any further `##` sections. */
export function renderReport(info: RunInfo, tables: string, sections: readonly string[] = []): string {
  return [
    '# Benchmark results',
    '',
    `Generated by \`${info.command}\` on ${info.date} in ${formatNumber(info.durationS, 0)} s.`,
    '',
    `- Node.js ${info.node}, ${info.cpu} × ${info.cores} cores`,
    `- cold: ${info.runs} runs per candidate; warm: ${info.warmup} warm-up + ${info.invocations} timed invocations`,
    `- ${info.packages.join(', ')}`,
    ...(info.source === undefined ? [] : [`- source: ${info.source}`]),
    '',
    HOW_TO_READ,
    '',
    '## Results',
    '',
    tables,
    '',
    ...sections.flatMap((section) => [section.trimEnd(), '']),
  ].join('\n');
}
