/**
 * The "Lambda's CPU shares" part of the report: one table per group of rows (sizes across, each cell the
 * median and p95 cold start and the ratio to the group's baseline), where the time goes, and the
 * recommended `MemorySize` against the project's targets. Pure.
 */
import { formatBytes } from '../harness/build-functions.js';
import { MEMORY_PER_VCPU_MB } from '../harness/cpu-share.js';
import { formatNumber, markdownTable } from './format.js';
import { INIT_ASSUMPTIONS, type InitAssumption } from './share-plan.js';
import type { ShareGroup } from './share-scenarios.js';
import type { ShareCell, SharesResult } from './shares.js';

/** What the recommended memory size must achieve. */
export const TARGETS = {
  /** Cold confirm-sign-up, every action on, p95 of spawn to reply: 40 % of Cognito's 5 s. */
  coldP95Ms: 2000,
  /** The shipped post confirmation's median cold start against the naive handler's, at the same share. */
  vsNaive: 0.6,
  /** A pure path's median cold start against the Logger + Tracer baseline's, at the same share. */
  pureVsBaseline: 1.2,
} as const;

/** The targets {@link recommendMemory} checks. */
export type Targets = { coldP95Ms: number; vsNaive: number; pureVsBaseline: number };

type Measured = Extract<SharesResult, { kind: 'measured' }>;

const NONE = '—';

const ASSUMPTION_LABELS: Readonly<Record<InitAssumption, string>> = {
  'same-share': 'same share',
  'full-core-init': 'full-core init',
};

/** The cell of `row` at `memoryMb` under `assumption`, if measured. */
export function cellOf(
  cells: readonly ShareCell[],
  row: string,
  memoryMb: number,
  assumption: InitAssumption,
): ShareCell | undefined {
  return cells.find(
    (cell) => cell.row === row && cell.memoryMb === memoryMb && cell.assumption === assumption,
  );
}

/** `value / reference` of two medians, or `undefined` when either is missing. */
function ratioOf(value: ShareCell | undefined, reference: ShareCell | undefined): number | undefined {
  if (value === undefined || reference === undefined || reference.totalMs.p50 <= 0) return undefined;
  return value.totalMs.p50 / reference.totalMs.p50;
}

/** `×0.93`: a ratio with two decimals. */
export function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? NONE : `×${formatNumber(ratio, 2)}`;
}

/** `2,344 / 2,876 ×0.93 ⚠`: median and p95 in ms, the ratio to the baseline, a mark when something failed. */
export function formatShareCell(cell: ShareCell | undefined, ratio: number | undefined): string {
  if (cell === undefined) return NONE;
  const times = `${formatNumber(cell.totalMs.p50, 0)} / ${formatNumber(cell.totalMs.p95, 0)}`;
  const mark = cell.problems.length > 0 ? ' ⚠' : '';
  return `${times}${ratio === undefined ? '' : ` ${formatRatio(ratio)}`}${mark}`;
}

function labelOf(result: Measured, row: string): string {
  for (const group of result.groups) {
    const found = group.rows.find((item) => item.id === row);
    if (found !== undefined) return found.label;
  }
  return row;
}

/** One table: a row per design and assumption, a column per memory size. */
export function renderGroupTable(result: Measured, group: ShareGroup): string {
  const rows = group.rows.flatMap((row) =>
    INIT_ASSUMPTIONS.map((assumption) => [
      row.id === group.baseline ? `${row.label} (baseline)` : row.label,
      ASSUMPTION_LABELS[assumption],
      ...result.memorySizes.map((memoryMb) => {
        const cell = cellOf(result.cells, row.id, memoryMb, assumption);
        const baseline = cellOf(result.cells, group.baseline, memoryMb, assumption);
        return formatShareCell(cell, row.id === group.baseline ? undefined : ratioOf(cell, baseline));
      }),
    ]),
  );
  return markdownTable(['row', 'init', ...result.memorySizes.map((memoryMb) => `${memoryMb} MB`)], rows, [
    'left',
    'left',
    ...result.memorySizes.map(() => 'right' as const),
  ]);
}

