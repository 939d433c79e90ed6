import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchOptions } from '../../../bench/options.js';

describe('Bench: parseBenchOptions', () => {
  it('defaults to 15 cold runs and 2,000 warm invocations after 200 warm-up ones', () => {
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
      quick: false,
      help: false,
    });
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
  ])('refuses %s with a BenchUsageError', (_, argv) => {
    // Prepare
    const args = [...argv];

    // Act
    const act = () => parseBenchOptions(args);

    // Assess
    expect(act).toThrow(BenchUsageError);
  });
});
