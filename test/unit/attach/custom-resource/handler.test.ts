import { Logger } from '@aws-lambda-powertools/logger';
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserPoolClient } from '../../../../attach/cognito-pool.js';
import {
  handleCustomResource,
  handler,
  RESPONSE_RESERVE_MS,
} from '../../../../attach/custom-resource/handler.js';
import { NOT_ATTACHED, physicalIdOf } from '../../../../attach/custom-resource/physical-id.js';
import { CustomResourceRequestError } from '../../../../attach/custom-resource/request.js';
import {
  type CustomResourceResponse,
  ResponseDeliveryError,
} from '../../../../attach/custom-resource/respond.js';
import {
  type ResponseServer,
  type ScriptedAnswer,
  startResponseServer,
} from '../../../support/cfn-response-server.js';
import { everythingLogged, spyOnLogger } from '../../../support/logger-spies.js';
import { type FakeCognito, fakeCognito } from '../fake-cognito.js';
import { OURS, THEIRS } from '../pools.js';
import { plainPool, poolWithSlots } from './pool-states.js';
import {
  createEvent,
  deleteEvent,
  POOL_ID,
  PRESIGNED_QUERY,
  propertiesOf,
  REQUEST_ID,
  RESPONSE_PATH,
  STACK_ID,
  updateEvent,
} from './requests.js';

const ATTACHED_ID = physicalIdOf({ userPoolId: POOL_ID, replaced: {} });

/** A Lambda context with `remainingMs` left (default: the template's 120 s timeout, untouched). */
function contextWith(remainingMs = 120_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'sign-up-TriggerAttachFunction-AbCdEf12',
    functionVersion: '$LATEST',
    invokedFunctionArn:
      'arn:aws:lambda:us-east-1:123456789012:function:sign-up-TriggerAttachFunction-AbCdEf12',
    memoryLimitInMB: '256',
    awsRequestId: '0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
    logGroupName: '/aws/lambda/sign-up-TriggerAttachFunction-AbCdEf12',
    logStreamName: '2026/01/02/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** `cognito`'s client, each call held back `delayMs` first: a Cognito that answers slowly. */
function slowClient(cognito: FakeCognito, delayMs: number): UserPoolClient {
  const send = async (command: unknown) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return cognito.client.send(command as never);
  };
  return { config: cognito.client.config, send } as unknown as UserPoolClient;
}

function operations(cognito: FakeCognito): string[] {
  return cognito.calls.map((call) => call.operation);
}