/** Where the time goes at one size: init (spawn to init done) and the first invocation, medians. */
export function renderBreakdown(result: Measured, group: ShareGroup, memoryMb: number): string {
  const rows = group.rows.flatMap((row) =>
    INIT_ASSUMPTIONS.flatMap((assumption) => {
      const cell = cellOf(result.cells, row.id, memoryMb, assumption);
      if (cell === undefined) return [];
      return [
        [
          row.label,
          ASSUMPTION_LABELS[assumption],
          formatNumber(cell.initMs.p50, 0),
          formatNumber(cell.invocationMs.p50, 0),
          formatNumber(cell.totalMs.p50, 0),
          formatNumber(cell.totalMs.p95, 0),
        ],
      ];
    }),
  );
  return markdownTable(
    ['row', 'init', 'process start + init ms', '1st invocation ms', 'cold ms', 'cold p95 ms'],
    rows,
    ['left', 'left', 'right', 'right', 'right', 'right'],
  );
}

/** Every cell that did not end in a clean return, one line each. */
function problemLines(result: Measured, group: ShareGroup): string[] {
  const rows = new Set(group.rows.map((row) => row.id));
  return result.cells
    .filter((cell) => rows.has(cell.row) && cell.problems.length > 0)
    .map(
      (cell) =>
        `- ⚠ ${labelOf(result, cell.row)}, ${cell.memoryMb} MB, ${ASSUMPTION_LABELS[cell.assumption]}: ${cell.problems.join('; ')}`,
    );
}

/** The lowest size meeting the cold p95 target, for one row, under the same-share assumption. */
export function lowestSizeMeeting(result: Measured, row: string, targetP95Ms: number): number | undefined {
  return [...result.memorySizes]
    .sort((a, b) => a - b)
    .find((memoryMb) => {
      const cell = cellOf(result.cells, row, memoryMb, 'same-share');
      return cell !== undefined && cell.problems.length === 0 && cell.totalMs.p95 <= targetP95Ms;
    });
}

/** A ratio checked against its target. */
export type RatioCheck = { row: string; ratio: number | undefined; target: number; met: boolean };

/** What {@link recommendMemory} found. */
export type Recommendation = {
  /** The lowest measured size meeting the cold p95 target with the shipped post confirmation, if any. */
  memoryMb: number | undefined;
  /** The shipped post confirmation's same-share cold start at each size: p50, p95, whether it qualifies. */
  bySize: Array<{ memoryMb: number; p50: number; p95: number; clean: boolean; met: boolean }>;
  /** At the recommended size (or the largest measured when none qualifies): the ratios and their targets. */
  checkedAtMb: number | undefined;
  vsNaive: RatioCheck | undefined;
  pure: RatioCheck[];
  /** For each design of the post confirmation group, the lowest size at which it would meet the p95 target. */
  byDesign: Array<{ row: string; memoryMb: number | undefined }>;
};

/**
 * The lowest memory size at which a cold confirm sign-up with every action on (the shipped design, init at
 * the same share) answers within `targets.coldP95Ms` at p95 with every process returning cleanly, and the
 * ratios at that size: the shipped handler against the naive one, each pure path against its baseline.
 */
export function recommendMemory(
  result: Measured,
  targets: Targets = TARGETS,
  groups: { postConfirmation: string; pure: string } = {
    postConfirmation: 'post-confirmation',
    pure: 'pure',
  },
): Recommendation {
  const postConfirmation = result.groups.find((group) => group.id === groups.postConfirmation);
  const pure = result.groups.find((group) => group.id === groups.pure);
  const sizes = [...result.memorySizes].sort((a, b) => a - b);
  const bySize =
    postConfirmation === undefined
      ? []
      : sizes.flatMap((memoryMb) => {
          const cell = cellOf(result.cells, postConfirmation.shipped, memoryMb, 'same-share');
          if (cell === undefined) return [];
          const clean = cell.problems.length === 0;
          return [
            {
              memoryMb,
              p50: cell.totalMs.p50,
              p95: cell.totalMs.p95,
              clean,
              met: clean && cell.totalMs.p95 <= targets.coldP95Ms,
            },
          ];
        });
  const memoryMb = bySize.find((size) => size.met)?.memoryMb;
  const checkedAtMb = memoryMb ?? sizes.at(-1);
  const check = (row: string, baseline: string, target: number): RatioCheck => {
    const ratio =
      checkedAtMb === undefined
        ? undefined
        : ratioOf(
            cellOf(result.cells, row, checkedAtMb, 'same-share'),
            cellOf(result.cells, baseline, checkedAtMb, 'same-share'),
          );
    return { row, ratio, target, met: ratio !== undefined && ratio <= target };
  };
  return {
    memoryMb,
    bySize,
    checkedAtMb,
    vsNaive:
      postConfirmation === undefined
        ? undefined
        : check(postConfirmation.shipped, postConfirmation.baseline, targets.vsNaive),
    pure:
      pure === undefined
        ? []
        : pure.rows
            .filter((row) => row.id !== pure.baseline)
            .map((row) => check(row.id, pure.baseline, targets.pureVsBaseline)),
    byDesign:
      postConfirmation === undefined
        ? []
        : postConfirmation.rows.map((row) => ({
            row: row.id,
            memoryMb: lowestSizeMeeting(result, row.id, targets.coldP95Ms),
          })),
  };
}

