import { describe, expect, it } from 'vitest';
import type { MetricsComparison } from '../../../bench/candidates.js';
import {
  COLD_START_TARGET,
  coldStartRatio,
  meetsColdStartTarget,
  metricsOverheads,
  renderMetricsSection,
  roundRatiosOf,
  targetVerdict,
  warmSummary,
} from '../../../bench/metrics-overhead.js';
import type { CandidateResult } from '../../../bench/report.js';
import { summarize } from '../../../bench/stats.js';

/** A result whose cold processes took `coldByRound` ms, one per round, and whose other samples are fixed. */
function result(
  id: string,
  coldByRound: number[],
  options: { warmUs?: number; gzipBytes?: number; requireMs?: number; firstInvocationMs?: number } = {},
): CandidateResult {
  return {
    id,
    label: id,
    ...(options.gzipBytes === undefined ? {} : { bundle: { bytes: 8192, gzipBytes: options.gzipBytes } }),
    cold: {
      wallMs: summarize(coldByRound),
      wallMsByRound: coldByRound,
      maxRssKb: summarize([50 * 1024]),
      ...(options.requireMs === undefined ? {} : { requireMs: summarize([options.requireMs]) }),
      ...(options.firstInvocationMs === undefined
        ? {}
        : { firstInvocationMs: summarize([options.firstInvocationMs]) }),
      outcomes: ['returned'],
    },
    ...(options.warmUs === undefined
      ? {}
      : { warm: { us: summarize([options.warmUs]), outcomes: ['returned'] } }),
  };
}

const FUNCTION: MetricsComparison = { label: 'Fn', on: 'fn', off: 'fn-off', target: true };
const LIBRARY: MetricsComparison = { label: 'Library', on: 'lib', off: 'base', target: false };

const RESULTS = [
  result('base', [100, 100, 100], { warmUs: 2, gzipBytes: 40 * 1024, requireMs: 60, firstInvocationMs: 0.5 }),
  result('lib', [110, 110, 110], { warmUs: 32, gzipBytes: 44 * 1024, requireMs: 61, firstInvocationMs: 9.5 }),
  result('fn', [204, 306, 408], {
    warmUs: 140,
    gzipBytes: 120 * 1024,
    requireMs: 140,
    firstInvocationMs: 12,
  }),
  result('fn-off', [200, 300, 400], {
    warmUs: 80,
    gzipBytes: 120 * 1024,
    requireMs: 140,
    firstInvocationMs: 8,
  }),
];

function rowOf(section: string, label: string): string[] | undefined {
  return section
    .split('\n')
    .find((line) => line.startsWith(`| ${label} `))
    ?.split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
}

