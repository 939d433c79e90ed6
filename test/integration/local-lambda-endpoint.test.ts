/**
 * The local Lambda Invoke API (local/lambda-endpoint.ts) with a small bundle of its own: answers as Lambda
 * does (payload, function errors with `X-Amz-Function-Error` and a `trace`, a response over 6 MB, API errors
 * with `x-amzn-ErrorType`, versions and aliases), keeps a warm instance, enforces the function's timeout,
 * starts cold after any rebuild, and names its option when its port is taken.
 */
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoLambda } from '../../local/cognito-lambda.js';
import { PortInUseError } from '../../local/errors.js';
import { type LambdaEndpoint, startLambdaEndpoint } from '../../local/lambda-endpoint.js';
import { CognitoError } from '../support/cognito-error.js';

const BUNDLE = `'use strict';
exports.handler = async (event) => {
  if (event.throw) { const error = new Error(event.throw); error.name = 'RuleError'; throw error; }
  if (event.throwString) throw event.throwString;
  if (event.responseMb) return 'x'.repeat(event.responseMb * 1024 * 1024);
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  console.log(JSON.stringify({ message: 'trigger decision', decidedBy: 'echo', outcome: 'changed' }));
  return { pid: process.pid, version: VERSION, region: process.env.AWS_REGION, event };
};
`;

