/**
 * The report's metrics section: what writing one metrics document per invocation costs, from the rows of the
 * same run that differ only in metrics (`METRICS_COMPARISONS` of bench/candidates.ts), and whether the
 * pure-path functions meet the cold-start target. Pure.
 */
import type { MetricsComparison } from './candidates.js';
import { formatDelta, formatNumber, markdownTable } from './format.js';
import type { CandidateResult } from './report.js';
import { type Summary, summarize } from './stats.js';

/** Metrics on may take at most this many times the cold start of metrics off (the 5 %). */
export const COLD_START_TARGET = 1.05;

/** One comparison, measured: the `on` and `off` results of the same run. */
export type MetricsOverhead = {
  comparison: MetricsComparison;
  on: CandidateResult;
  off: CandidateResult;
  /** Cold-start wall time on / off, per round (both ran in the same round); absent without the samples. */
  roundRatios?: Summary;
};

/** The on / off ratios of each round's cold start, or `undefined` when the rounds cannot be paired. */
export function roundRatiosOf(on: readonly number[] = [], off: readonly number[] = []): Summary | undefined {
  if (on.length === 0 || on.length !== off.length || off.some((value) => !(value > 0))) return undefined;
  return summarize(on.map((value, round) => value / (off[round] ?? Number.NaN)));
}

/** The comparisons whose two rows were both measured (`--only` may leave either out), in list order. */
export function metricsOverheads(
  results: readonly CandidateResult[],
  comparisons: readonly MetricsComparison[],
): MetricsOverhead[] {
  const byId = new Map(results.map((result) => [result.id, result]));
  return comparisons.flatMap((comparison) => {
    const on = byId.get(comparison.on);
    const off = byId.get(comparison.off);
    if (on === undefined || off === undefined) return [];
    const roundRatios = roundRatiosOf(on.cold.wallMsByRound, off.cold.wallMsByRound);
    return [{ comparison, on, off, ...(roundRatios === undefined ? {} : { roundRatios }) }];
  });
}

/**
 * The cold-start ratio on / off that the target is judged on: the median of the per-round ratios (the rows
 * run round-robin, so a round's pair shares the machine's load of the moment), else the ratio of the medians.
 */
export function coldStartRatio(overhead: MetricsOverhead): number {
  return overhead.roundRatios?.p50 ?? overhead.on.cold.wallMs.p50 / overhead.off.cold.wallMs.p50;
}

/** Whether a comparison meets the cold-start target; `undefined` for a row the target does not apply to. */
export function meetsColdStartTarget(
  overhead: MetricsOverhead,
  target = COLD_START_TARGET,
): boolean | undefined {
  return overhead.comparison.target ? coldStartRatio(overhead) <= target : undefined;
}

const NONE = '—';

/** `1.034` -> `+3.4 %`: a ratio as the percentage it adds (or removes). */
function percentOver(ratio: number): string {
  const points = Number(((ratio - 1) * 100).toFixed(1));
  return `${points > 0 ? '+' : points < 0 ? '-' : '±'}${formatNumber(Math.abs(points))} %`;
}

function deltaCell(on: number | undefined, off: number | undefined, unit: string, decimals = 1): string {
  return on === undefined || off === undefined ? NONE : formatDelta(on, off, unit, decimals);
}

function targetCell(overhead: MetricsOverhead, target: number): string {
  const met = meetsColdStartTarget(overhead, target);
  if (met === undefined) return NONE;
  return met ? 'met' : `not met (${percentOver(coldStartRatio(overhead))})`;
}

function roundsCell(ratios: Summary | undefined): string {
  if (ratios === undefined) return NONE;
  return `×${formatNumber(ratios.p50, 3)} (${formatNumber(ratios.p25, 2)}–${formatNumber(ratios.p75, 2)})`;
}

