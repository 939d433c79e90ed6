import { describe, expect, it } from 'vitest';
import { SdkDesign } from '../../../bench/sdk-designs.js';
import type { InitAssumption } from '../../../bench/share-plan.js';
import {
  formatShareCell,
  recommendMemory,
  renderGroupTable,
  renderSharesSection,
  TARGETS,
  winners,
} from '../../../bench/share-report.js';
import type { ShareGroup, ShareRow } from '../../../bench/share-scenarios.js';
import type { ShareCell, SharesResult } from '../../../bench/shares.js';
import { summarize } from '../../../bench/stats.js';

type Measured = Extract<SharesResult, { kind: 'measured' }>;

function row(id: string): ShareRow {
  return {
    id,
    label: id,
    function: 'PostConfirmationFunction',
    design: SdkDesign.Lazy,
    event: { kind: 'confirmed-sign-up' },
    callsOut: true,
  };
}

const GROUPS: ShareGroup[] = [
  {
    id: 'post-confirmation',
    title: 'Post confirmation',
    description: 'every action on',
    baseline: 'naive',
    shipped: 'lazy',
    rows: [row('naive'), row('lazy'), row('init')],
  },
  {
    id: 'pure',
    title: 'Pure paths',
    description: 'nothing called out',
    baseline: 'logger-tracer',
    shipped: 'pre-sign-up',
    rows: [row('logger-tracer'), row('pre-sign-up')],
  },
];

/** A cell whose samples make the given median and p95 exact: `[p50, p50, p95]` has p95 close to it. */
function cell(
  id: string,
  memoryMb: number,
  assumption: InitAssumption,
  totalMs: number[],
  problems: string[] = [],
): ShareCell {
  return {
    row: id,
    memoryMb,
    assumption,
    totalMs: summarize(totalMs),
    initMs: summarize(totalMs.map((value) => value / 2)),
    invocationMs: summarize(totalMs.map((value) => value / 2)),
    problems,
  };
}

/** Post confirmation cells at three sizes: the shipped row meets 2 s at p95 from 512 MB on. */
function measured(cells: ShareCell[]): Measured {
  return {
    kind: 'measured',
    groups: GROUPS,
    memorySizes: [256, 512, 1024],
    runs: 1,
    budget: 1,
    slots: 4,
    controller: 'cgroup v1',
    defaultMemoryMb: 256,
    rows: [],
    cells,
  };
}

const CELLS: ShareCell[] = [256, 512, 1024].flatMap((memoryMb) => {
  const scale = 256 / memoryMb;
  return [
    cell('naive', memoryMb, 'same-share', [3000 * scale]),
    cell('lazy', memoryMb, 'same-share', [2400 * scale]),
    cell('init', memoryMb, 'same-share', [2700 * scale]),
    cell('naive', memoryMb, 'full-core-init', [900 * scale]),
    cell('lazy', memoryMb, 'full-core-init', [1800 * scale]),
    cell('init', memoryMb, 'full-core-init', [800 * scale]),
    cell('logger-tracer', memoryMb, 'same-share', [800 * scale]),
    cell('pre-sign-up', memoryMb, 'same-share', [1000 * scale]),
  ];
});

describe('Bench: formatShareCell', () => {
  it('gives median and p95 in whole ms, then the ratio to the baseline', () => {
    // Prepare
    const item = cell('lazy', 256, 'same-share', [1000, 2000, 3000]);

    // Act
    const text = formatShareCell(item, 0.931);

    // Assess
    expect(text).toBe('2,000 / 2,900 ×0.93');
  });

  it('marks a cell in which some process did not return cleanly', () => {
    // Prepare
    const item = cell('lazy', 128, 'same-share', [5000], ['1× threw SignUpUnavailableError']);

    // Act
    const text = formatShareCell(item, undefined);

    // Assess
    expect(text).toBe('5,000 / 5,000 ⚠');
  });

  it('gives a dash for a cell that was not measured', () => {
    // Prepare
    const item = undefined;

    // Act
    const text = formatShareCell(item, 1);

    // Assess
    expect(text).toBe('—');
  });
});

describe('Bench: renderGroupTable', () => {
  it('gives a line per row and assumption and a column per size, ratios against the baseline', () => {
    // Prepare
    const result = measured(CELLS);
    const [group] = GROUPS;

    // Act
    const lines = renderGroupTable(result, group as ShareGroup).split('\n');

    // Assess
    const lazySameShare = lines.find((line) => line.startsWith('| lazy ') && line.includes('same share'));
    expect({
      header: lines[0]?.split('|').map((text) => text.trim()),
      lazy: lazySameShare?.split('|').map((text) => text.trim()),
      lines: lines.length,
    }).toEqual({
      header: ['', 'row', 'init', '256 MB', '512 MB', '1024 MB', ''],
      lazy: ['', 'lazy', 'same share', '2,400 / 2,400 ×0.80', '1,200 / 1,200 ×0.80', '600 / 600 ×0.80', ''],
      lines: 2 + 3 * 2,
    });
  });
});

