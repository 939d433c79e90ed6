/**
 * Faults moto cannot produce (throttling past the retries, a partial `FailedEntryCount`), injected with
 * aws-sdk-client-mock; the happy path runs against moto in test/integration/post-confirmation-events.test.ts.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, EventShapeError } from '../../../../../shared/errors.js';
import { EventBridgeRequestError } from '../../../../../shared/eventbridge-client.js';
import { OptionsError, optionalRule } from '../../../../../shared/options.js';
import {
  publishUserConfirmed,
  publishUserConfirmedFromEnv,
  publishUserConfirmedSettings,
  userConfirmedEventId,
} from '../../../../../triggers/post-confirmation/actions/publish-user-confirmed.js';
import { postConfirmationEvent, ruleContext, testSub } from '../../../../support/builders.js';
import { errorOf, rejectionOf } from '../../../../support/outcomes.js';

function mockedAction() {
  const client = new EventBridgeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const mock = mockClient(client);
  const action = publishUserConfirmed(
    { eventBusName: 'sign-up-events' },
    { eventBridge: async () => client, clock: () => new Date('2026-01-01T00:00:00.000Z') },
  );
  return { action, mock };
}

describe('Rule: publishUserConfirmed', () => {
  it('treats a partial failure (FailedEntryCount > 0) as a fault naming the entry error', async () => {
    // Prepare
    const { action, mock } = mockedAction();
    mock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'internal' }],
    });

    // Act
    const error = await rejectionOf(() => action(postConfirmationEvent(), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'EventBridgeRequestError', errorName: 'InternalFailure' });
  });

  it('raises EventBridgeRequestError when the call is throttled past its retries', async () => {
    // Prepare
    const { action, mock } = mockedAction();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    mock.on(PutEventsCommand).rejects(throttled);

    // Act
    const error = await rejectionOf(() => action(postConfirmationEvent(), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(EventBridgeRequestError);
  });

  it('gives the same event id to every publication about one user', () => {
    // Act
    const ids = [
      userConfirmedEventId('us-east-1_EXAMPLE', testSub),
      userConfirmedEventId('us-east-1_EXAMPLE', testSub),
    ];

    // Assess
    expect(new Set(ids).size).toBe(1);
  });

  it('gives another user another event id', () => {
    // Act
    const one = userConfirmedEventId('us-east-1_EXAMPLE', testSub);
    const other = userConfirmedEventId('us-east-1_OTHER', testSub);

    // Assess
    expect(one).not.toBe(other);
  });

  it('refuses an event without sub', async () => {
    // Prepare
    const { action } = mockedAction();
    const event = postConfirmationEvent({ request: { userAttributes: { email_verified: 'true' } } });

    // Act
    const error = await rejectionOf(() => action(event, ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(EventShapeError);
  });

  it.each([
    ['source', { eventBusName: 'bus', source: 'aws.cognito' }],
    ['source', { eventBusName: 'bus', source: '' }],
    ['eventBusName', { eventBusName: 'bad bus!' }],
  ])('refuses a bad %s at construction with an OptionsError', (option, options) => {
    // Prepare
    const build = () => publishUserConfirmed(options);

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error.option).toBe(option);
  });
});

describe('Rule: publishUserConfirmedFromEnv', () => {
  it('is off when EVENT_BUS_NAME is unset', () => {
    // Act
    const options = publishUserConfirmedFromEnv({});

    // Assess
    expect(options).toBeUndefined();
  });

  it('reads the bus and the default source', () => {
    // Act
    const options = publishUserConfirmedFromEnv({ EVENT_BUS_NAME: 'sign-up-events' });

    // Assess
    expect(options).toEqual({ eventBusName: 'sign-up-events', source: 'cognito-sign-up' });
  });

  it.each([
    ['EVENT_BUS_NAME', { EVENT_BUS_NAME: 'bad bus!' }],
    ['EVENT_SOURCE', { EVENT_BUS_NAME: 'sign-up-events', EVENT_SOURCE: 'aws.cognito' }],
  ])('names %s for a bad value, through the settings declaration', (variable, env) => {
    // Prepare
    const configure = () =>
      optionalRule(publishUserConfirmedSettings, publishUserConfirmedFromEnv(env), publishUserConfirmed);

    // Act
    const error = errorOf(ConfigurationError, configure);

    // Assess
    expect(error.variable).toBe(variable);
  });
});