/** The verdict line: each target row's ratio and whether all of them are within the target. */
export function targetVerdict(overheads: readonly MetricsOverhead[], target = COLD_START_TARGET): string {
  const judged = overheads.filter((overhead) => overhead.comparison.target);
  const limit = `metrics on ≤ ×${formatNumber(target, 2)} metrics off`;
  if (judged.length === 0) return `Cold-start target (${limit}): not measured in this run.`;
  const failed = judged.filter((overhead) => meetsColdStartTarget(overhead, target) === false);
  const each = judged
    .map((overhead) => {
      const ratio = coldStartRatio(overhead);
      return `${overhead.comparison.label} ×${formatNumber(ratio, 3)} (${percentOver(ratio)})`;
    })
    .join(', ');
  const verdict = failed.length === 0 ? 'met' : 'not met';
  return `**Cold-start target (${limit}, median of the per-round ratios): ${verdict}**: ${each}.`;
}

/** The warm line: what one document adds to an invocation at p50, per comparison that ran warm. */
export function warmSummary(overheads: readonly MetricsOverhead[]): string | undefined {
  const warm = overheads.filter(
    (overhead) => overhead.on.warm !== undefined && overhead.off.warm !== undefined,
  );
  if (warm.length === 0) return undefined;
  const each = warm
    .map((overhead) => {
      const on = overhead.on.warm?.us.p50 ?? 0;
      const off = overhead.off.warm?.us.p50 ?? 0;
      return `${overhead.comparison.label} ${formatDelta(on, off, 'µs')}`;
    })
    .join(', ');
  return `**Warm, one document per invocation (p50 on against off)**: ${each}.`;
}

const ABOUT = `What one metrics document per invocation (docs/metrics.md) costs, from rows of this run that
differ only in metrics: each pure-path function as shipped (\`METRICS_ENABLED\` defaults to \`true\`)
against itself with \`METRICS_ENABLED=false\`, and the Logger + Tracer + Metrics baseline against Logger +
Tracer (the library by itself, its bundle bytes included). A function runs the same bundle either way: the
switch is read at cold start, and only when it is on is the library loaded, through a dynamic import that
settles after \`require()\` returns; the first invocation awaits it, so here the load shows in the
\`1st invocation ms\` column (in Lambda, in the init). Each cell is on against off. The rows run in the same
rounds, so a round's ratio compares two processes that met the same load; the target is judged on the median
of those ratios.`;

/** The `##` section, or `undefined` when no comparison had both of its rows measured. */
export function renderMetricsSection(
  overheads: readonly MetricsOverhead[],
  target = COLD_START_TARGET,
): string | undefined {
  if (overheads.length === 0) return undefined;
  const table = markdownTable(
    [
      'metrics on against off',
      'cold ms on / off',
      'cold on vs off',
      'per round, median (p25–p75)',
      'require() ms',
      '1st invocation ms',
      'warm p50',
      'gzipped bundle',
      'peak RSS',
      `≤ ×${formatNumber(target, 2)}`,
    ],
    overheads.map((overhead) => {
      const { on, off } = overhead;
      return [
        overhead.comparison.label,
        `${formatNumber(on.cold.wallMs.p50)} / ${formatNumber(off.cold.wallMs.p50)}`,
        formatDelta(on.cold.wallMs.p50, off.cold.wallMs.p50, 'ms'),
        roundsCell(overhead.roundRatios),
        deltaCell(on.cold.requireMs?.p50, off.cold.requireMs?.p50, 'ms', 2),
        deltaCell(on.cold.firstInvocationMs?.p50, off.cold.firstInvocationMs?.p50, 'ms', 2),
        deltaCell(on.warm?.us.p50, off.warm?.us.p50, 'µs'),
        on.bundle === undefined || off.bundle === undefined
          ? NONE
          : formatDelta(on.bundle.gzipBytes / 1024, off.bundle.gzipBytes / 1024, 'KiB'),
        formatDelta(on.cold.maxRssKb.p50 / 1024, off.cold.maxRssKb.p50 / 1024, 'MiB'),
        targetCell(overhead, target),
      ];
    }),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
  const warm = warmSummary(overheads);
  return [
    '## Metrics on and off',
    '',
    ABOUT,
    '',
    table,
    '',
    targetVerdict(overheads, target),
    ...(warm === undefined ? [] : ['', warm]),
  ].join('\n');
}
