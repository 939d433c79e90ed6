import { describe, expect, it } from 'vitest';
import {
  assumptionsFor,
  cpuBudgetFor,
  INIT_ASSUMPTIONS,
  InitAssumption,
  LAMBDA_MEMORY_MB,
  MEMORY_SIZES_MB,
  planShareJobs,
  QUICK_MEMORY_SIZES_MB,
  sharesFor,
} from '../../../bench/share-plan.js';

describe('Bench: MEMORY_SIZES_MB', () => {
  it("goes from Lambda's minimum to one full vCPU, ascending", () => {
    // Prepare
    const sizes = [...MEMORY_SIZES_MB];

    // Act
    const sorted = [...sizes].sort((a, b) => a - b);

    // Assess
    expect({ sizes, first: sizes[0], last: sizes.at(-1) }).toEqual({
      sizes: sorted,
      first: LAMBDA_MEMORY_MB.min,
      last: 1769,
    });
  });

  it('measures only sizes of the full list in quick mode', () => {
    // Prepare
    const full = new Set(MEMORY_SIZES_MB);

    // Act
    const extra = QUICK_MEMORY_SIZES_MB.filter((size) => !full.has(size));

    // Assess
    expect(extra).toEqual([]);
  });
});

describe('Bench: sharesFor', () => {
  it('holds init and invocation to the memory size share under the same-share assumption', () => {
    // Prepare
    const memoryMb = 256;

    // Act
    const shares = sharesFor(memoryMb, InitAssumption.SameShare);

    // Assess
    expect(shares).toEqual({ init: 256 / 1769, invocation: 256 / 1769 });
  });

  it('gives init a whole core under the full-core-init assumption', () => {
    // Prepare
    const memoryMb = 512;

    // Act
    const shares = sharesFor(memoryMb, InitAssumption.FullCoreInit);

    // Assess
    expect(shares).toEqual({ init: 1, invocation: 512 / 1769 });
  });

  it('caps the share at one core above 1,769 MB', () => {
    // Prepare
    const memoryMb = 3008;

    // Act
    const shares = sharesFor(memoryMb, InitAssumption.SameShare);

    // Assess
    expect(shares.invocation).toBe(1);
  });

  it('measures the conservative assumption first', () => {
    // Prepare
    const assumptions = [...INIT_ASSUMPTIONS];

    // Act
    const first = assumptions[0];

    // Assess
    expect({ first, count: assumptions.length }).toEqual({ first: InitAssumption.SameShare, count: 2 });
  });
});

describe('Bench: assumptionsFor', () => {
  it('measures both init assumptions under a whole core', () => {
    // Prepare
    const memoryMb = 1024;

    // Act
    const assumptions = assumptionsFor(memoryMb);

    // Assess
    expect(assumptions).toEqual(INIT_ASSUMPTIONS);
  });

  it('measures once at a whole core, where both assumptions are the same', () => {
    // Prepare
    const memoryMb = 1769;

    // Act
    const assumptions = assumptionsFor(memoryMb);

    // Assess
    expect(assumptions).toEqual([InitAssumption.SameShare]);
  });
});

describe('Bench: planShareJobs', () => {
  it('runs every row, size and assumption once per round', () => {
    // Prepare
    const rows = ['a', 'b', 'c'];

    // Act
    const jobs = planShareJobs(rows, [128, 256], 4);

    // Assess
    const perCombination = new Map<string, number>();
    for (const job of jobs) {
      const key = `${job.row}@${job.memoryMb}/${job.assumption}`;
      perCombination.set(key, (perCombination.get(key) ?? 0) + 1);
    }
    expect({
      jobs: jobs.length,
      combinations: perCombination.size,
      counts: new Set(perCombination.values()),
    }).toEqual({ jobs: 3 * 2 * 2 * 4, combinations: 12, counts: new Set([4]) });
  });

  it('starts each round one combination further down the list', () => {
    // Prepare
    const rows = ['a', 'b'];

    // Act
    const jobs = planShareJobs(rows, [1769], 3);

    // Assess
    expect(jobs.map((job) => `${job.round}:${job.row}`)).toEqual(['0:a', '0:b', '1:b', '1:a', '2:a', '2:b']);
  });

  it('keeps the processes of one size together within a round', () => {
    // Prepare
    const rows = ['a', 'b'];

    // Act
    const jobs = planShareJobs(rows, [128, 256], 1);

    // Assess
    expect(jobs.map((job) => job.memoryMb)).toEqual([128, 128, 128, 128, 256, 256, 256, 256]);
  });

  it('plans one process per row and round at a whole core', () => {
    // Prepare
    const rows = ['a', 'b'];

    // Act
    const jobs = planShareJobs(rows, [1769, 3008], 1);

    // Assess
    expect(jobs.map((job) => `${job.row}@${job.memoryMb}/${job.assumption}`)).toEqual([
      'a@1769/same-share',
      'b@1769/same-share',
      'a@3008/same-share',
      'b@3008/same-share',
    ]);
  });

  it('plans nothing for zero rounds', () => {
    // Prepare
    const rows = ['a'];

    // Act
    const jobs = planShareJobs(rows, [256], 0);

    // Assess
    expect(jobs).toEqual([]);
  });
});

describe('Bench: cpuBudgetFor', () => {
  it.each([
    [1, 1],
    [2, 1],
    [4, 3],
  ])('leaves one of %i cores to the servers, keeping at least one: %i', (cores, budget) => {
    // Prepare
    const count = cores;

    // Act
    const result = cpuBudgetFor(count);

    // Assess
    expect(result).toBe(budget);
  });
});
