/**
 * The local Lambda Invoke API (local/lambda-endpoint.ts) when the runtime, not the handler, fails: a process
 * that exits or is killed during an invocation, a bundle that cannot be found, a handler that is not exported.
 * Each answers as Lambda's Invoke API does (contract §6, "Runtime errors"), under the invocation's own UUID,
 * and Cognito wraps it as any function error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoLambda } from '../../../local/cognito-lambda.js';
import { type LambdaEndpoint, startLambdaEndpoint } from '../../../local/lambda-endpoint.js';
import { CognitoError } from '../../support/cognito-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const DYING = `'use strict';
exports.handler = async (event, context) => {
  if (event.exit !== undefined) process.exit(event.exit);
  if (event.kill) process.kill(process.pid, event.kill);
  return { requestId: context.awsRequestId };
};
`;

describe('Local: Lambda Invoke API, runtime errors', () => {
  let directory: string;
  let endpoint: LambdaEndpoint;

  /** A function of the endpoint whose bundle is `<name>/handler.cjs` (`Handler: handler.handler`). */
  function served(name: string, source: string | undefined) {
    const folder = join(directory, name);
    mkdirSync(folder, { recursive: true });
    const bundlePath = join(folder, 'handler.cjs');
    if (source !== undefined) writeFileSync(bundlePath, source);
    return { name, bundlePath, exportName: 'handler', memoryMb: 128, timeoutSeconds: 5, environment: {} };
  }

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'unit-lambda-runtime-'));
    endpoint = await startLambdaEndpoint({
      functions: [
        served('DyingFunction', DYING),
        served('MissingFunction', undefined),
        served('UnexportedFunction', 'exports.main = async (event) => event;'),
        served('ExitingFunction', 'exports.handler = async () => process.exit(1);'),
      ],
    });
  });
  afterAll(async () => {
    await endpoint?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  async function invoke(name: string, event: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${endpoint.url}/2015-03-31/functions/${name}/invocations`, {
      method: 'POST',
      body: JSON.stringify(event),
      headers,
    });
    return {
      status: response.status,
      functionError: response.headers.get('X-Amz-Function-Error'),
      requestId: response.headers.get('x-amzn-RequestId') ?? '',
      logTail: Buffer.from(response.headers.get('X-Amz-Log-Result') ?? '', 'base64').toString('utf8'),
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  it("gives each invocation a UUID, the same in x-amzn-RequestId and the function's context.awsRequestId", async () => {
    // Prepare
    const event = {};

    // Act
    const first = await invoke('DyingFunction', event);
    const second = await invoke('DyingFunction', event);

    // Assess
    expect(first.requestId).toMatch(UUID);
    expect(first.body).toEqual({ requestId: first.requestId });
    expect(second.body).toEqual({ requestId: second.requestId });
    expect(second.requestId).not.toBe(first.requestId);
  });

  it('answers a process that exits during an invocation with Runtime.ExitError under its request id', async () => {
    // Prepare
    const event = { exit: 1 };

    // Act
    const answer = await invoke('DyingFunction', event, { 'X-Amz-Log-Type': 'Tail' });

    // Assess
    expect(answer).toMatchObject({ status: 200, functionError: 'Unhandled' });
    expect(answer.requestId).toMatch(UUID);
    expect(answer.body).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${answer.requestId} Error: Runtime exited with error: exit status 1`,
    });
    expect(answer.logTail).toContain(
      `RequestId: ${answer.requestId} Error: Runtime exited with error: exit status 1\nRuntime.ExitError\nEND RequestId: ${answer.requestId}`,
    );
  });

  it('answers a process killed during an invocation with the signal as Lambda words it', async () => {
    // Prepare
    const event = { kill: 'SIGKILL' };

    // Act
    const answer = await invoke('DyingFunction', event);

    // Assess
    expect(answer).toMatchObject({ status: 200, functionError: 'Unhandled' });
    expect(answer.body).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${answer.requestId} Error: Runtime exited with error: signal: killed`,
    });
  });

  it('serves the next invocation on a new instance after the process died', async () => {
    // Prepare
    await invoke('DyingFunction', { exit: 2 });

    // Act
    const next = await invoke('DyingFunction', {});

    // Assess
    expect(next).toMatchObject({ status: 200, functionError: null, body: { requestId: next.requestId } });
  });

  it('answers a missing bundle with Runtime.ImportModuleError for the Handler file', async () => {
    // Prepare
    const event = {};

    // Act
    const answer = await invoke('MissingFunction', event);

    // Assess
    expect(answer).toMatchObject({ status: 200, functionError: 'Unhandled' });
    expect(answer.body).toEqual({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Error: Cannot find module 'handler'\nRequire stack:\n- /var/runtime/index.mjs",
      trace: [
        "Runtime.ImportModuleError: Error: Cannot find module 'handler'",
        'Require stack:',
        '- /var/runtime/index.mjs',
      ],
    });
  });

  it('answers a handler that is not exported with Runtime.HandlerNotFound', async () => {
    // Prepare
    const event = {};

    // Act
    const answer = await invoke('UnexportedFunction', event);

    // Assess
    expect(answer).toMatchObject({ status: 200, functionError: 'Unhandled' });
    expect(answer.body).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'handler.handler is undefined or not exported',
    });
  });

  describe('through Cognito', () => {
    const params = {
      triggerSource: 'PreSignUp_SignUp',
      userPoolId: 'local_Example1',
      username: 'jane.doe',
      clientId: 'client',
      userAttributes: { email: 'jane.doe@example.com' },
    };

    function preSignUpOn(functionName: string) {
      return cognitoLambda({
        endpoint: endpoint.url,
        functions: { PreSignUp: functionName },
        region: 'us-east-1',
        CognitoError,
      });
    }

    it.each([
      ['UnexportedFunction', 'PreSignUp failed with error handler.handler is undefined or not exported.'],
      [
        'MissingFunction',
        "PreSignUp failed with error Error: Cannot find module 'handler'\nRequire stack:\n- /var/runtime/index.mjs.",
      ],
    ])('reports %s as UserLambdaValidationException: %s', async (functionName, message) => {
      // Prepare
      const lambda = preSignUpOn(functionName);

      // Act
      const error = await lambda.invoke({}, 'PreSignUp', params).catch((caught: unknown) => caught);

      // Assess
      expect(error).toMatchObject({ code: 'UserLambdaValidationException', message });
    });

    it("reports a runtime exit as UserLambdaValidationException with Lambda's message and request id", async () => {
      // Prepare
      const lambda = preSignUpOn('ExitingFunction');

      // Act
      const error = await lambda.invoke({}, 'PreSignUp', params).catch((caught: unknown) => caught);

      // Assess
      expect(error).toMatchObject({
        code: 'UserLambdaValidationException',
        message: expect.stringMatching(
          /^PreSignUp failed with error RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 1\.$/,
        ),
      });
    });
  });
});
