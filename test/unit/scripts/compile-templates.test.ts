import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compiledModulePath, compiledNotificationsModulePath } from '../../../scripts/compile-templates.js';
import { runCli } from '../cli/run-cli.js';

describe('CLI: compile-templates', () => {
  it('checks without writing under --check, and exits 0 when both modules are up to date', () => {
    // Prepare
    const modules = [compiledModulePath, compiledNotificationsModulePath];
    const before = modules.map((path) => readFileSync(path, 'utf8'));

    // Act
    const run = runCli('scripts/compile-templates', ['--check']);

    // Assess
    expect({
      status: run.status,
      stdout: run.stdout,
      unchanged: modules.every((path, index) => readFileSync(path, 'utf8') === before[index]),
    }).toEqual({
      status: 0,
      stdout: '',
      unchanged: true,
    });
  });

  it('refuses a positional argument, naming it, with exit status 2', () => {
    // Prepare
    const args = ['check'];

    // Act
    const run = runCli('scripts/compile-templates', args);

    // Assess
    expect({ status: run.status, first: run.stderr.split('\n')[0] }).toEqual({
      status: 2,
      first: 'unexpected argument "check"',
    });
  });
});
