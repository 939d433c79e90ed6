import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EXAMPLE_POOL_ID,
  NO_TRIGGER_TEMPLATE,
  writeExistingPoolTemplate,
} from '../harness/template-copies.js';
import { runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'build-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('CLI: build', () => {
  it('fails with exit status 1, saying why, when the template has no function to build', () => {
    // Prepare
    const template = join(scratch, 'template.yaml');
    writeFileSync(template, NO_TRIGGER_TEMPLATE);

    // Act
    const run = runCli('build', ['--template', template]);

    // Assess
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 1, stdout: '' });
    expect(run.stderr).toMatch(
      /^build failed: .*template\.yaml has no function to build: no AWS::Serverless::Function names the Cognito trigger it serves .* in Metadata\.CognitoTrigger or in a SAM Cognito event/,
    );
  });

  it(`builds the trigger functions of the template in existing-pool mode (${EXAMPLE_POOL_ID}), into dist/ beside it, the custom senders too (as sam build does)`, () => {
    // Prepare
    const folder = join(scratch, 'existing-pool');
    const template = writeExistingPoolTemplate(folder);

    // Act
    const run = runCli('build', ['--template', template]);

    // Assess
    const functions = [
      'PreSignUpFunction',
      'CustomMessageFunction',
      'PostConfirmationFunction',
      'CustomEmailSenderFunction',
      'CustomSmsSenderFunction',
    ];
    expect({
      status: run.status,
      built: run.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[0]),
      bundles: functions.filter((id) => existsSync(join(folder, 'dist', id, 'handler.cjs'))),
    }).toEqual({ status: 0, built: functions, bundles: functions });
  });

  it('fails with exit status 1 when the template cannot be read', () => {
    // Prepare
    const template = join(scratch, 'missing.yaml');

    // Act
    const run = runCli('build', ['-t', template]);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('missing.yaml');
  });

  it('names the known functions when asked for one the template does not have', () => {
    // Prepare
    const args = ['NoSuchFunction'];

    // Act
    const run = runCli('build', args);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('PreSignUpFunction');
  });
});