describe('Custom resource: handleCustomResource', () => {
  let server: ResponseServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  /** A response server answering with `script`, and the ResponseURL of a request it stands in for. */
  async function serve(script: readonly ScriptedAnswer[] = []) {
    server = await startResponseServer(script);
    return { responseUrl: `${server.origin}${RESPONSE_PATH}?${PRESIGNED_QUERY}`, server };
  }

  /** The one response document `server` received. */
  function answered(server: ResponseServer): CustomResourceResponse {
    expect(server.requests).toHaveLength(1);
    return JSON.parse(server.requests[0]?.body ?? '') as CustomResourceResponse;
  }

  it('attaches and answers with the StackId, RequestId and LogicalResourceId of the request', async () => {
    // Prepare
    const { responseUrl, server } = await serve();
    const cognito = fakeCognito({ pool: plainPool() });
    const event = createEvent({ ResponseURL: responseUrl });

    // Act
    await handleCustomResource(event, contextWith(), cognito.client);

    // Assess
    expect(answered(server)).toEqual({
      Status: 'SUCCESS',
      Reason: `Attached to ${POOL_ID}: 3 slot(s) changed; replaced: none`,
      PhysicalResourceId: ATTACHED_ID,
      StackId: STACK_ID,
      RequestId: REQUEST_ID,
      LogicalResourceId: 'TriggerAttachment',
      Data: { UserPoolId: POOL_ID, ReplacedTriggers: 'none' },
    });
    expect(cognito.pool()).toEqual(poolWithSlots(OURS));
  });

  it('answers a refused create FAILED with NOT_ATTACHED and the reason, without Data', async () => {
    // Prepare
    const { responseUrl, server } = await serve();
    const cognito = fakeCognito({ pool: poolWithSlots({ PreSignUp: THEIRS[0] }) });
    const event = createEvent({ ResponseURL: responseUrl });

    // Act
    await handleCustomResource(event, contextWith(), cognito.client);

    // Assess
    const document = answered(server);
    expect({ status: document.Status, id: document.PhysicalResourceId, data: document.Data }).toEqual({
      status: 'FAILED',
      id: NOT_ATTACHED,
      data: undefined,
    });
    expect(document.Reason).toContain(`LambdaConfig.PreSignUp holds ${THEIRS[0]}`);
  });

  it.each(['ResponseURL', 'StackId', 'RequestId', 'LogicalResourceId'])(
    'throws for a request without %s: it cannot be answered, and nothing is done',
    async (field) => {
      // Prepare
      const { responseUrl, server } = await serve();
      const cognito = fakeCognito({ pool: plainPool() });
      const { [field]: _removed, ...event } = createEvent({ ResponseURL: responseUrl });

      // Act
      const handled = handleCustomResource(event, contextWith(), cognito.client);

      // Assess
      await expect(handled).rejects.toThrow(CustomResourceRequestError);
      await expect(handled).rejects.toThrow(field);
      expect({ cognito: cognito.calls, responses: server.requests }).toEqual({ cognito: [], responses: [] });
    },
  );

  it.each([
    ['an unknown RequestType', { RequestType: 'Replace' }, NOT_ATTACHED, 'RequestType'],
    [
      'ResourceProperties that are not an object',
      { ResourceProperties: 'x' },
      NOT_ATTACHED,
      'ResourceProperties',
    ],
    [
      'an Update without OldResourceProperties, keeping its physical id',
      { RequestType: 'Update', PhysicalResourceId: ATTACHED_ID },
      ATTACHED_ID,
      'OldResourceProperties',
    ],
  ])('still answers a malformed request: %s', async (_case, overrides, id, named) => {
    // Prepare
    const { responseUrl, server } = await serve();
    const cognito = fakeCognito({ pool: plainPool() });
    const event = createEvent({ ResponseURL: responseUrl, ...overrides });

    // Act
    await handleCustomResource(event, contextWith(), cognito.client);

    // Assess
    const document = answered(server);
    expect({ status: document.Status, id: document.PhysicalResourceId, request: document.RequestId }).toEqual(
      {
        status: 'FAILED',
        id,
        request: REQUEST_ID,
      },
    );
    expect(document.Reason).toContain(named);
    expect(cognito.calls).toEqual([]);
  });

  it('answers FAILED, saying it did not finish, when the work outlasts the budget before the reserve', async () => {
    // Prepare
    const { responseUrl, server } = await serve();
    const cognito = fakeCognito({ pool: plainPool() });
    const event = createEvent({ ResponseURL: responseUrl });
    const started = Date.now();

    // Act
    await handleCustomResource(event, contextWith(RESPONSE_RESERVE_MS + 20), slowClient(cognito, 150));

    // Assess
    const document = answered(server);
    expect({ status: document.Status, id: document.PhysicalResourceId }).toEqual({
      status: 'FAILED',
      id: NOT_ATTACHED,
    });
    expect(document.Reason).toMatch(/^Did not finish within \d+ ms; the pool may or may not have changed/);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('answers a Delete that outlasts the budget FAILED with its own physical id', async () => {
    // Prepare
    const { responseUrl, server } = await serve();
    const cognito = fakeCognito({ pool: poolWithSlots(OURS) });
    const event = deleteEvent(ATTACHED_ID, propertiesOf(), { ResponseURL: responseUrl });

    // Act
    await handleCustomResource(event, contextWith(RESPONSE_RESERVE_MS), slowClient(cognito, 100));

    // Assess
    const document = answered(server);
    expect({ status: document.Status, id: document.PhysicalResourceId }).toEqual({
      status: 'FAILED',
      id: ATTACHED_ID,
    });
    expect(document.Reason).toContain('Did not finish');
  });

  it('sends no UpdateUserPool after answering that it did not finish: the answer would no longer be true', async () => {
    // Prepare
    const { responseUrl, server } = await serve();
    const cognito = fakeCognito({ pool: plainPool() });
    const event = createEvent({ ResponseURL: responseUrl });
    await handleCustomResource(event, contextWith(RESPONSE_RESERVE_MS + 20), slowClient(cognito, 40));
    const document = answered(server);

    // Act
    // The work a deadline cut short would have finished by now (four calls of 40 ms).
    await new Promise((resolve) => setTimeout(resolve, 400));

    // Assess
    expect({ status: document.Status, id: document.PhysicalResourceId }).toEqual({
      status: 'FAILED',
      id: NOT_ATTACHED,
    });
    // NOT_ATTACHED makes the rollback's Delete change nothing: whatever was attached after it stays.
    expect(operations(cognito)).not.toContain('UpdateUserPool');
    expect(cognito.pool()).toEqual(plainPool());
  });

  it('rejects when the answer cannot be delivered, for Lambda and CloudFormation to record', async () => {
    // Prepare
    const { responseUrl, server } = await serve([403]);
    const cognito = fakeCognito({ pool: plainPool() });
    const event = createEvent({ ResponseURL: responseUrl });

    // Act
    const handled = handleCustomResource(event, contextWith(), cognito.client);

    // Assess
    await expect(handled).rejects.toThrow(ResponseDeliveryError);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['an attach', () => createEvent(), plainPool(), [200]],
    ['a refused create', () => createEvent(), poolWithSlots({ PreSignUp: THEIRS[0] }), [200]],
    ['a malformed request', () => createEvent({ RequestType: 'Replace' }), plainPool(), [200]],
    ['a detach', () => deleteEvent(ATTACHED_ID), poolWithSlots(OURS), [200]],
    ['an update', () => updateEvent(ATTACHED_ID, propertiesOf(), propertiesOf()), poolWithSlots(OURS), [200]],
    ['an answer the URL refuses', () => createEvent(), plainPool(), [403]],
  ] satisfies [string, () => Record<string, unknown>, UserPoolType, ScriptedAnswer[]][])(
    'never logs the ResponseURL, for %s',
    async (_case, eventOf, pool, script) => {
      // Prepare
      const { responseUrl, server } = await serve(script);
      const logged = spyOnLogger(Logger.prototype);
      const event = { ...eventOf(), ResponseURL: responseUrl };
      const cognito = fakeCognito({ pool });

      // Act
      await handleCustomResource(event, contextWith(), cognito.client).catch(() => undefined);

      // Assess
      const everything = everythingLogged(logged);
      expect(logged.info.mock.calls.length + logged.error.mock.calls.length).toBeGreaterThan(0);
      expect(everything).not.toContain('X-Amz-');
      expect(everything).not.toContain(RESPONSE_PATH);
      expect(everything).not.toContain(server.origin);
    },
  );

  it('never logs the ResponseURL when the Lambda entry point cannot deliver the answer', async () => {
    // Prepare
    const { responseUrl } = await serve([403]);
    const logged = spyOnLogger(Logger.prototype);
    // A malformed request: answered without calling Cognito, so the function's own client is never used.
    const event = createEvent({ ResponseURL: responseUrl, RequestType: 'Replace' });

    // Act
    const handled = handler(event, contextWith());

    // Assess
    await expect(handled).rejects.toThrow(ResponseDeliveryError);
    expect(logged.error.mock.calls.map((call) => call[0])).toEqual([
      'trigger attachment failed',
      'trigger attachment could not be answered',
    ]);
    const everything = everythingLogged(logged);
    expect(everything).not.toContain('X-Amz-');
    expect(everything).not.toContain(RESPONSE_PATH);
  });
});
