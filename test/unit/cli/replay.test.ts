import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EXAMPLE_POOL_ID,
  NO_TRIGGER_TEMPLATE,
  writeExistingPoolTemplate,
} from '../harness/template-copies.js';
import { envVarsWarningOf, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'replay-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of one recorded pair, with its expectation changed by `edit`. */
function pairWith(edit: (expected: Record<string, unknown>) => void): string {
  const dir = mkdtempSync(join(scratch, 'pair-'));
  const base = 'events/pre-sign-up/sign-up.validation-data-null';
  cpSync(`${base}.json`, join(dir, 'sign-up.case.json'));
  const expected = JSON.parse(readFileSync(`${base}.expected.json`, 'utf8')) as Record<string, unknown>;
  edit(expected);
  writeFileSync(join(dir, 'sign-up.case.expected.json'), JSON.stringify(expected));
  return dir;
}

describe('CLI: replay', () => {
  it('replays events/ and ends with the N passed, N failed line', () => {
    // Prepare
    const args = ['--mode', 'in-process'];

    // Act
    const run = runCli('replay', args);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
  });

  it('prints a diff and exits 1 when an outcome differs from its expectation', () => {
    // Prepare
    const dir = pairWith((expected) => {
      expected.attempts = 2;
    });

    // Act
    const run = runCli('replay', [dir, '--mode', 'in-process']);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('-   "attempts": 2,');
    expect(run.stdout).toContain('+   "attempts": 1,');
    expect(run.stdout.trim().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });

  it('prints one JSON report with --json', () => {
    // Prepare
    const dir = pairWith(() => {});

    // Act
    const run = runCli('replay', [dir, '--mode', 'in-process', '--json']);

    // Assess
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      passed: 1,
      failed: 0,
      results: [{ passed: true, attempts: 1 }],
    });
  });

  it('rewrites a stale expectation with --update and keeps its description', () => {
    // Prepare
    const dir = pairWith((expected) => {
      expected.attempts = 3;
    });

    // Act
    const run = runCli('replay', [dir, '--mode', 'in-process', '--update']);

    // Assess
    expect(run.status).toBe(0);
    const updated = JSON.parse(readFileSync(join(dir, 'sign-up.case.expected.json'), 'utf8')) as {
      attempts: number;
      description: string;
    };
    expect(updated.attempts).toBe(1);
    expect(updated.description).toMatch(/validationData/);
  });

  it('replays the built bundles by default', () => {
    // Prepare
    const dir = pairWith(() => {});

    // Act
    const run = runCli('replay', [dir]);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('1 passed, 0 failed');
  });

  it('warns once on stderr about an env-vars block that names no function of the template', () => {
    // Prepare
    const dir = pairWith(() => {});
    const envVars = JSON.parse(readFileSync('events/env.json', 'utf8')) as Record<string, unknown>;
    const envFile = join(scratch, 'env.typo.json');
    writeFileSync(envFile, JSON.stringify({ ...envVars, CustomMessagesFunction: { APP_NAME: 'Typo' } }));

    // Act
    const run = runCli('replay', [dir, '--mode', 'in-process', '--env-vars', envFile]);

    // Assess
    const { warning, ...seen } = envVarsWarningOf(run, 'CustomMessagesFunction');
    expect(seen).toEqual({ status: 0, warnings: [warning] });
  });

  it(`replays through the template in existing-pool mode (${EXAMPLE_POOL_ID}), in-process and as its built bundles`, () => {
    // Prepare
    const dir = pairWith(() => {});
    const template = writeExistingPoolTemplate(join(scratch, 'existing-pool'));
    const build = runCli('build', ['--template', template]);

    // Act
    const inProcess = runCli('replay', [dir, '--mode', 'in-process', '--template', template]);
    const bundle = runCli('replay', [dir, '--mode', 'bundle', '-t', template]);

    // Assess
    const lastLine = (stdout: string) => stdout.trim().split('\n').at(-1);
    expect({
      build: build.status,
      inProcess: [inProcess.status, lastLine(inProcess.stdout)],
      bundle: [bundle.status, lastLine(bundle.stdout)],
    }).toEqual({ build: 0, inProcess: [0, '1 passed, 0 failed'], bundle: [0, '1 passed, 0 failed'] });
  });

  it('fails before replaying, saying how trigger functions are found, when the template has none', () => {
    // Prepare
    const dir = pairWith(() => {});
    const template = join(scratch, 'no-trigger.yaml');
    writeFileSync(template, NO_TRIGGER_TEMPLATE);

    // Act
    const run = runCli('replay', [dir, '--mode', 'in-process', '--template', template]);

    // Assess
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 2,
      stdout: '',
      stderr: expect.stringContaining(
        'Resources hold no trigger function: no AWS::Serverless::Function names the Cognito trigger it serves',
      ),
    });
  });

  it('refuses an unknown mode with exit status 2', () => {
    // Prepare
    const args = ['--mode', 'docker'];

    // Act
    const run = runCli('replay', args);

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--mode must be "bundle" or "in-process"');
  });
});
