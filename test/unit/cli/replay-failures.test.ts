import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { FailureMessage } from '../../../triggers/post-confirmation/failure-queue.js';
import { envVarsWarningOf, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'replay-failures-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const EVENT = 'events/post-confirmation/confirm-sign-up.email-as-username.json';

/** Writes `value` as JSON into the scratch folder and returns its path. */
function fileOf(name: string, value: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** A failure-queue message for the recorded event, its event publication failed. */
function failureMessage(): FailureMessage {
  return {
    kind: 'PostConfirmationFailure',
    version: 1,
    eventId: null,
    failedActions: [{ action: 'publishUserConfirmed', errorName: 'EventBridgeRequestError' }],
    failedAt: '2026-01-01T00:00:00.000Z',
    requestId: 'request-1',
    complete: true,
    event: JSON.parse(readFileSync(EVENT, 'utf8')) as FailureMessage['event'],
  };
}

const envVars = fileOf('env.json', { PostConfirmationFunction: { EVENT_BUS_NAME: 'sign-up-bus' } });

describe('CLI: replay:failures', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    ['--queue-url or --file', ['--env-vars', envVars], 'missing --queue-url or --file'],
    ['--env-vars', ['--file', 'messages.json'], 'missing --env-vars'],
  ])('names a missing %s, then prints the usage, and exits 2', (_option, args, message) => {
    // Prepare
    const expected = message;

    // Act
    const run = runCli('replay-failures', args);

    // Assess
    expect({ status: run.status, first: run.stderr.split('\n')[0], usage: run.stderr }).toEqual({
      status: 2,
      first: expected,
      usage: expect.stringContaining('Usage: npm run replay:failures --'),
    });
  });

  it('refuses a --queue-url that is not a queue URL before reading any file or asking for credentials', () => {
    // Prepare
    vi.stubEnv('AWS_PROFILE', 'no-such-profile');
    vi.stubEnv('AWS_CONFIG_FILE', join(scratch, 'no-such-config'));
    const args = ['--queue-url', 'sign-up-failures', '--env-vars', join(scratch, 'no-such-env.json')];

    // Act
    const run = runCli('replay-failures', args);

    // Assess
    expect({ status: run.status, stdout: run.stdout, first: run.stderr.split('\n')[0] }).toEqual({
      status: 2,
      stdout: '',
      first: expect.stringMatching(/^--queue-url must be an SQS queue URL/),
    });
  });

  it('refuses a --max that is not a positive whole number, naming it', () => {
    // Prepare
    const args = ['--file', 'messages.json', '--env-vars', envVars, '--max', '1.5'];

    // Act
    const run = runCli('replay-failures', args);

    // Assess
    expect({ status: run.status, first: run.stderr.split('\n')[0] }).toEqual({
      status: 2,
      first: '--max must be a whole number of messages, at least 1, not "1.5"',
    });
  });

  it('prints the error that failed a message and its cause chain, without a stack', () => {
    // Prepare
    const file = fileOf('unreadable.json', [{ MessageId: 'm-1', Body: 'not json' }]);

    // Act
    const run = runCli('replay-failures', ['--file', file, '--env-vars', envVars]);

    // Assess
    const failed = run.stdout.split('\n').find((line) => line.startsWith('FAILED'));
    expect({ status: run.status, failed, stack: /^\s+at /m.test(run.stdout) }).toEqual({
      status: 1,
      failed: expect.stringMatching(
        /^FAILED {2}m-1: FailureMessageShapeError: .*; caused by SyntaxError: .*\(kept\)$/,
      ),
      stack: false,
    });
  });

  it("prints the failed action's own error, not the generic error strict mode throws", () => {
    // Prepare: EventBridge on a port where nothing listens, with credentials that are not real
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-a-real-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9');
    const file = fileOf('publish-failed.json', [
      { MessageId: 'm-2', Body: JSON.stringify(failureMessage()) },
    ]);

    // Act
    const run = runCli('replay-failures', ['--file', file, '--env-vars', envVars]);

    // Assess
    const failed = run.stdout.split('\n').find((line) => line.startsWith('FAILED')) ?? '';
    expect({
      status: run.status,
      action: failed.includes('m-2: publishUserConfirmed: EventBridgeRequestError'),
      generic: failed.includes('SIGNUP_UNAVAILABLE'),
      last: run.stdout.trim().split('\n').at(-1),
    }).toEqual({ status: 1, action: true, generic: false, last: '0 replayed, 1 failed' });
  });

  it('warns once on stderr about an env-vars block that names no function of the template', () => {
    // Prepare
    const file = fileOf('none.json', []);
    const typo = fileOf('env.typo.json', {
      PostConfirmationFunction: { EVENT_BUS_NAME: 'sign-up-bus' },
      PostConfirmFunction: { DEFAULT_GROUPS: 'members' },
    });

    // Act
    const run = runCli('replay-failures', ['--file', file, '--env-vars', typo]);

    // Assess
    const { warning, ...seen } = envVarsWarningOf(run, 'PostConfirmFunction');
    expect(seen).toEqual({ status: 0, warnings: [warning] });
  });
});
