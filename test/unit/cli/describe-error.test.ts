import { describe, expect, it } from 'vitest';
import { describeError, describeLoggedErrors } from '../../../cli/describe-error.js';

describe('CLI: describeError', () => {
  it('names the error and follows its cause chain, without stacks', () => {
    // Prepare
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const sdk = new TypeError('fetch failed', { cause: root });
    const error = new RangeError('ReceiveMessage failed', { cause: sdk });

    // Act
    const line = describeError(error);

    // Assess
    expect(line).toBe(
      'RangeError: ReceiveMessage failed; caused by TypeError: fetch failed; caused by Error: connect ECONNREFUSED 127.0.0.1:9',
    );
  });

  it('keeps a multi-line message on one line', () => {
    // Prepare
    const error = new Error('Build failed with 2 errors:\n  a.ts:1: one\n  b.ts:2: two');

    // Act
    const line = describeError(error);

    // Assess
    expect(line).toBe('Error: Build failed with 2 errors: a.ts:1: one b.ts:2: two');
  });

  it('describes thrown values that are not errors', () => {
    // Prepare
    const values: unknown[] = ['no', 42, { code: 'X' }, new Error('outer', { cause: 'inner' })];

    // Act
    const lines = values.map(describeError);

    // Assess
    expect(lines).toEqual(['no', '42', '{"code":"X"}', 'Error: outer; caused by inner']);
  });

  it('stops at a cause chain that loops', () => {
    // Prepare
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    Object.defineProperty(first, 'cause', { value: second });

    // Act
    const line = describeError(first);

    // Assess
    expect(line).toBe('Error: first; caused by Error: second; …');
  });
});

describe('CLI: describeLoggedErrors', () => {
  const line = (fields: Record<string, unknown>) =>
    JSON.stringify({ level: 'ERROR', message: 'something failed', service: 'cognito-sign-up', ...fields });

  it('lists the errors of JSON log lines with the action or rule that logged them, without stacks', () => {
    // Prepare
    const logs = [
      'a line that is not JSON',
      line({
        action: 'publishUserConfirmed',
        error: { name: 'EventBridgeRequestError', message: 'PutEvents failed: Error', stack: 'at x' },
      }),
      line({ level: 'INFO', message: 'onboarding' }),
      line({ rule: 'verifyCaptcha', error: { name: 'TimeoutError', code: 'ETIMEDOUT' } }),
      line({ error: { name: 'OnboardingIncompleteError', message: 'Onboarding incomplete: addToGroups' } }),
    ];

    // Act
    const errors = describeLoggedErrors(logs);

    // Assess
    expect(errors).toEqual([
      'publishUserConfirmed: EventBridgeRequestError: PutEvents failed: Error',
      'verifyCaptcha: TimeoutError (ETIMEDOUT)',
      'OnboardingIncompleteError: Onboarding incomplete: addToGroups',
    ]);
  });

  it("follows a logged error's cause and lists a repeated error once", () => {
    // Prepare
    const error = { name: 'SqsRequestError', message: 'SendMessage failed', cause: { name: 'AccessDenied' } };
    const logs = [line({ error }), line({ error })];

    // Act
    const errors = describeLoggedErrors(logs);

    // Assess
    expect(errors).toEqual(['SqsRequestError: SendMessage failed; caused by AccessDenied']);
  });

  it('finds nothing in lines without an error object', () => {
    // Prepare
    const logs = [line({}), line({ error: 'a string' }), line({ error: { message: 'no name' } }), '[1]'];

    // Act
    const errors = describeLoggedErrors(logs);

    // Assess
    expect(errors).toEqual([]);
  });
});