describe('Local: Lambda Invoke API', () => {
  let directory: string;
  let bundlePath: string;
  let endpoint: LambdaEndpoint;
  // Each rebuild writes the next version: 1001, 1002, … (the same length, so the same file size).
  let version = 1000;

  function rebuild(): number {
    version += 1;
    writeFileSync(bundlePath, `const VERSION = ${version};\n${BUNDLE}`);
    return version;
  }

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'e2e-lambda-'));
    bundlePath = join(directory, 'handler.cjs');
    rebuild();
    endpoint = await startLambdaEndpoint({
      functions: [
        {
          name: 'EchoFunction',
          bundlePath,
          exportName: 'handler',
          memoryMb: 128,
          timeoutSeconds: 1,
          environment: { AWS_REGION: 'eu-west-1' },
        },
      ],
    });
  });
  afterAll(async () => {
    await endpoint?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  function invoke(name: string, body: string, headers: Record<string, string> = {}) {
    return fetch(`${endpoint.url}/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, {
      method: 'POST',
      body,
      headers,
    });
  }

  it('answers with the returned payload, on one warm instance, with the function environment', async () => {
    // Prepare
    const event = JSON.stringify({ hello: 'world' });

    // Act
    const first = await invoke('EchoFunction', event);
    const second = await invoke('arn:aws:lambda:us-east-1:123456789012:function:EchoFunction', event);
    const a = (await first.json()) as { pid: number; region: string; event: unknown };
    const b = (await second.json()) as { pid: number };

    // Assess
    expect(first.status).toBe(200);
    expect(first.headers.get('X-Amz-Function-Error')).toBeNull();
    expect(first.headers.get('X-Amz-Executed-Version')).toBe('$LATEST');
    expect(a).toMatchObject({ region: 'eu-west-1', event: { hello: 'world' } });
    expect(b.pid).toBe(a.pid);
    expect(endpoint.instanceCount('EchoFunction')).toBe(1);
  });

  it('returns a thrown error the way Lambda does: 200, X-Amz-Function-Error Unhandled, errorType, errorMessage, trace', async () => {
    // Prepare
    const event = JSON.stringify({
      throw: 'EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed.',
    });

    // Act
    const response = await invoke('EchoFunction', event, { 'X-Amz-Log-Type': 'Tail' });
    const body = (await response.json()) as Record<string, unknown>;
    const tail = Buffer.from(response.headers.get('X-Amz-Log-Result') ?? '', 'base64').toString('utf8');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('X-Amz-Function-Error')).toBe('Unhandled');
    expect(body).toEqual({
      errorType: 'RuleError',
      errorMessage: 'EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed.',
      trace: expect.arrayContaining([
        'RuleError: EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed.',
      ]),
    });
    expect((body.trace as unknown[]).every((line) => typeof line === 'string')).toBe(true);
    expect(tail).toMatch(/^START RequestId: /);
  });

  it("reports a thrown string as Lambda's Node.js runtime does: errorType string, an empty trace", async () => {
    // Prepare
    const event = JSON.stringify({ throwString: 'plain failure' });

    // Act
    const response = await invoke('EchoFunction', event);
    const body = await response.json();

    // Assess
    expect(response.headers.get('X-Amz-Function-Error')).toBe('Unhandled');
    expect(body).toEqual({ errorType: 'string', errorMessage: 'plain failure', trace: [] });
  });

  it('answers a response over 6 MB with Function.ResponseSizeTooLarge, as a function error', async () => {
    // Prepare
    const event = JSON.stringify({ responseMb: 7 });

    // Act
    const response = await invoke('EchoFunction', event);
    const body = (await response.json()) as { errorType: string; errorMessage: string };

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('X-Amz-Function-Error')).toBe('Unhandled');
    expect(body.errorType).toBe('Function.ResponseSizeTooLarge');
    expect(body.errorMessage).toMatch(
      /^Response payload size \(\d+ bytes\) exceeded maximum allowed payload size \(6291556 bytes\)\.$/,
    );
  });

  it('answers a request over 6 MB with a readable 413 RequestTooLargeException, then invokes again', async () => {
    // Prepare: Lambda's synchronous invocation payload limit is 6 MB
    const event = JSON.stringify({ pad: 'x'.repeat(7 * 1024 * 1024) });

    // Act
    const refused = await invoke('EchoFunction', event);
    const refusal = {
      status: refused.status,
      type: refused.headers.get('x-amzn-ErrorType'),
      body: await refused.json(),
    };
    const next = await invoke('EchoFunction', '{}');

    // Assess
    expect(refusal).toEqual({
      status: 413,
      type: 'RequestTooLargeException',
      body: { Type: 'User', message: 'Request must be smaller than 6291456 bytes' },
    });
    expect(next.status).toBe(200);
  });

  it('stops a function past its timeout with Sandbox.Timedout, and the next invocation starts cold', async () => {
    // Prepare
    const before = (await (await invoke('EchoFunction', '{}')).json()) as { pid: number };

    // Act
    const timedOut = await invoke('EchoFunction', JSON.stringify({ sleepMs: 3000 }));
    const body = (await timedOut.json()) as { errorType: string; errorMessage: string };
    const after = (await (await invoke('EchoFunction', '{}')).json()) as { pid: number };

    // Assess
    expect(timedOut.headers.get('X-Amz-Function-Error')).toBe('Unhandled');
    expect(body.errorType).toBe('Sandbox.Timedout');
    expect(body.errorMessage).toMatch(/Task timed out after 1\.00 seconds$/);
    expect(after.pid).not.toBe(before.pid);
  });

  it('starts a new instance on the new code right after a rebuild', async () => {
    // Prepare
    const before = (await (await invoke('EchoFunction', '{}')).json()) as { pid: number; version: number };

    // Act
    const rebuilt = rebuild();
    const after = (await (await invoke('EchoFunction', '{}')).json()) as { pid: number; version: number };

    // Assess
    expect(after.version).toBe(rebuilt);
    expect(after.version).not.toBe(before.version);
    expect(after.pid).not.toBe(before.pid);
    expect(endpoint.instanceCount('EchoFunction')).toBe(1);
  });

  it('sees a rebuild that keeps the size and the modification time of the bundle', async () => {
    // Prepare
    const sameTime = new Date('2026-01-01T00:00:00Z');
    utimesSync(bundlePath, sameTime, sameTime);
    const before = (await (await invoke('EchoFunction', '{}')).json()) as { pid: number; version: number };
    const { size, mtimeMs } = statSync(bundlePath);

    // Act
    const rebuilt = rebuild();
    utimesSync(bundlePath, sameTime, sameTime);
    const after = (await (await invoke('EchoFunction', '{}')).json()) as { pid: number; version: number };

    // Assess
    expect(statSync(bundlePath)).toMatchObject({ size, mtimeMs });
    expect(after.version).toBe(rebuilt);
    expect(after.pid).not.toBe(before.pid);
  });

  it('answers API errors with their HTTP status and x-amzn-ErrorType', async () => {
    // Prepare
    const missing = invoke('NoSuchFunction', '{}');
    const garbage = invoke('EchoFunction', '{not json');

    // Act
    const [notFound, badRequest] = await Promise.all([missing, garbage]);

    // Assess
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('x-amzn-ErrorType')).toBe('ResourceNotFoundException');
    expect(badRequest.status).toBe(400);
    expect(badRequest.headers.get('x-amzn-ErrorType')).toBe('InvalidRequestContentException');
  });

  it.each([
    ['a Qualifier version', 'EchoFunction', '?Qualifier=1'],
    ['a Qualifier alias', 'EchoFunction', '?Qualifier=prod'],
    ['an alias in the name', 'EchoFunction:prod', ''],
    ['a version in the ARN', 'arn:aws:lambda:us-east-1:123456789012:function:EchoFunction:7', ''],
  ])('answers %s other than $LATEST with 404 ResourceNotFoundException', async (_case, name, query) => {
    // Prepare
    const url = `${endpoint.url}/2015-03-31/functions/${encodeURIComponent(name)}/invocations${query}`;

    // Act
    const response = await fetch(url, { method: 'POST', body: '{}' });
    const body = (await response.json()) as { message: string };

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-ErrorType')).toBe('ResourceNotFoundException');
    expect(body.message).toMatch(
      /^Function not found: arn:aws:lambda:us-east-1:123456789012:function:EchoFunction:/,
    );
  });

  it('serves $LATEST named as a Qualifier or in the ARN', async () => {
    // Prepare
    const base = `${endpoint.url}/2015-03-31/functions`;
    const arn = encodeURIComponent('arn:aws:lambda:us-east-1:123456789012:function:EchoFunction:$LATEST');

    // Act
    const byQualifier = await fetch(`${base}/EchoFunction/invocations?Qualifier=$LATEST`, {
      method: 'POST',
      body: '{}',
    });
    const byArn = await fetch(`${base}/${arn}/invocations`, { method: 'POST', body: '{}' });

    // Assess
    expect(byQualifier.status).toBe(200);
    expect(byArn.status).toBe(200);
    expect(byArn.headers.get('X-Amz-Executed-Version')).toBe('$LATEST');
  });

  it('names the service and --lambda-port when its fixed port is taken', async () => {
    // Prepare
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as { port: number }).port;

    // Act
    const error = await startLambdaEndpoint({ functions: [], port }).catch((caught: unknown) => caught);
    await new Promise<void>((resolve) => taken.close(() => resolve()));

    // Assess
    expect(error).toBeInstanceOf(PortInUseError);
    expect(error).toMatchObject({ service: 'lambda', port, option: '--lambda-port' });
    expect((error as Error).message).toContain('--lambda-port');
  });
});

describe('Local: Cognito invoking through the Lambda Invoke API', () => {
  let directory: string;
  let endpoint: LambdaEndpoint;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'e2e-cognito-lambda-'));
    const bundlePath = join(directory, 'handler.cjs');
    writeFileSync(
      bundlePath,
      `exports.handler = async (event) => { await new Promise((r) => setTimeout(r, 400)); return event; };`,
    );
    endpoint = await startLambdaEndpoint({
      functions: [
        {
          name: 'SlowFunction',
          bundlePath,
          exportName: 'handler',
          memoryMb: 128,
          timeoutSeconds: 5,
          environment: {},
        },
      ],
    });
  });
  afterAll(async () => {
    await endpoint?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const params = {
    triggerSource: 'PreSignUp_SignUp',
    userPoolId: 'local_Example1',
    username: 'jane.doe',
    clientId: 'client',
    userAttributes: { email: 'jane.doe@example.com' },
  };

  it('gives up after three timed-out attempts with UnexpectedLambdaException, as Cognito does', async () => {
    // Prepare
    const lambda = cognitoLambda({
      endpoint: endpoint.url,
      functions: { PreSignUp: 'SlowFunction' },
      region: 'us-east-1',
      simulation: { timeoutMs: 100 },
      CognitoError,
    });

    // Act
    const error = await lambda
      .invoke({}, 'PreSignUp', params)
      .catch((caught: unknown) => caught as CognitoError);

    // Assess
    expect(error).toMatchObject({
      code: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    });
  });

  it('reports a function Lambda cannot find as Cognito reports a missing function', async () => {
    // Prepare
    const lambda = cognitoLambda({
      endpoint: endpoint.url,
      functions: { PreSignUp: 'DeletedFunction' },
      region: 'us-east-1',
      CognitoError,
    });

    // Act
    const error = await lambda
      .invoke({}, 'PreSignUp', params)
      .catch((caught: unknown) => caught as CognitoError);

    // Assess
    expect(error).toMatchObject({
      code: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ResourceNotFoundException.',
    });
  });

  it('sends Cognito\'s event: version "1", the Region, validationData null, no sub', async () => {
    // Prepare
    const reports: unknown[] = [];
    const lambda = cognitoLambda({
      endpoint: endpoint.url,
      functions: { PreSignUp: 'SlowFunction' },
      region: 'eu-central-1',
      CognitoError,
      onTriggerCall: (report) => reports.push(report.event),
    });

    // Act
    const response = await lambda.invoke({}, 'PreSignUp', {
      ...params,
      userAttributes: { ...params.userAttributes, sub: 'generated-by-cognito-local' },
    });

    // Assess
    expect(response).toEqual({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
    expect(reports).toEqual([
      {
        version: '1',
        region: 'eu-central-1',
        userPoolId: 'local_Example1',
        userName: 'jane.doe',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client' },
        triggerSource: 'PreSignUp_SignUp',
        request: { userAttributes: { email: 'jane.doe@example.com' }, validationData: null },
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      },
    ]);
  });
});
