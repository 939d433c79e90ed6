import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'build-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A SAM template whose only function has no Cognito event: nothing for the build to bundle. */
const NO_TRIGGER = `Transform: AWS::Serverless-2016-10-31
Resources:
  ApiFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: handler.handler
      CodeUri: ./
    Metadata:
      BuildMethod: esbuild
`;

describe('CLI: build', () => {
  it('fails with exit status 1, saying why, when the template has no function to build', () => {
    // Prepare
    const template = join(scratch, 'template.yaml');
    writeFileSync(template, NO_TRIGGER);

    // Act
    const run = runCli('build', ['--template', template]);

    // Assess
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 1, stdout: '' });
    expect(run.stderr).toMatch(/^build failed: .*template\.yaml has no function to build/);
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
