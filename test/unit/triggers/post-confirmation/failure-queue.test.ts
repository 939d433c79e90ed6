import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, DeadlineExceededError } from '../../../../shared/errors.js';
import { OptionsError, optionalRule } from '../../../../shared/options.js';
import {
  type FailureMessage,
  FailureMessageShapeError,
  FailureMessageTooLargeError,
  failureMessageBody,
  parseFailureMessage,
  sqsFailureQueue,
  sqsFailureQueueFromEnv,
  sqsFailureQueueSettings,
} from '../../../../triggers/post-confirmation/failure-queue.js';
import { postConfirmationEvent } from '../../../support/builders.js';
import { errorOf, rejectionOf } from '../../../support/outcomes.js';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/post-confirmation-failures';

function failureMessage(clientMetadata?: Record<string, string>): FailureMessage {
  return {
    kind: 'PostConfirmationFailure',
    version: 1,
    eventId: 'uc-0000',
    failedActions: [{ action: 'writeProfile', errorName: 'SignUpFault' }],
    failedAt: '2026-01-01T00:00:00.000Z',
    requestId: 'request-1',
    complete: true,
    event: postConfirmationEvent(clientMetadata === undefined ? {} : { request: { clientMetadata } }),
  };
}

function mockedQueue() {
  const client = new SQSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const mock = mockClient(client);
  return { queue: sqsFailureQueue({ queueUrl: QUEUE_URL }, { sqs: async () => client }), mock };
}

describe('Trigger: post-confirmation failureMessageBody', () => {
  it('keeps the whole message when it fits', () => {
    // Prepare
    const message = failureMessage({ plan: 'pro' });

    // Act
    const body = failureMessageBody(message, 4096);

    // Assess
    expect(JSON.parse(body)).toEqual(message);
  });

  it('drops ClientMetadata and marks the message incomplete when it does not fit', () => {
    // Prepare
    const message = failureMessage({ note: 'x'.repeat(5000) });

    // Act
    const body = JSON.parse(failureMessageBody(message, 4096)) as FailureMessage;

    // Assess
    expect({ complete: body.complete, metadata: body.event.request.clientMetadata }).toEqual({
      complete: false,
      metadata: undefined,
    });
  });

  it('refuses a message too large even without ClientMetadata', () => {
    // Prepare
    const message = failureMessage();
    message.event.request.userAttributes.profile = 'x'.repeat(5000);

    // Act
    const error = errorOf(FailureMessageTooLargeError, () => failureMessageBody(message, 4096));

    // Assess
    expect(error.bytes).toBeGreaterThan(4096);
  });
});

describe('Rule: sqsFailureQueue', () => {
  it('gives up at the deadline when SQS does not answer', async () => {
    // Prepare
    const { queue, mock } = mockedQueue();
    mock.on(SendMessageCommand).callsFake(() => new Promise(() => {}));

    // Act
    const error = await rejectionOf(() =>
      queue(failureMessage(), { deadline: Date.now() + 100, signal: AbortSignal.timeout(5000) }),
    );

    // Assess
    expect(error).toBeInstanceOf(DeadlineExceededError);
  });

  it.each([
    ['queueUrl', { queueUrl: 'failures' }],
    ['maxMessageBytes', { queueUrl: QUEUE_URL, maxMessageBytes: 1023 }],
    ['maxMessageBytes', { queueUrl: QUEUE_URL, maxMessageBytes: 2048.5 }],
  ])('refuses a bad %s at construction with an OptionsError', (option, options) => {
    // Prepare
    const build = () => sqsFailureQueue(options);

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error.option).toBe(option);
  });
});

describe('Trigger: post-confirmation parseFailureMessage', () => {
  it('reads back what the queue was sent', () => {
    // Prepare
    const message = failureMessage();

    // Act
    const parsed = parseFailureMessage(JSON.stringify(message));

    // Assess
    expect(parsed).toEqual(message);
  });

  it('refuses a body of another kind', () => {
    // Act
    const error = errorOf(FailureMessageShapeError, () => parseFailureMessage('{"kind":"Other"}'));

    // Assess
    expect(error.field).toBe('kind');
  });

  it('refuses a body that is not JSON', () => {
    // Act
    const error = errorOf(FailureMessageShapeError, () => parseFailureMessage('not json'));

    // Assess
    expect(error.field).toBe('(body)');
  });
});

describe('Rule: sqsFailureQueueFromEnv', () => {
  it('is off when FAILURE_QUEUE_URL is unset', () => {
    // Act
    const options = sqsFailureQueueFromEnv({});

    // Assess
    expect(options).toBeUndefined();
  });

  it('reads FAILURE_QUEUE_URL as written (the factory checks it)', () => {
    // Act
    const options = sqsFailureQueueFromEnv({ FAILURE_QUEUE_URL: QUEUE_URL });

    // Assess
    expect(options).toEqual({ queueUrl: QUEUE_URL });
  });

  it('names FAILURE_QUEUE_URL for something that is not a queue URL, through the settings declaration', () => {
    // Prepare
    const env = { FAILURE_QUEUE_URL: 'failures' };

    // Act
    const error = errorOf(ConfigurationError, () =>
      optionalRule(sqsFailureQueueSettings, sqsFailureQueueFromEnv(env), (options) =>
        sqsFailureQueue(options),
      ),
    );

    // Assess
    expect(error.variable).toBe('FAILURE_QUEUE_URL');
  });
});