/** The fastest design of a group at one size and assumption, and its margin. */
export type Winner = {
  memoryMb: number;
  assumption: InitAssumption;
  row: string;
  p50: number;
  /** The shipped design's median over the winner's (1 when the shipped design wins). */
  shippedOverWinner: number;
  /** The runner-up's median over the winner's. */
  runnerUp: { row: string; over: number } | undefined;
};

/** For each size and assumption, the design with the lowest median cold start among `rows`. */
export function winners(result: Measured, rows: readonly string[], shipped: string): Winner[] {
  return result.memorySizes.flatMap((memoryMb) =>
    INIT_ASSUMPTIONS.flatMap((assumption) => {
      const ranked = rows
        .map((row) => ({ row, cell: cellOf(result.cells, row, memoryMb, assumption) }))
        .filter((item): item is { row: string; cell: ShareCell } => item.cell !== undefined)
        .sort((a, b) => a.cell.totalMs.p50 - b.cell.totalMs.p50);
      const [first, second] = ranked;
      if (first === undefined) return [];
      const shippedCell = cellOf(result.cells, shipped, memoryMb, assumption);
      return [
        {
          memoryMb,
          assumption,
          row: first.row,
          p50: first.cell.totalMs.p50,
          shippedOverWinner: (shippedCell?.totalMs.p50 ?? first.cell.totalMs.p50) / first.cell.totalMs.p50,
          runnerUp:
            second === undefined
              ? undefined
              : { row: second.row, over: second.cell.totalMs.p50 / first.cell.totalMs.p50 },
        },
      ];
    }),
  );
}

function renderWinners(result: Measured, group: ShareGroup): string {
  // The designs compared: every row but a baseline that is not itself a design (the naive handler).
  const designs = group.rows
    .filter((row) => row.id !== group.baseline || row.id === group.shipped)
    .map((row) => row.id);
  return markdownTable(
    ['size', 'init', 'fastest design (median)', 'ms', 'shipped (lazy) is', 'runner-up is'],
    winners(result, designs, group.shipped).map((winner) => [
      `${winner.memoryMb} MB`,
      ASSUMPTION_LABELS[winner.assumption],
      labelOf(result, winner.row),
      formatNumber(winner.p50, 0),
      winner.row === group.shipped ? 'fastest' : `${formatRatio(winner.shippedOverWinner)} slower`,
      winner.runnerUp === undefined
        ? NONE
        : `${labelOf(result, winner.runnerUp.row)}, ${formatRatio(winner.runnerUp.over)}`,
    ]),
    ['left', 'left', 'left', 'right', 'right', 'left'],
  );
}

function verdict(met: boolean, ratio: number | undefined, target: number): string {
  if (ratio === undefined) return 'not measured';
  return met
    ? `met (target ≤ ×${formatNumber(target, 2)})`
    : `**not met** (target ≤ ×${formatNumber(target, 2)}: ${formatNumber((ratio / target - 1) * 100, 0)} % over)`;
}

