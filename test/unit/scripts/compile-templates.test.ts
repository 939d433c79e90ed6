import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compiledModulePath } from '../../../scripts/compile-templates.js';
import { runCli } from '../cli/run-cli.js';

describe('CLI: compile-templates', () => {
  it('checks without writing under --check, and exits 0 when the module is up to date', () => {
    // Prepare
    const before = readFileSync(compiledModulePath, 'utf8');

    // Act
    const run = runCli('scripts/compile-templates', ['--check']);

    // Assess
    expect({
      status: run.status,
      stdout: run.stdout,
      unchanged: readFileSync(compiledModulePath, 'utf8') === before,
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
