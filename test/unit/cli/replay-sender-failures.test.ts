import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from './run-cli.js';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/sign-up-SenderFailureQueue';
const USAGE = 'Usage: npm run replay:sender-failures --';

/** The exit status, the first stderr line and whether the usage followed, of a run that must fail at once. */
function refusalOf(args: readonly string[]) {
  const run = runCli('replay-sender-failures', args);
  return {
    status: run.status,
    stdout: run.stdout,
    first: run.stderr.split('\n')[0],
    usage: run.stderr.includes(USAGE),
  };
}

describe('CLI: replay:sender-failures', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(['--help', '-h'])('prints its usage for %s, saying why a replay is safe, and exits 0', (flag) => {
    // Prepare
    const args = [flag];

    // Act
    const run = runCli('replay-sender-failures', args);

    // Assess
    expect({
      status: run.status,
      usage: run.stdout.startsWith(USAGE),
      sendOnce: run.stdout.includes('send-once record'),
      stderr: run.stderr,
    }).toEqual({ status: 0, usage: true, sendOnce: true, stderr: '' });
  });

  it('refuses an unknown option in one line naming it, followed by its usage, and exits 2', () => {
    // Prepare
    const args = ['--no-such-option'];

    // Act
    const refusal = refusalOf(args);

    // Assess
    expect(refusal).toEqual({ status: 2, stdout: '', first: 'unknown option --no-such-option', usage: true });
  });

  it.each([
    ['--queue-url', ['--function', 'CustomEmailSenderFunction'], 'missing --queue-url'],
    ['--function', ['--queue-url', QUEUE], 'missing --function'],
  ])('names a missing %s, then prints the usage, and exits 2', (_option, args, message) => {
    // Prepare
    const expected = { status: 2, stdout: '', first: message, usage: true };

    // Act
    const refusal = refusalOf(args);

    // Assess
    expect(refusal).toEqual(expected);
  });

  it.each([
    'my function',
    'x'.repeat(65),
    'arn:aws:s3:::sign-up-bucket',
    'arn:aws:lambda:us-east-1:123456789012:layer:sender',
    'arn:aws:lambda:us-east-1:12345:function:sender',
    'sender:v1:extra',
  ])('refuses --function %j before asking for credentials, naming the option', (name) => {
    // Prepare: a profile that does not exist, which any credential lookup would trip on
    vi.stubEnv('AWS_PROFILE', 'no-such-profile');
    vi.stubEnv('AWS_CONFIG_FILE', join(tmpdir(), 'no-such-aws-config'));

    // Act
    const refusal = refusalOf(['--queue-url', QUEUE, '--function', name]);

    // Assess
    expect(refusal).toEqual({
      status: 2,
      stdout: '',
      first: expect.stringMatching(/^--function must be a function name, /),
      usage: true,
    });
  });

  it('refuses a --region that is not the Region of the --function ARN', () => {
    // Prepare
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:sign-up-CustomEmailSenderFunction';

    // Act
    const refusal = refusalOf(['--queue-url', QUEUE, '--function', arn, '--region', 'us-east-1']);

    // Assess
    expect(refusal).toEqual({
      status: 2,
      stdout: '',
      first: '--region us-east-1 is not the Region of the --function ARN (eu-west-1)',
      usage: true,
    });
  });

  it.each([
    [['--region', 'Europe'], /^--region must be an AWS Region/],
    [['--max', '0'], /^--max must be a whole number of messages, at least 1, not "0"$/],
    [['--endpoint-url', 'localhost:4566'], /^--endpoint-url must be an endpoint URL/],
    [['--max-age', '0h'], /^--max-age must be a positive duration such as 3600s, 30m, 12h or 7d, not "0h"$/],
    [['--max-age', '1 week'], /^--max-age must be a positive duration/],
  ])('refuses %j, naming the option', (extra, message) => {
    // Prepare
    const args = ['--queue-url', QUEUE, '--function', 'CustomEmailSenderFunction', ...extra];

    // Act
    const refusal = refusalOf(args);

    // Assess
    expect(refusal).toEqual({ status: 2, stdout: '', first: expect.stringMatching(message), usage: true });
  });

  it('refuses a --queue-url that is not an SQS queue URL', () => {
    // Prepare
    const args = ['--queue-url', 'SenderFailureQueue', '--function', 'CustomEmailSenderFunction'];

    // Act
    const refusal = refusalOf(args);

    // Assess
    expect(refusal).toEqual({
      status: 2,
      stdout: '',
      first: expect.stringMatching(/^--queue-url must be an SQS queue URL/),
      usage: true,
    });
  });
});
