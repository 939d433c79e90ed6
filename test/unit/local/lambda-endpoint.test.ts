import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InstanceInvocation } from '../../../local/function-instances.js';
import { answerOf, functionTargetOf } from '../../../local/lambda-endpoint.js';
import { anyText } from '../../support/arbitraries.js';

const BASE = { durationMs: 3, logs: [], coldStart: false, instance: 1 };

describe('Local: functionTargetOf', () => {
  it.each([
    ['PreSignUpFunction', null, 'PreSignUpFunction', undefined],
    ['PreSignUpFunction:prod', null, 'PreSignUpFunction', 'prod'],
    ['123456789012:function:PreSignUpFunction', null, 'PreSignUpFunction', undefined],
    ['arn:aws:lambda:us-east-1:123456789012:function:PreSignUpFunction', '7', 'PreSignUpFunction', '7'],
    [
      'arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3APreSignUpFunction%3A%24LATEST',
      null,
      'PreSignUpFunction',
      '$LATEST',
    ],
    ['PreSignUpFunction', '', 'PreSignUpFunction', undefined],
  ])('reads %s (Qualifier %j) as %s, qualifier %j', (raw, query, name, qualifier) => {
    // Prepare
    const rawName = raw;

    // Act
    const target = functionTargetOf(rawName, query);

    // Assess
    expect(target).toEqual({ name, qualifier });
  });

  it('reads any path segment without throwing on valid percent-encoding', () => {
    // Prepare
    const segment = anyText({ maxLength: 80 }).map((text) =>
      encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '')),
    );

    // Act
    const property = fc.property(segment, fc.option(fc.string({ maxLength: 10 })), (raw, query) => {
      const target = functionTargetOf(raw, query);
      return typeof target.name === 'string';
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Local: answerOf', () => {
  it('answers a returned value as its JSON, null for undefined', () => {
    // Prepare
    const result: InstanceInvocation = { ...BASE, kind: 'returned', value: undefined };

    // Act
    const answer = answerOf(result, 'request-1', 5);

    // Assess
    expect(answer).toEqual({ text: 'null', functionError: false, result });
  });

  it('answers a value over 6291556 bytes with Function.ResponseSizeTooLarge, reported as a function error', () => {
    // Prepare
    const result: InstanceInvocation = { ...BASE, kind: 'returned', value: 'x'.repeat(6_291_556) };

    // Act
    const answer = answerOf(result, 'request-1', 5);

    // Assess
    expect(answer.functionError).toBe(true);
    expect(JSON.parse(answer.text)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage:
        'Response payload size (6291558 bytes) exceeded maximum allowed payload size (6291556 bytes).',
    });
    expect(answer.result).toMatchObject({ kind: 'threw', errorType: 'Function.ResponseSizeTooLarge' });
  });

  it("answers a thrown error with the runtime's trace, else the stack's first line", () => {
    // Prepare
    const withTrace = {
      ...BASE,
      kind: 'threw',
      errorType: 'RuleError',
      errorMessage: 'no',
      trace: ['RuleError: no', '    at x'],
    };
    const withoutTrace: InstanceInvocation = {
      ...BASE,
      kind: 'threw',
      errorType: 'RuleError',
      errorMessage: 'no',
    };

    // Act
    const traced = JSON.parse(answerOf(withTrace as InstanceInvocation, 'request-1', 5).text);
    const untraced = JSON.parse(answerOf(withoutTrace, 'request-1', 5).text);

    // Assess
    expect(traced).toEqual({
      errorType: 'RuleError',
      errorMessage: 'no',
      trace: ['RuleError: no', '    at x'],
    });
    expect(untraced).toEqual({ errorType: 'RuleError', errorMessage: 'no', trace: ['RuleError: no'] });
  });

  it('splits a message of several lines into trace lines, as a stack is', () => {
    // Prepare
    const result: InstanceInvocation = {
      ...BASE,
      kind: 'threw',
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Error: Cannot find module 'handler'\nRequire stack:\n- /var/runtime/index.mjs",
    };

    // Act
    const body = JSON.parse(answerOf(result, 'request-1', 5).text);

    // Assess
    expect(body.trace).toEqual([
      "Runtime.ImportModuleError: Error: Cannot find module 'handler'",
      'Require stack:',
      '- /var/runtime/index.mjs',
    ]);
  });

  it('answers a time-out and a dead runtime as Lambda does, without a trace', () => {
    // Prepare
    const timedOut: InstanceInvocation = { ...BASE, kind: 'timeout' };
    const exited: InstanceInvocation = {
      ...BASE,
      kind: 'threw',
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: request-1 Error: Runtime exited with error: signal: killed',
    };

    // Act
    const timeout = JSON.parse(answerOf(timedOut, 'request-1', 5).text);
    const exit = JSON.parse(answerOf(exited, 'request-1', 5).text);

    // Assess
    expect(timeout).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: request-1 Error: Task timed out after 5.00 seconds',
    });
    expect(exit).toEqual({ errorType: 'Runtime.ExitError', errorMessage: exited.errorMessage });
  });
});
