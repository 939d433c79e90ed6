/**
 * Post confirmation's EventBridge and SQS calls against moto's server on loopback: the `UserConfirmed` event
 * is read back from a queue that a bus rule targets, the failure queue message is read back from its queue,
 * and with a hanging action the handler still replies within its budget with the event in the failure queue.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it, onTestFinished, vi } from 'vitest';
import { EventBridgeRequestError, lazyEventBridgeClient } from '../../shared/eventbridge-client.js';
import { createTriggerHandler } from '../../shared/handler-core.js';
import { parsePostConfirmationEvent } from '../../shared/parse-event.js';
import { lazySqsClient, SqsRequestError } from '../../shared/sqs-client.js';
import {
  publishUserConfirmed,
  userConfirmedEventId,
} from '../../triggers/post-confirmation/actions/publish-user-confirmed.js';
import {
  type FailureMessage,
  parseFailureMessage,
  sqsFailureQueue,
} from '../../triggers/post-confirmation/failure-queue.js';
import type { OnboardingAction } from '../../triggers/post-confirmation/onboarding-action.js';
import { runOnboarding } from '../../triggers/post-confirmation/run-onboarding.js';
import { lambdaContext, postConfirmationEvent, ruleContext, testSub } from '../support/builders.js';
import { spyLogger } from '../support/logger-spies.js';
import {
  describeWithMoto,
  type MotoServer,
  motoCredentialsEnv,
  startMotoServer,
} from '../support/moto-server.js';
import { createOnboardingBus, type OnboardingBus } from '../support/onboarding-bus.js';
import { rejectionOf } from '../support/outcomes.js';
import { runCli } from '../unit/cli/run-cli.js';

const BUS = 'sign-up-events';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

describeWithMoto('Trigger: post-confirmation events and failure queue against AWS APIs (moto)', () => {
  let moto: MotoServer;
  let bus: OnboardingBus;

  function clients() {
    return {
      eventBridge: lazyEventBridgeClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials }),
      sqs: lazySqsClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials }),
    };
  }

  beforeAll(async () => {
    moto = await startMotoServer();
    bus = await createOnboardingBus(moto.endpoint, BUS);
  });

  afterAll(async () => {
    bus?.close();
    await moto?.stop();
  });

  it('publishes UserConfirmed with the deterministic event id, read back through a bus rule', async () => {
    // Prepare
    const action = publishUserConfirmed({ eventBusName: BUS }, { eventBridge: clients().eventBridge });
    const event = postConfirmationEvent();

    // Act
    const outcome = await action(event, ruleContext());
    const delivered = (await bus.drain(bus.confirmedQueueUrl)).map(
      (message) => JSON.parse(message.Body ?? '{}') as Record<string, unknown>,
    );

    // Assess
    expect({ outcome, delivered }).toEqual({
      outcome: 'done',
      delivered: [
        expect.objectContaining({
          source: 'cognito-sign-up',
          'detail-type': 'UserConfirmed',
          detail: {
            eventId: userConfirmedEventId(event.userPoolId, testSub),
            sub: testSub,
            userPoolId: event.userPoolId,
            clientId: event.callerContext.clientId,
            triggerSource: 'PostConfirmation_ConfirmSignUp',
            time: expect.any(String),
          },
        }),
      ],
    });
  });

  it('gives a replayed publication the same event id', async () => {
    // Prepare
    const action = publishUserConfirmed({ eventBusName: BUS }, { eventBridge: clients().eventBridge });

    // Act
    await action(postConfirmationEvent(), ruleContext());
    await action(postConfirmationEvent(), ruleContext());
    const ids = await bus.publishedEventIds();

    // Assess
    expect(new Set(ids)).toEqual(new Set([userConfirmedEventId('us-east-1_EXAMPLE', testSub)]));
  });

  it.each([
    ['CLIENT_ID_NOT_APPLICABLE (an admin operation, contract §1)', { clientId: 'CLIENT_ID_NOT_APPLICABLE' }],
    ['null (AdminConfirmSignUp, contract §1)', { clientId: null }],
    ['absent', {}],
  ])('publishes clientId null when the event has it %s', async (_label, callerContext) => {
    // Prepare
    const action = publishUserConfirmed({ eventBusName: BUS }, { eventBridge: clients().eventBridge });
    const event = postConfirmationEvent();
    event.callerContext = {
      awsSdkVersion: 'aws-sdk-unknown-unknown',
      ...callerContext,
    } as typeof event.callerContext;

    // Act
    await action(event, ruleContext());
    const delivered = (await bus.drain(bus.confirmedQueueUrl)).map(
      (message) => JSON.parse(message.Body ?? '{}') as { detail: Record<string, unknown> },
    );

    // Assess
    expect(
      delivered.map((message) => Object.hasOwn(message.detail, 'clientId') && message.detail.clientId),
    ).toEqual([null]);
  });

  it('raises EventBridgeRequestError for a bus that does not exist', async () => {
    // Prepare
    const action = publishUserConfirmed(
      { eventBusName: 'no-such-bus' },
      { eventBridge: clients().eventBridge },
    );

    // Act
    const error = await rejectionOf(() => action(postConfirmationEvent(), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(EventBridgeRequestError);
  });

  it('puts a failure message on the queue that reads back as it was sent', async () => {
    // Prepare
    const queue = sqsFailureQueue({ queueUrl: bus.failureQueueUrl }, { sqs: clients().sqs });
    const event = postConfirmationEvent();
    const message: FailureMessage = {
      kind: 'PostConfirmationFailure',
      version: 1,
      eventId: userConfirmedEventId(event.userPoolId, testSub),
      failedActions: [{ action: 'writeProfile', errorName: 'DeadlineExceededError' }],
      failedAt: '2026-01-01T00:00:00.000Z',
      requestId: 'request-1',
      complete: true,
      event,
    };

    // Act
    await queue(message, { deadline: Date.now() + 3000, signal: AbortSignal.timeout(3000) });
    const { Messages = [] } = await bus.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: bus.failureQueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        AttributeNames: ['All'],
      }),
    );

    // Assess
    expect(
      Messages.map((received) => ({
        body: parseFailureMessage(received.Body ?? ''),
        eventId: received.MessageAttributes?.eventId?.StringValue,
        failedActions: received.MessageAttributes?.failedActions?.StringValue,
        deduplicationId: received.Attributes?.MessageDeduplicationId,
      })),
    ).toEqual([
      {
        body: message,
        eventId: message.eventId,
        failedActions: 'writeProfile',
        deduplicationId: undefined,
      },
    ]);
  });

  it('raises SqsRequestError when the queue does not exist', async () => {
    // Prepare
    const queue = sqsFailureQueue(
      { queueUrl: `${moto.endpoint}/123456789012/no-such-queue` },
      { sqs: clients().sqs },
    );
    const event = postConfirmationEvent();

    // Act
    const error = await rejectionOf(() =>
      queue(
        {
          kind: 'PostConfirmationFailure',
          version: 1,
          eventId: null,
          failedActions: [{ action: 'writeProfile', errorName: 'DeadlineExceededError' }],
          failedAt: '2026-01-01T00:00:00.000Z',
          requestId: 'request-1',
          complete: true,
          event,
        },
        { deadline: Date.now() + 3000, signal: AbortSignal.timeout(3000) },
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(SqsRequestError);
  });

  it('replies within the budget when an action hangs, with the event published and in the failure queue', async () => {
    // Prepare
    const { eventBridge, sqs: sqsProvider } = clients();
    const hangs: OnboardingAction = function hangs() {
      return new Promise<never>(() => {});
    };
    const budgetMs = 2500;
    const handler = createTriggerHandler({
      trigger: 'PostConfirmation',
      parse: parsePostConfirmationEvent,
      rules: [
        runOnboarding(
          { failureQueueReserveMs: 1000 },
          {
            actions: [hangs, publishUserConfirmed({ eventBusName: BUS }, { eventBridge })],
            failureQueue: sqsFailureQueue({ queueUrl: bus.failureQueueUrl }, { sqs: sqsProvider }),
            logger: spyLogger(),
          },
        ),
      ],
      logger: spyLogger(),
      budgetMs,
    });
    const started = performance.now();

    // Act
    await handler(postConfirmationEvent(), lambdaContext({ functionName: 'PostConfirmationFunction' }));
    const elapsed = performance.now() - started;
    const failures = (await bus.drain(bus.failureQueueUrl)).map((received) =>
      parseFailureMessage(received.Body ?? ''),
    );
    const published = await bus.drain(bus.confirmedQueueUrl);

    // Assess
    expect({
      withinBudget: elapsed < budgetMs,
      failed: failures.map((failure) => failure.failedActions),
      published: published.length,
    }).toEqual({
      withinBudget: true,
      failed: [[{ action: 'hangs', errorName: 'DeadlineExceededError' }]],
      published: 1,
    });
  });
  it('the replay:failures CLI replays each queued event through the built function and deletes it', async () => {
    // Prepare
    const scratch = mkdtempSync(join(tmpdir(), 'replay-failures-'));
    const envVars = join(scratch, 'env.json');
    writeFileSync(envVars, JSON.stringify({ PostConfirmationFunction: { EVENT_BUS_NAME: BUS } }));
    for (const [name, value] of Object.entries({ ...motoCredentialsEnv, AWS_ENDPOINT_URL: moto.endpoint })) {
      vi.stubEnv(name, value);
    }
    onTestFinished(() => {
      vi.unstubAllEnvs();
      rmSync(scratch, { recursive: true, force: true });
    });
    const event = postConfirmationEvent();
    await bus.sqs.send(
      new SendMessageCommand({
        QueueUrl: bus.failureQueueUrl,
        MessageBody: JSON.stringify(failureMessage(event)),
      }),
    );

    // Act
    const run = runCli('replay-failures', [
      '--queue-url',
      bus.failureQueueUrl,
      '--endpoint-url',
      moto.endpoint,
      '--env-vars',
      envVars,
    ]);
    const left = await bus.drain(bus.failureQueueUrl);
    await bus.drain(bus.confirmedQueueUrl);

    // Assess
    expect({ status: run.status, last: run.stdout.trim().split('\n').at(-1), left: left.length }).toEqual({
      status: 0,
      last: '1 replayed, 0 failed',
      left: 0,
    });
  });

  it('the replay:failures CLI keeps a message it cannot read and exits 1', () => {
    // Prepare
    const scratch = mkdtempSync(join(tmpdir(), 'replay-failures-'));
    const file = join(scratch, 'messages.json');
    const envVars = join(scratch, 'env.json');
    writeFileSync(file, JSON.stringify({ Messages: [{ MessageId: 'm-1', Body: '{"kind":"Other"}' }] }));
    writeFileSync(envVars, JSON.stringify({ PostConfirmationFunction: { EVENT_BUS_NAME: BUS } }));

    // Act
    const run = runCli('replay-failures', ['--file', file, '--env-vars', envVars]);
    rmSync(scratch, { recursive: true, force: true });

    // Assess
    expect({ status: run.status, last: run.stdout.trim().split('\n').at(-1) }).toEqual({
      status: 1,
      last: '0 replayed, 1 failed',
    });
  });

  it('the replay:failures CLI keeps a message whose failed action is off in the given configuration', () => {
    // Prepare
    const scratch = mkdtempSync(join(tmpdir(), 'replay-failures-'));
    const file = join(scratch, 'messages.json');
    const envVars = join(scratch, 'env.json');
    const body: FailureMessage = {
      kind: 'PostConfirmationFailure',
      version: 1,
      eventId: null,
      failedActions: [{ action: 'writeProfile', errorName: 'DynamoDbRequestError' }],
      failedAt: '2026-01-01T00:00:00.000Z',
      requestId: 'request-1',
      complete: true,
      event: postConfirmationEvent(),
    };
    writeFileSync(file, JSON.stringify([{ MessageId: 'm-2', Body: JSON.stringify(body) }]));
    // PROFILE_TABLE empty: replaying would run no profile write and call the onboarding complete.
    writeFileSync(
      envVars,
      JSON.stringify({ PostConfirmationFunction: { EVENT_BUS_NAME: BUS, PROFILE_TABLE: '' } }),
    );

    // Act
    const run = runCli('replay-failures', ['--file', file, '--env-vars', envVars]);
    rmSync(scratch, { recursive: true, force: true });

    // Assess
    expect({
      status: run.status,
      kept: run.stdout.includes('writeProfile off in the --env-vars configuration (kept)'),
      last: run.stdout.trim().split('\n').at(-1),
    }).toEqual({ status: 1, kept: true, last: '0 replayed, 1 failed' });
  });

  /** Writes `messages` as a --file input and an env-vars file publishing to the bus; removed after the test. */
  function replayInputs(messages: FailureMessage[]): { file: string; envVars: string } {
    const scratch = mkdtempSync(join(tmpdir(), 'replay-failures-'));
    onTestFinished(() => {
      vi.unstubAllEnvs();
      rmSync(scratch, { recursive: true, force: true });
    });
    for (const [name, value] of Object.entries({ ...motoCredentialsEnv, AWS_ENDPOINT_URL: moto.endpoint })) {
      vi.stubEnv(name, value);
    }
    const file = join(scratch, 'messages.json');
    const envVars = join(scratch, 'env.json');
    writeFileSync(
      file,
      JSON.stringify(
        messages.map((body, index) => ({ MessageId: `m-${index}`, Body: JSON.stringify(body) })),
      ),
    );
    writeFileSync(envVars, JSON.stringify({ PostConfirmationFunction: { EVENT_BUS_NAME: BUS } }));
    return { file, envVars };
  }

  function failureMessage(event: FailureMessage['event'], complete = true): FailureMessage {
    return {
      kind: 'PostConfirmationFailure',
      version: 1,
      eventId: userConfirmedEventId(event.userPoolId, testSub),
      failedActions: [{ action: 'publishUserConfirmed', errorName: 'EventBridgeRequestError' }],
      failedAt: '2026-01-01T00:00:00.000Z',
      requestId: 'request-1',
      complete,
      event,
    };
  }

  it('the replay:failures CLI onboards a queued password reset, which only an onboarding deployment queues', async () => {
    // Prepare
    const event = postConfirmationEvent({ triggerSource: 'PostConfirmation_ConfirmForgotPassword' });
    const { file, envVars } = replayInputs([failureMessage(event)]);

    // Act
    const run = runCli('replay-failures', ['--file', file, '--env-vars', envVars]);

    // Assess
    expect({ status: run.status, published: await bus.publishedEventIds() }).toEqual({
      status: 0,
      published: [userConfirmedEventId(event.userPoolId, testSub)],
    });
  });

  it('the replay:failures CLI keeps a message queued without its ClientMetadata unless --allow-incomplete', async () => {
    // Prepare
    const { file, envVars } = replayInputs([failureMessage(postConfirmationEvent(), false)]);

    // Act
    const kept = runCli('replay-failures', ['--file', file, '--env-vars', envVars]);
    const allowed = runCli('replay-failures', ['--file', file, '--env-vars', envVars, '--allow-incomplete']);

    // Assess
    expect({
      kept: [kept.status, kept.stdout.includes('queued without its ClientMetadata')],
      allowed: allowed.status,
      published: (await bus.publishedEventIds()).length,
    }).toEqual({ kept: [1, true], allowed: 0, published: 1 });
  });

  it("the replay:failures CLI keeps a message whose event is from another Region than the caller's", async () => {
    // Prepare
    const { file, envVars } = replayInputs([failureMessage(postConfirmationEvent({ region: 'eu-west-1' }))]);

    // Act
    const run = runCli('replay-failures', ['--file', file, '--env-vars', envVars]);

    // Assess
    expect({
      status: run.status,
      reason: run.stdout.includes('run with AWS_REGION=eu-west-1'),
      published: (await bus.publishedEventIds()).length,
    }).toEqual({ status: 1, reason: true, published: 0 });
  });

  it('the replay:failures CLI refuses to run without --env-vars', () => {
    // Act
    const run = runCli('replay-failures', ['--queue-url', bus.failureQueueUrl]);

    // Assess
    expect({ status: run.status, usage: run.stderr.includes('--env-vars') }).toEqual({
      status: 2,
      usage: true,
    });
  });
});