describe('Bench: roundRatiosOf', () => {
  it('divides each round of one row by the same round of the other', () => {
    // Prepare
    const [on, off] = [
      [110, 220, 330],
      [100, 200, 300],
    ];

    // Act
    const ratios = roundRatiosOf(on, off);

    // Assess
    expect([ratios?.count, ratios?.p50]).toEqual([3, expect.closeTo(1.1, 10)]);
  });

  it('gives nothing when the rounds cannot be paired', () => {
    // Prepare
    const cases: Array<[number[] | undefined, number[] | undefined]> = [
      [[1, 2], [1]],
      [undefined, [1]],
      [[], []],
      [[1], [0]],
    ];

    // Act
    const ratios = cases.map(([on, off]) => roundRatiosOf(on, off));

    // Assess
    expect(ratios).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('Bench: metricsOverheads', () => {
  it('pairs the two rows of each comparison, in list order', () => {
    // Prepare
    const comparisons = [LIBRARY, FUNCTION];

    // Act
    const overheads = metricsOverheads(RESULTS, comparisons);

    // Assess
    expect(overheads.map(({ comparison, on, off }) => [comparison.label, on.id, off.id])).toEqual([
      ['Library', 'lib', 'base'],
      ['Fn', 'fn', 'fn-off'],
    ]);
  });

  it('leaves out a comparison whose other row was not measured', () => {
    // Prepare
    const results = RESULTS.filter((item) => item.id !== 'fn-off');

    // Act
    const overheads = metricsOverheads(results, [LIBRARY, FUNCTION]);

    // Assess
    expect(overheads.map(({ comparison }) => comparison.label)).toEqual(['Library']);
  });
});

describe('Bench: coldStartRatio', () => {
  it('is the median of the per-round ratios', () => {
    // Prepare
    const [overhead] = metricsOverheads(RESULTS, [FUNCTION]);

    // Act
    const ratio = overhead === undefined ? undefined : coldStartRatio(overhead);

    // Assess
    expect(ratio).toBeCloseTo(1.02, 10);
  });

  it('falls back on the ratio of the medians without per-round samples', () => {
    // Prepare
    const on = { ...result('fn', [210]), cold: { ...result('fn', [210]).cold, wallMsByRound: undefined } };
    const [overhead] = metricsOverheads([on, result('fn-off', [200])], [FUNCTION]);

    // Act
    const ratio = overhead === undefined ? undefined : coldStartRatio(overhead);

    // Assess
    expect(ratio).toBeCloseTo(1.05, 10);
  });
});

describe('Bench: meetsColdStartTarget', () => {
  it.each([
    { on: [104], off: [100], met: true },
    { on: [105], off: [100], met: true },
    { on: [106], off: [100], met: false },
  ])('judges on $on against off $off: $met', ({ on, off, met }) => {
    // Prepare
    const [overhead] = metricsOverheads([result('fn', on), result('fn-off', off)], [FUNCTION]);

    // Act
    const verdict = overhead === undefined ? undefined : meetsColdStartTarget(overhead);

    // Assess
    expect(verdict).toBe(met);
  });

  it('does not judge a comparison the target does not apply to', () => {
    // Prepare
    const [overhead] = metricsOverheads(RESULTS, [LIBRARY]);

    // Act
    const verdict = overhead === undefined ? null : meetsColdStartTarget(overhead);

    // Assess
    expect(verdict).toBeUndefined();
  });

  it('holds the 5 % of the issue', () => {
    // Prepare
    const target = COLD_START_TARGET;

    // Act
    const percent = Math.round((target - 1) * 100);

    // Assess
    expect(percent).toBe(5);
  });
});

describe('Bench: targetVerdict', () => {
  it('says met, with each judged ratio, when every target row is within it', () => {
    // Prepare
    const overheads = metricsOverheads(RESULTS, [LIBRARY, FUNCTION]);

    // Act
    const verdict = targetVerdict(overheads);

    // Assess
    expect(verdict).toBe(
      '**Cold-start target (metrics on ≤ ×1.05 metrics off, median of the per-round ratios): met**: ' +
        'Fn ×1.020 (+2.0 %).',
    );
  });

  it('says not met when one target row is over it', () => {
    // Prepare
    const slow: MetricsComparison = { label: 'Slow', on: 'lib', off: 'base', target: true };
    const overheads = metricsOverheads(RESULTS, [FUNCTION, slow]);

    // Act
    const verdict = targetVerdict(overheads);

    // Assess
    expect(verdict).toMatch(/: not met\*\*: Fn ×1\.020 \(\+2\.0 %\), Slow ×1\.100 \(\+10\.0 %\)\.$/);
  });

  it('says the target was not measured when no target row ran', () => {
    // Prepare
    const overheads = metricsOverheads(RESULTS, [LIBRARY]);

    // Act
    const verdict = targetVerdict(overheads);

    // Assess
    expect(verdict).toMatch(/not measured in this run\.$/);
  });
});

describe('Bench: warmSummary', () => {
  it('gives the p50 difference of each comparison that ran warm', () => {
    // Prepare
    const overheads = metricsOverheads(RESULTS, [LIBRARY, FUNCTION]);

    // Act
    const summary = warmSummary(overheads);

    // Assess
    expect(summary).toBe(
      '**Warm, one document per invocation (p50 on against off)**: ' +
        'Library +30.0 µs (×16.00), Fn +60.0 µs (×1.75).',
    );
  });

  it('gives nothing when no comparison ran warm', () => {
    // Prepare
    const overheads = metricsOverheads([result('fn', [1]), result('fn-off', [1])], [FUNCTION]);

    // Act
    const summary = warmSummary(overheads);

    // Assess
    expect(summary).toBeUndefined();
  });
});

describe('Bench: renderMetricsSection', () => {
  it('gives one row per comparison, on against off', () => {
    // Prepare
    const overheads = metricsOverheads(RESULTS, [LIBRARY, FUNCTION]);

    // Act
    const section = renderMetricsSection(overheads) ?? '';

    // Assess
    expect({ library: rowOf(section, 'Library'), fn: rowOf(section, 'Fn') }).toEqual({
      library: [
        'Library',
        '110.0 / 100.0',
        '+10.0 ms (×1.10)',
        '×1.100 (1.10–1.10)',
        '+1.00 ms (×1.02)',
        '+9.00 ms (×19.00)',
        '+30.0 µs (×16.00)',
        '+4.0 KiB (×1.10)',
        '±0.0 MiB (×1.00)',
        '—',
      ],
      fn: [
        'Fn',
        '306.0 / 300.0',
        '+6.0 ms (×1.02)',
        '×1.020 (1.02–1.02)',
        '±0.00 ms (×1.00)',
        '+4.00 ms (×1.50)',
        '+60.0 µs (×1.75)',
        '±0.0 KiB (×1.00)',
        '±0.0 MiB (×1.00)',
        'met',
      ],
    });
  });

  it('says by how much a row misses the target', () => {
    // Prepare
    const overheads = metricsOverheads([result('fn', [108]), result('fn-off', [100])], [FUNCTION]);

    // Act
    const section = renderMetricsSection(overheads) ?? '';

    // Assess
    expect(rowOf(section, 'Fn')?.at(-1)).toBe('not met (+8.0 %)');
  });

  it('opens with its heading and ends with the verdict', () => {
    // Prepare
    const overheads = metricsOverheads(RESULTS, [FUNCTION]);

    // Act
    const lines = (renderMetricsSection(overheads) ?? '').split('\n');

    // Assess
    expect({
      first: lines[0],
      verdict: lines.some((line) => line.startsWith('**Cold-start target')),
    }).toEqual({ first: '## Metrics on and off', verdict: true });
  });

  it('is left out when no comparison was measured', () => {
    // Prepare
    const overheads = metricsOverheads(RESULTS, []);

    // Act
    const section = renderMetricsSection(overheads);

    // Assess
    expect(section).toBeUndefined();
  });
});