/** The recommendation, in words and one table. */
export function renderRecommendation(result: Measured, targets: Targets = TARGETS): string {
  const recommendation = recommendMemory(result, targets);
  const target = `${formatNumber(targets.coldP95Ms / 1000, 1)} s`;
  const lines: string[] = [];
  if (recommendation.memoryMb === undefined) {
    const largest = recommendation.bySize.at(-1);
    lines.push(
      `**No measured size meets the target**: a cold confirm sign-up with every action on (shipped design, init at the same share) has p95 ≤ ${target} at none of ${result.memorySizes.join(', ')} MB${
        largest === undefined
          ? '.'
          : `; at ${largest.memoryMb} MB its p95 is ${formatNumber(largest.p95, 0)} ms (${formatNumber((largest.p95 / targets.coldP95Ms - 1) * 100, 0)} % over${largest.clean ? '' : ', and some processes failed'}).`
      }`,
    );
  } else {
    const chosen = recommendation.bySize.find((size) => size.memoryMb === recommendation.memoryMb);
    lines.push(
      `**Recommended default \`MemorySize\`: ${recommendation.memoryMb} MB**, the lowest measured size at which a cold confirm sign-up with every action on (shipped design, init at the same share) answers within ${target} at p95: median ${formatNumber(chosen?.p50 ?? 0, 0)} ms, p95 ${formatNumber(chosen?.p95 ?? 0, 0)} ms.`,
    );
  }
  lines.push('');
  lines.push(
    markdownTable(
      ['size', 'share of a core', 'cold p50 ms', 'cold p95 ms', `p95 ≤ ${target}, every process clean`],
      recommendation.bySize.map((size) => [
        `${size.memoryMb} MB`,
        `${formatNumber(Math.min(1, size.memoryMb / MEMORY_PER_VCPU_MB) * 100, 1)} %`,
        formatNumber(size.p50, 0),
        formatNumber(size.p95, 0),
        size.met ? 'yes' : size.clean ? 'no' : 'no (failures)',
      ]),
      ['left', 'right', 'right', 'right', 'left'],
    ),
  );
  lines.push('');
  if (recommendation.checkedAtMb !== undefined) {
    lines.push(`At ${recommendation.checkedAtMb} MB, init at the same share (medians):`);
    lines.push('');
    const naive = recommendation.vsNaive;
    if (naive !== undefined) {
      lines.push(
        `- shipped post confirmation against the naive handler: ${formatRatio(naive.ratio)}, ${verdict(naive.met, naive.ratio, naive.target)}`,
      );
    }
    for (const check of recommendation.pure) {
      lines.push(
        `- ${labelOf(result, check.row)} against the Logger + Tracer baseline: ${formatRatio(check.ratio)}, ${verdict(check.met, check.ratio, check.target)}`,
      );
    }
    lines.push('');
  }
  lines.push(
    `Lowest size meeting the p95 target, by post confirmation design: ${recommendation.byDesign
      .map(
        (item) =>
          `${labelOf(result, item.row)} ${item.memoryMb === undefined ? 'none measured' : `${item.memoryMb} MB`}`,
      )
      .join('; ')}.`,
  );
  return lines.join('\n');
}

function renderRowInfo(result: Measured): string {
  return markdownTable(
    ['row', 'bundle', 'gzipped', 'SDK packages loaded from node_modules'],
    result.rows.map((row) => [
      row.id,
      formatBytes(row.bytes),
      formatBytes(row.gzipBytes),
      row.sdkPackages.length === 0
        ? NONE
        : row.sdkPackages.map((name) => name.replace('@aws-sdk/', '')).join(', '),
    ]),
    ['left', 'right', 'right', 'left'],
  );
}

function renderEffects(result: Measured): string {
  if (result.effects === undefined) return '';
  const { found, confirmed, callsOut, mismatches } = result.effects;
  const held = `${found.groupMembers} group members, ${found.profiles} profiles, ${found.published} UserConfirmed events delivered, ${found.queued} events on the failure queue, ${found.captchaCalls} captcha verifications`;
  const processes = `${confirmed.all} post confirmation processes (${confirmed.all - confirmed.clean} flagged ⚠) and ${callsOut.all} pre sign-up processes calling out (${callsOut.all - callsOut.clean} flagged ⚠), discarded ones included`;
  return mismatches.length === 0
    ? `Effects checked after the run: ${held}; consistent with ${processes}.`
    : `⚠ **Effects do not match the processes** (${processes}): ${mismatches.join('; ')}.`;
}