describe('Bench: recommendMemory', () => {
  it('picks the lowest size at which the shipped post confirmation meets the p95 target at the same share', () => {
    // Prepare
    const result = measured(CELLS);

    // Act
    const recommendation = recommendMemory(result, TARGETS);

    // Assess
    expect({
      memoryMb: recommendation.memoryMb,
      met: recommendation.bySize.map((size) => [size.memoryMb, size.met]),
    }).toEqual({
      memoryMb: 512,
      met: [
        [256, false],
        [512, true],
        [1024, true],
      ],
    });
  });

  it('checks the ratios against the naive handler and the pure baseline at the recommended size', () => {
    // Prepare
    const result = measured(CELLS);

    // Act
    const recommendation = recommendMemory(result, TARGETS);

    // Assess
    expect({ naive: recommendation.vsNaive, pure: recommendation.pure }).toEqual({
      naive: { row: 'lazy', ratio: 0.8, target: 0.6, met: false },
      pure: [{ row: 'pre-sign-up', ratio: 1.25, target: 1.2, met: false }],
    });
  });

  it('does not recommend a size at which some process failed, however fast', () => {
    // Prepare
    const cells = CELLS.map((item) =>
      item.row === 'lazy' && item.memoryMb === 512 && item.assumption === 'same-share'
        ? { ...item, problems: ['1× timeout'] }
        : item,
    );

    // Act
    const recommendation = recommendMemory(measured(cells), TARGETS);

    // Assess
    expect(recommendation.memoryMb).toBe(1024);
  });

  it('recommends nothing, and checks the largest size, when no size meets the target', () => {
    // Prepare
    const result = measured(CELLS);

    // Act
    const recommendation = recommendMemory(result, { ...TARGETS, coldP95Ms: 100 });

    // Assess
    expect([recommendation.memoryMb, recommendation.checkedAtMb]).toEqual([undefined, 1024]);
  });

  it('gives the lowest qualifying size of each post confirmation design', () => {
    // Prepare
    const result = measured(CELLS);

    // Act
    const recommendation = recommendMemory(result, { ...TARGETS, coldP95Ms: 1300 });

    // Assess
    expect(recommendation.byDesign).toEqual([
      { row: 'naive', memoryMb: 1024 },
      { row: 'lazy', memoryMb: 512 },
      { row: 'init', memoryMb: 1024 },
    ]);
  });
});

describe('Bench: winners', () => {
  it('names the fastest design at each size and assumption, with the shipped one and the runner-up against it', () => {
    // Prepare
    const result = measured(CELLS.filter((item) => item.memoryMb === 256));

    // Act
    const found = winners(result, ['lazy', 'init'], 'lazy');

    // Assess
    expect(found).toEqual([
      {
        memoryMb: 256,
        assumption: 'same-share',
        row: 'lazy',
        p50: 2400,
        shippedOverWinner: 1,
        runnerUp: { row: 'init', over: 2700 / 2400 },
      },
      {
        memoryMb: 256,
        assumption: 'full-core-init',
        row: 'init',
        p50: 800,
        shippedOverWinner: 1800 / 800,
        runnerUp: { row: 'lazy', over: 1800 / 800 },
      },
    ]);
  });
});

describe('Bench: renderSharesSection', () => {
  it('says SKIPPED shares with the reason when the shares could not be measured', () => {
    // Prepare
    const result: SharesResult = { kind: 'skipped', reason: '/sys/fs/cgroup/cpu exists but is not writable' };

    // Act
    const section = renderSharesSection(result);

    // Assess
    expect(section.split('\n')).toContain('SKIPPED shares: /sys/fs/cgroup/cpu exists but is not writable');
  });

  it('states the recommended MemorySize under its own heading', () => {
    // Prepare
    const result = measured(CELLS);

    // Act
    const section = renderSharesSection(result);

    // Assess
    const recommendation = section.split('## Recommended MemorySize')[1] ?? '';
    expect(recommendation).toContain('**Recommended default `MemorySize`: 512 MB**');
  });

  it('lists every cell in which some process failed under its table', () => {
    // Prepare
    const cells = [...CELLS, cell('lazy', 128, 'same-share', [6000], ['2× threw SignUpUnavailableError'])];
    const result = { ...measured(cells), memorySizes: [128, 256, 512, 1024] };

    // Act
    const section = renderSharesSection(result);

    // Assess
    expect(section).toContain('- ⚠ lazy, 128 MB, same share: 2× threw SignUpUnavailableError');
  });
});
