import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** Every command of package.json's scripts, by the file runCli runs, with the first line of its usage. */
const commands = [
  ['build', 'Usage: npm run build --'],
  ['replay', 'Usage: npm run replay --'],
  ['replay-failures', 'Usage: npm run replay:failures --'],
  ['replay-sender-failures', 'Usage: npm run replay:sender-failures --'],
  ['invoke', 'Usage: npm run --silent invoke --'],
  ['invite', 'Usage: npm run --silent invite --'],
  ['attach', 'Usage: npm run attach --'],
  ['detach', 'Usage: npm run detach --'],
  ['start', 'Usage: npm start --'],
  ['scripts/lint-messages', 'Usage: npm run lint:messages'],
  ['scripts/preview-messages', 'Usage: npm run preview'],
  ['scripts/compile-templates', 'Usage: npm run templates'],
] as const;

describe.each(commands)('CLI: %s', (command, usage) => {
  it.each(['--help', '-h'])('prints its usage on stdout for %s and exits 0', (flag) => {
    // Prepare
    const args = [flag];

    // Act
    const run = runCli(command, args);

    // Assess
    expect({ status: run.status, usage: run.stdout.startsWith(usage), stderr: run.stderr }).toEqual({
      status: 0,
      usage: true,
      stderr: '',
    });
  });

  it('refuses an unknown option in one line naming it, followed by its usage, and exits 2', () => {
    // Prepare
    const args = ['--no-such-option'];

    // Act
    const run = runCli(command, args);

    // Assess
    const [first, blank, next] = run.stderr.split('\n');
    expect({ status: run.status, first, blank, next, stdout: run.stdout }).toEqual({
      status: 2,
      first: 'unknown option --no-such-option',
      blank: '',
      next: expect.stringContaining(usage),
      stdout: '',
    });
  });
});
