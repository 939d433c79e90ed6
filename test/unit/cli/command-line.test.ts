import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../../cli/command-line.js';

const options = {
  mode: { type: 'string', default: 'bundle' },
  'env-vars': { type: 'string', short: 'n' },
  json: { type: 'boolean', default: false },
} as const;

describe('CLI: parseCommandLine', () => {
  it('reads the options, their defaults and help', () => {
    // Prepare
    const argv = ['-n', 'env.json', '--json'];

    // Act
    const { values } = parseCommandLine({ options }, argv);

    // Assess
    expect(values).toEqual({ mode: 'bundle', 'env-vars': 'env.json', json: true, help: false });
  });

  it.each([['--help'], ['-h']])('sets help for %s', (flag) => {
    // Prepare
    const argv = [flag];

    // Act
    const { values } = parseCommandLine({ options }, argv);

    // Assess
    expect(values.help).toBe(true);
  });

  it('returns positional arguments when the command takes them', () => {
    // Prepare
    const argv = ['events/a.json', '--json', 'events/b.json'];

    // Act
    const { positionals } = parseCommandLine({ options, positionals: true }, argv);

    // Assess
    expect(positionals).toEqual(['events/a.json', 'events/b.json']);
  });

  it.each([
    ['an unknown long option', ['--bogus'], 'unknown option --bogus'],
    ['an unknown short option', ['-x'], 'unknown option -x'],
    ['an unknown option among positionals', ['a.json', '--bogus=1'], 'unknown option --bogus'],
    ['an option without its value', ['--mode'], "Option '--mode <value>' argument missing"],
    ['a value given to a flag', ['--json=yes'], "Option '--json' does not take an argument"],
  ])('refuses %s with a UsageError naming it', (_case, argv, message) => {
    // Prepare
    const spec = { options, positionals: true };

    // Act
    const parse = () => parseCommandLine(spec, argv);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ name: 'UsageError', message }));
  });

  it('refuses a positional argument when the command takes none', () => {
    // Prepare
    const argv = ['stray'];

    // Act
    const parse = () => parseCommandLine({ options }, argv);

    // Assess
    expect(parse).toThrow(new UsageError('unexpected argument "stray"'));
  });

  it("keeps parseArgs' own error as the cause", () => {
    // Prepare
    const argv = ['--bogus'];

    // Act
    let caught: unknown;
    try {
      parseCommandLine({ options }, argv);
    } catch (error) {
      caught = error;
    }

    // Assess
    expect((caught as Error).cause).toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
  });
});