function howToRead(result: Measured): string {
  return `Lambda gives a function CPU in proportion to its memory: ${formatNumber(MEMORY_PER_VCPU_MB, 0)} MB is one vCPU, so
256 MB runs on ${formatNumber((256 / MEMORY_PER_VCPU_MB) * 100, 1)} % of a core. Here each process runs in a CPU control group of its own
(${result.controller}) whose quota is MemorySize / ${formatNumber(MEMORY_PER_VCPU_MB, 0)} of one core per 100 ms period, from its first
instruction. **Cold** is spawn to reply: process start, loading the bundle (init) and the first invocation,
which does its I/O against loopback servers (cognito-local, dynalite, moto, a captcha provider); each cell
is \`median / p95\` in ms over ${result.runs} fresh processes, then the ratio of its median to the table's baseline at
the same size and assumption. The rows run in interleaved rounds after one discarded process per row on a
whole core; at most ${result.slots} processes holding at most ${formatNumber(result.budget, 1)} core(s) of quota run side by side (the rest of
the machine is left to the loopback servers).
AWS does not document the init phase's CPU, so both readings are measured: **same share** holds the process
to the share from spawn to reply (the conservative reading, which the recommendation uses); **full-core
init** gives it a whole core until its init is done (the bundle is loaded and it asks for the event), then
the share; at 1,769 MB (a whole core) the two readings are one measurement. Designs: **lazy** is the shipped code (\`@aws-sdk/*\` external, each module required on first
use); **SDK loaded at init** requires at module scope the SDK packages the lazy row loaded; **used SDK
commands bundled** bundles only the clients and commands the sources name (esbuild plugin in
\`bench/sdk-designs.ts\`), evaluated on first use. ⚠ marks a cell where some process did not return cleanly
(listed under the table): its times include a failure, usually the trigger giving up at its deadline.
Absolute numbers are this machine's (x86, the Node named above), not Lambda's (arm64, nodejs22.x, its own runtime
bootstrap); the rows and sizes compare with each other.`;
}

/** The whole section, from its `##` heading. */
export function renderSharesSection(result: SharesResult, targets: Targets = TARGETS): string {
  const heading = "## Cold start at Lambda's CPU shares";
  if (result.kind === 'skipped') return `${heading}\n\nSKIPPED shares: ${result.reason}\n`;
  const parts: string[] = [heading, '', howToRead(result), ''];
  for (const group of result.groups) {
    const baseline = labelOf(result, group.baseline);
    parts.push(`### ${group.title}`, '');
    parts.push(
      `${group.description[0]?.toUpperCase() ?? ''}${group.description.slice(1)}. Ratios against: ${baseline}.`,
      '',
    );
    parts.push(renderGroupTable(result, group), '');
    const problems = problemLines(result, group);
    if (problems.length > 0) parts.push(...problems, '');
  }
  const measuredSizes = new Set(result.memorySizes);
  const wanted = [result.defaultMemoryMb, recommendMemory(result, targets).memoryMb].filter(
    (size): size is number => size !== undefined && measuredSizes.has(size),
  );
  const breakdownSizes = [...new Set(wanted.length > 0 ? wanted : result.memorySizes.slice(0, 1))];
  for (const memoryMb of breakdownSizes) {
    parts.push(`### Where the time goes at ${memoryMb} MB (medians)`, '');
    for (const group of result.groups.filter((item) => item.id !== 'pure')) {
      parts.push(`${group.title}:`, '', renderBreakdown(result, group, memoryMb), '');
    }
  }
  parts.push('### Fastest design at each size', '');
  for (const group of result.groups.filter((item) => item.id !== 'pure')) {
    parts.push(`${group.title}:`, '', renderWinners(result, group), '');
  }
  parts.push('### Bundles', '', renderRowInfo(result), '');
  const effects = renderEffects(result);
  if (effects !== '') parts.push(effects, '');
  parts.push('## Recommended MemorySize', '', renderRecommendation(result, targets), '');
  return parts.join('\n');
}
