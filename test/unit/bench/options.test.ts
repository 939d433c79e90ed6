import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchOptions } from '../../../bench/options.js';

describe('Bench: parseBenchOptions', () => {
  it('defaults to 15 cold runs, 2,000 warm invocations after 200 warm-up ones, every share 7 times, no file', () => {
    // Prepare
    const argv: string[] = [];

    // Act
    const options = parseBenchOptions(argv);

    // Assess
    expect(options).toEqual({
      runs: 15,
      invocations: 2000,
      warmup: 200,
      only: [],
      out: undefined,
      memory: [128, 256, 512, 1024, 1769],
      shareRuns: 7,
      skipShares: false,
      quick: false,
      help: false,
    });
  });

  it('measures only 256 MB, twice, at Lambda shares in quick mode', () => {
    // Prepare
    const argv = ['--quick'];

    // Act
    const options = parseBenchOptions(argv);

    // Assess
    expect({ memory: options.memory, shareRuns: options.shareRuns }).toEqual({ memory: [256], shareRuns: 2 });
  });

  it('collects --memory from repeated flags and lists, sorted, each size once', () => {
    // Prepare
    const argv = ['--memory', '1024,256', '--memory', '512', '--memory', '256'];

    // Act
    const options = parseBenchOptions(argv);

    // Assess
    expect(options.memory).toEqual([256, 512, 1024]);
  });

  it('lets explicit share settings win over quick mode', () => {
    // Prepare
    const argv = ['--quick', '--memory', '128', '--share-runs', '2', '--skip-shares'];

    // Act
    const options = parseBenchOptions(argv);

    // Assess
    expect([options.memory, options.shareRuns, options.skipShares]).toEqual([[128], 2, true]);
  });

  it('runs 5 cold runs and 300 invocations in quick mode', () => {
    // Prepare
    const argv = ['--quick'];

    // Act
    const options = parseBenchOptions(argv);

    // Assess
    expect([options.runs, options.invocations, options.warmup]).toEqual([5, 300, 50]);
  });

  it('lets explicit counts win over quick mode', () => {
    // Prepare
    const argv = ['--quick', '--runs', '9', '--invocations', '5000'];

    // Act
    const options = parseBenchOptions(argv);

    // Assess
    expect([options.runs, options.invocations, options.warmup]).toEqual([9, 5000, 500]);
  });

  it('collects --only from repeated flags and comma-separated lists', () => {
    // Prepare
    const argv = ['--only', 'pre-sign-up,custom-message', '--only', 'logger-tracer'];

    // Act
    const options = parseBenchOptions(argv);

    // Assess
    expect(options.only).toEqual(['pre-sign-up', 'custom-message', 'logger-tracer']);
  });

  it('keeps --out as given', () => {
    // Prepare
    const argv = ['--out', 'reports/bench.md'];

    // Act
    const options = parseBenchOptions(argv);

    // Assess
    expect(options.out).toBe('reports/bench.md');
  });

  it.each([
    ['zero runs', ['--runs', '0']],
    ['a fractional count', ['--invocations', '1.5']],
    ['a word for a count', ['--runs', 'many']],
    ['an unknown flag', ['--fast']],
    ['a positional argument', ['pre-sign-up']],
    ["a memory size under Lambda's 128 MB", ['--memory', '64']],
    ["a memory size over Lambda's 10,240 MB", ['--memory', '10241']],
    ['a memory size with a unit', ['--memory', '256MB']],
    ['zero share runs', ['--share-runs', '0']],
  ])('refuses %s with a BenchUsageError', (_, argv) => {
    // Prepare
    const args = [...argv];

    // Act
    const act = () => parseBenchOptions(args);

    // Assess
    expect(act).toThrow(BenchUsageError);
  });
});
