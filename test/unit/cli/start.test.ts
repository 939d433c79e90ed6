import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'start-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('CLI: start', () => {
  it('refuses a port that is not one, naming the option, with exit status 2 and nothing started', () => {
    // Prepare
    const args = ['--lambda-port', '70000'];

    // Act
    const run = runCli('start', args);

    // Assess
    expect({ status: run.status, stdout: run.stdout, first: run.stderr.split('\n')[0] }).toEqual({
      status: 2,
      stdout: '',
      first: '--lambda-port must be a port number (0-65535), not "70000"',
    });
  });

  it('warns once on stderr about an env-vars block that names no function of the template', () => {
    // Prepare: a wrong port too, so the command stops before starting anything
    const envVars = JSON.parse(readFileSync('local/env.local.json', 'utf8')) as Record<string, unknown>;
    const envFile = join(scratch, 'env.typo.json');
    writeFileSync(envFile, JSON.stringify({ ...envVars, PostConfirmationFunctions: {} }));

    // Act
    const run = runCli('start', ['--env-vars', envFile, '--cognito-port', 'x']);

    // Assess
    const warning =
      'env-vars: block "PostConfirmationFunctions" names no function of template.yaml; SAM ignores it';
    expect({
      status: run.status,
      warnings: run.stderr.split('\n').filter((line) => line === warning),
    }).toEqual({
      status: 2,
      warnings: [warning],
    });
  });
});
