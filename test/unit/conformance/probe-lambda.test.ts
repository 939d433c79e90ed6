import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProbeLambda, probeKeyOf, startProbeLambda } from '../../../conformance/probe-lambda.js';

/** A sign-up trigger event about `email`, as Cognito sends it. */
function eventFor(email: string, triggerSource = 'PreSignUp_SignUp'): Record<string, unknown> {
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_AbCdEf123',
    userName: 'a1b2c3d4-0000-4000-8000-000000000001',
    triggerSource,
    request: { userAttributes: { email } },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

/** Invokes `functionName` on the probe API as the Lambda client does. */
function invoke(
  probe: ProbeLambda,
  event: unknown,
  options: { functionName?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  const name = encodeURIComponent(options.functionName ?? 'conformance-PreSignUp');
  return fetch(`${probe.url}/2015-03-31/functions/${name}/invocations`, {
    method: 'POST',
    body: typeof event === 'string' ? event : JSON.stringify(event),
    headers: options.headers ?? {},
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

describe('Conformance: probeKeyOf', () => {
  it('reads the part of the address before the first dot, lower-cased', () => {
    // Prepare
    const event = eventFor('K3X9.sign-up.twice@Example.com');

    // Act
    const key = probeKeyOf(event);

    // Assess
    expect(key).toBe('k3x9');
  });

  it('finds the key that leads any generated address', () => {
    // Prepare
    const keys = fc.stringMatching(/^[A-Za-z0-9]{1,12}$/);
    const labels = fc.string({ maxLength: 30 });
    const domains = fc.domain();

    // Act
    const property = fc.property(keys, labels, domains, (key, label, domain) => {
      return probeKeyOf(eventFor(`${key}.${label}@${domain}`)) === key.toLowerCase();
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });

  it.each([
    ['no event', undefined],
    ['an array', [eventFor('k1.a@example.com')]],
    ['no request', { triggerSource: 'PreSignUp_SignUp' }],
    ['no user attributes', { request: {} }],
    ['no email', { request: { userAttributes: { phone_number: '+15555550100' } } }],
    ['an email that is not a string', { request: { userAttributes: { email: 42 } } }],
    ['an email without @', { request: { userAttributes: { email: 'k1.example.com' } } }],
  ])('gives undefined for %s', (_case, event) => {
    // Prepare
    const given: unknown = event;

    // Act
    const key = probeKeyOf(given);

    // Assess
    expect(key).toBeUndefined();
  });
});

describe('Conformance: startProbeLambda', () => {
  let probe: ProbeLambda | undefined;
  afterEach(async () => {
    await probe?.close();
    probe = undefined;
  });

  it('listens on loopback', async () => {
    // Prepare
    probe = await startProbeLambda();

    // Act
    const url = new URL(probe.url);

    // Assess
    expect(url.protocol).toBe('http:');
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
  });

  it('serves any function name and records the call with its name, trigger and key', async () => {
    // Prepare
    probe = await startProbeLambda();
    const event = eventFor('k1abc.sign-up@example.com', 'CustomMessage_SignUp');

    // Act
    const response = await invoke(probe, event, { functionName: 'my-own-custom-message-function' });
    await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(probe.calls()).toEqual([
      expect.objectContaining({
        sequence: 1,
        functionName: 'my-own-custom-message-function',
        trigger: 'CustomMessage',
        key: 'k1abc',
        event,
        invocationType: 'RequestResponse',
      }),
    ]);
  });

  it('records a function ARN sent URL-encoded as the ARN', async () => {
    // Prepare
    probe = await startProbeLambda();
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:conformance-PreSignUp';

    // Act
    const response = await invoke(probe, eventFor('k1.a@example.com'), { functionName: arn });
    await response.text();

    // Assess
    expect(probe.calls()[0]?.functionName).toBe(arn);
  });

  it.each([
    ['PreSignUp_AdminCreateUser', 'PreSignUp'],
    ['CustomMessage_ForgotPassword', 'CustomMessage'],
    ['PostConfirmation_ConfirmSignUp', 'PostConfirmation'],
    ['PreAuthentication_Authentication', 'Other'],
    ['', 'Other'],
  ])('reads trigger source %j as trigger %j', async (triggerSource, trigger) => {
    // Prepare
    probe = await startProbeLambda();

    // Act
    const response = await invoke(probe, eventFor('k1.a@example.com', triggerSource));
    await response.text();

    // Assess
    expect(probe.calls()[0]?.trigger).toBe(trigger);
  });

  it('records the invocation type as sent', async () => {
    // Prepare
    probe = await startProbeLambda();

    // Act
    const response = await invoke(probe, eventFor('k1.a@example.com'), {
      headers: { 'X-Amz-Invocation-Type': 'Event' },
    });
    await response.text();

    // Assess
    expect(probe.calls()[0]?.invocationType).toBe('Event');
  });

  it('numbers the calls in order over the whole run', async () => {
    // Prepare
    probe = await startProbeLambda();

    // Act
    for (const email of ['k1.a@example.com', 'k2.b@example.com', 'k1.c@example.com']) {
      await (await invoke(probe, eventFor(email))).text();
    }

    // Assess
    expect(probe.calls().map((call) => [call.sequence, call.key])).toEqual([
      [1, 'k1'],
      [2, 'k2'],
      [3, 'k1'],
    ]);
  });

  it('gives the event back unchanged when nothing is scripted', async () => {
    // Prepare
    probe = await startProbeLambda();
    const event = eventFor('k1.a@example.com');

    // Act
    const response = await invoke(probe, event);
    const answer = await response.json();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(answer).toEqual(event);
  });

  it('keeps a body that is not JSON as text, with no key and trigger Other', async () => {
    // Prepare
    probe = await startProbeLambda();

    // Act
    const response = await invoke(probe, 'not json');
    await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(probe.calls()[0]).toMatchObject({ event: 'not json', key: undefined, trigger: 'Other' });
  });

  it('merges a respond script into the event response, keeping the other response fields', async () => {
    // Prepare
    probe = await startProbeLambda();
    probe.script('k1', { PreSignUp: { kind: 'respond', response: { autoConfirmUser: true } } });

    // Act
    const response = await invoke(probe, eventFor('k1.a@example.com'));
    const answer = await response.json();

    // Assess
    expect(response.status).toBe(200);
    expect(answer).toEqual({
      ...eventFor('k1.a@example.com'),
      response: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false },
    });
  });

  it('fails a throw script as Lambda reports an unhandled error', async () => {
    // Prepare
    probe = await startProbeLambda();
    probe.script('k1', { PreSignUp: { kind: 'throw', message: 'Sign-up is closed.' } });

    // Act
    const response = await invoke(probe, eventFor('k1.a@example.com'));
    const answer = await response.json();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(answer).toEqual({ errorType: 'Error', errorMessage: 'Sign-up is closed.', trace: [] });
  });

  it('answers a return script with its value instead of the event', async () => {
    // Prepare
    probe = await startProbeLambda();
    probe.script('k1', { PreSignUp: { kind: 'return', value: [1, 'two', null] } });

    // Act
    const response = await invoke(probe, eventFor('k1.a@example.com'));
    const answer = await response.json();

    // Assess
    expect(response.status).toBe(200);
    expect(answer).toEqual([1, 'two', null]);
  });

  it('fails an invoke-error script with its HTTP status and error type', async () => {
    // Prepare
    probe = await startProbeLambda();
    probe.script('k1', {
      PreSignUp: { kind: 'invoke-error', status: 429, errorType: 'TooManyRequestsException' },
    });

    // Act
    const response = await invoke(probe, eventFor('k1.a@example.com'));
    const answer = await response.json();

    // Assess
    expect(response.status).toBe(429);
    expect(response.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(answer).toMatchObject({ Type: 'User' });
  });

  it('applies a script to its trigger only, and to the key in any case', async () => {
    // Prepare
    probe = await startProbeLambda();
    probe.script('K1', { CustomMessage: { kind: 'throw', message: 'No text.' } });

    // Act
    const preSignUp = await invoke(probe, eventFor('k1.a@example.com', 'PreSignUp_SignUp'));
    const customMessage = await invoke(probe, eventFor('k1.a@example.com', 'CustomMessage_SignUp'));
    await Promise.all([preSignUp.text(), customMessage.text()]);

    // Assess
    expect(preSignUp.headers.get('x-amz-function-error')).toBeNull();
    expect(customMessage.headers.get('x-amz-function-error')).toBe('Unhandled');
  });

  it('replaces an earlier script for the same key', async () => {
    // Prepare
    probe = await startProbeLambda();
    probe.script('k1', { PreSignUp: { kind: 'throw', message: 'First.' } });
    probe.script('k1', { PostConfirmation: { kind: 'throw', message: 'Second.' } });

    // Act
    const response = await invoke(probe, eventFor('k1.a@example.com', 'PreSignUp_SignUp'));
    const answer = await response.json();

    // Assess
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(answer).toEqual(eventFor('k1.a@example.com', 'PreSignUp_SignUp'));
  });

  it('answers a delay script only after the delay, with the event unchanged', async () => {
    // Prepare
    probe = await startProbeLambda();
    probe.script('k1', { PreSignUp: { kind: 'delay', ms: 50 } });
    const started = performance.now();

    // Act
    const response = await invoke(probe, eventFor('k1.a@example.com'));
    const answer = await response.json();
    const elapsed = performance.now() - started;

    // Assess
    expect(response.status).toBe(200);
    expect(answer).toEqual(eventFor('k1.a@example.com'));
    expect(elapsed).toBeGreaterThanOrEqual(45);
  });

  it('stays fine for the next call when a caller gives up on a delayed answer', async () => {
    // Prepare
    probe = await startProbeLambda();
    probe.script('k1', { PreSignUp: { kind: 'delay', ms: 200 } });
    const abandoned = await invoke(probe, eventFor('k1.a@example.com'), {
      signal: AbortSignal.timeout(20),
    }).catch((error: unknown) => error);

    // Act
    await new Promise((resolve) => setTimeout(resolve, 250));
    const next = await invoke(probe, eventFor('k2.b@example.com'));
    const answer = await next.json();

    // Assess
    expect(abandoned).toMatchObject({ name: 'TimeoutError' });
    expect(next.status).toBe(200);
    expect(answer).toEqual(eventFor('k2.b@example.com'));
    expect(probe.calls().map((call) => call.key)).toEqual(['k1', 'k2']);
  });

  it.each([
    ['a path that is not the Invoke API', 'POST', '/2015-03-31/functions/f'],
    ['another API version', 'POST', '/2020-01-01/functions/f/invocations'],
    ['a GET on the Invoke path', 'GET', '/2015-03-31/functions/f/invocations'],
  ])('answers %s with 404 ResourceNotFoundException and records nothing', async (_case, method, path) => {
    // Prepare
    probe = await startProbeLambda();

    // Act
    const response = await fetch(`${probe.url}${path}`, {
      method,
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
    await response.text();

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(probe.calls()).toEqual([]);
  });

  it("gives the calls about a key's users, whatever the case of the key asked for", async () => {
    // Prepare
    probe = await startProbeLambda();
    for (const email of ['K1.a@example.com', 'k2.b@example.com', 'k1.c@example.com']) {
      await (await invoke(probe, eventFor(email))).text();
    }

    // Act
    const calls = probe.callsOf('K1');

    // Assess
    expect(calls.map((call) => call.sequence)).toEqual([1, 3]);
  });

  it('takes an event of exactly 6 MiB', async () => {
    // Prepare
    probe = await startProbeLambda();
    const prefix = '{"padding":"';
    const suffix = '"}';
    const body = `${prefix}${'x'.repeat(6 * 1024 * 1024 - prefix.length - suffix.length)}${suffix}`;

    // Act
    const response = await invoke(probe, body);
    await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(probe.calls()).toHaveLength(1);
  });

  it('refuses an event over 6 MiB with 413 RequestTooLargeException, records nothing, and serves the next call', async () => {
    // Prepare
    probe = await startProbeLambda();

    // Act
    const refused = await invoke(probe, 'x'.repeat(6 * 1024 * 1024 + 1));
    await refused.text();
    const next = await invoke(probe, eventFor('k1.a@example.com'));
    await next.text();

    // Assess
    expect(refused.status).toBe(413);
    expect(refused.headers.get('x-amzn-ErrorType')).toBe('RequestTooLargeException');
    expect(next.status).toBe(200);
    expect(probe.calls().map((call) => call.key)).toEqual(['k1']);
  });
});
