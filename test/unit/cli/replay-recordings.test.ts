import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'replay-recordings-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const NEEDS = 'the captcha provider (turnstile) refusing the token';

/**
 * A folder with two copies of one recorded pair: one as it is, one whose expectation says it needs a live
 * service's answer and expects what no offline replay gives (as `npm start -- --record` writes them).
 */
function recordingWithNeeds(): string {
  const dir = mkdtempSync(join(scratch, 'recording-'));
  const base = 'events/pre-sign-up/sign-up.validation-data-null';
  const expected = JSON.parse(readFileSync(`${base}.expected.json`, 'utf8')) as Record<string, unknown>;
  cpSync(`${base}.json`, join(dir, 'sign-up.allowed.json'));
  writeFileSync(join(dir, 'sign-up.allowed.expected.json'), JSON.stringify(expected));
  cpSync(`${base}.json`, join(dir, 'sign-up.captcha-failed.json'));
  writeFileSync(
    join(dir, 'sign-up.captcha-failed.expected.json'),
    JSON.stringify({
      ...expected,
      needs: NEEDS,
      cognito: {
        outcome: 'error',
        errorType: 'UserLambdaValidationException',
        message:
          'PreSignUp failed with error CAPTCHA_FAILED: The captcha challenge could not be verified. Please try again..',
      },
    }),
  );
  return dir;
}

describe('CLI: replay of fixtures that need a live service', () => {
  it('skips them, says what each needs, and stays green', () => {
    // Prepare
    const dir = recordingWithNeeds();

    // Act
    const run = runCli('replay', [dir, '--mode', 'in-process']);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^SKIP {4}.*sign-up\.captcha-failed\.json\n {8}needs: the captcha provider/m);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('1 passed, 0 failed, 1 skipped');
  });

  it('replays them too with --all, where they fail offline', () => {
    // Prepare
    const dir = recordingWithNeeds();

    // Act
    const run = runCli('replay', [dir, '--mode', 'in-process', '--all']);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('1 passed, 1 failed');
  });

  it('lists them in the JSON report', () => {
    // Prepare
    const dir = recordingWithNeeds();

    // Act
    const run = runCli('replay', [dir, '--mode', 'in-process', '--json']);

    // Assess
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      passed: 1,
      failed: 0,
      skipped: 1,
      skips: [{ file: expect.stringMatching(/sign-up\.captcha-failed\.json$/), needs: NEEDS }],
    });
  });
});

describe('CLI: replay of a recording with its own env-vars file', () => {
  /** A recording's layout: `<dir>/env.recorded.json`, and a pair in `<dir>/pre-sign-up/` naming it as `../`. */
  function movedRecording(attempts: number): { dir: string; expectationFile: string } {
    const dir = mkdtempSync(join(scratch, 'moved-'));
    const base = 'events/pre-sign-up/sign-up.validation-data-null';
    mkdirSync(join(dir, 'pre-sign-up'));
    cpSync('events/env.json', join(dir, 'env.recorded.json'));
    cpSync(`${base}.json`, join(dir, 'pre-sign-up', 'sign-up.allowed.json'));
    const expected = JSON.parse(readFileSync(`${base}.expected.json`, 'utf8')) as Record<string, unknown>;
    const expectationFile = join(dir, 'pre-sign-up', 'sign-up.allowed.expected.json');
    writeFileSync(
      expectationFile,
      JSON.stringify({ ...expected, envVars: '../env.recorded.json', attempts }),
    );
    return { dir, expectationFile };
  }

  it('finds an envVars path starting with ../ beside the expectation, wherever the folder is', () => {
    // Prepare
    const { dir } = movedRecording(1);

    // Act
    const run = runCli('replay', [dir, '--mode', 'in-process']);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('1 passed, 0 failed');
  });

  it('keeps the envVars of an expectation it rewrites with --update', () => {
    // Prepare
    const { dir, expectationFile } = movedRecording(3);

    // Act
    const run = runCli('replay', [dir, '--mode', 'in-process', '--update']);

    // Assess
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(expectationFile, 'utf8'))).toMatchObject({
      envVars: '../env.recorded.json',
      attempts: 1,
    });
  });
});
