/**
 * Action `publishUserConfirmed` (`EVENT_BUS_NAME` set): publishes one `UserConfirmed` event to EventBridge.
 *
 * Exactly once in effect, not in delivery. Cognito retries a slow post confirmation (contract §6) and the
 * failure queue replays a failed one, so the same user may be published more than once. PutEvents has no
 * client token, so the detail carries `eventId` = `uc-<sha256(userPoolId "/" sub)>`: the same for every
 * publication about the same user, and consumers drop the duplicates by it (an idempotency table keyed on
 * `detail.eventId`, or a FIFO target's deduplication id set from it).
 *
 * The detail is minimal and holds no attribute value but `sub`: `{ eventId, sub, userPoolId, clientId,
 * triggerSource, time }`. A consumer that needs the email reads the user from the pool.
 */
import { createHash } from 'node:crypto';
import type { PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { type Env, readString } from '../../../shared/config.js';
import { EventShapeError } from '../../../shared/errors.js';
import { CLIENT_ID_NOT_APPLICABLE, type PostConfirmationEvent } from '../../../shared/event-types.js';
import {
  defaultEventBridgeClient,
  type EventBridgeClientProvider,
  EventBridgeRequestError,
  loadEventBridgeSdk,
} from '../../../shared/eventbridge-client.js';
import { OptionsError } from '../../../shared/options.js';
import { jsonTypeOf } from '../../../shared/parse-event.js';
import { declareSettings } from '../../../shared/settings.js';
import type { OnboardingAction } from '../onboarding-action.js';

/** The `DetailType` of the event. */
export const USER_CONFIRMED = 'UserConfirmed';

/** Options of {@link publishUserConfirmed}. */
export type PublishUserConfirmedOptions = {
  /** The bus: a name or an ARN (`EVENT_BUS_NAME`). */
  eventBusName: string;
  /** The event's `source` (`EVENT_SOURCE`); never `aws.…`, which EventBridge keeps for AWS. */
  source?: string;
};

/** What the action calls out to. */
export type PublishUserConfirmedDependencies = {
  eventBridge: EventBridgeClientProvider;
  /** The publication time; tests fix it. */
  clock?: () => Date;
};

/** The `detail` of a `UserConfirmed` event. */
export type UserConfirmedDetail = {
  /** Deterministic per user: consumers deduplicate on it. */
  eventId: string;
  sub: string;
  userPoolId: string;
  /** `null` for admin operations (`CLIENT_ID_NOT_APPLICABLE`, or `null` from AdminConfirmSignUp, contract §1). */
  clientId: string | null;
  triggerSource: string;
  /** ISO 8601 time of this publication (not of the confirmation; it differs between duplicates). */
  time: string;
};

const defaults = { source: 'cognito-sign-up' };

const defaultDependencies: PublishUserConfirmedDependencies = { eventBridge: defaultEventBridgeClient };

// EventBusName: a name, or the bus's ARN (PutEventsRequestEntry.EventBusName, 1–1600 characters).
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[/.\-_A-Za-z0-9]{1,256}$/;

/**
 * The deterministic id of the `UserConfirmed` event of one user: the same on every retry and replay.
 *
 * @example
 * userConfirmedEventId('us-east-1_EXAMPLE', 'a1b2…') // 'uc-3f5e…' (64 hex digits)
 */
export function userConfirmedEventId(userPoolId: string, sub: string): string {
  // "/" cannot occur in a pool id (`[\w-]+_[0-9a-zA-Z]+`, contract §1), so no two pairs give one input.
  return `uc-${createHash('sha256').update(`${userPoolId}/${sub}`).digest('hex')}`;
}

/** The user's `sub`, which every confirmed user has; a fault when the event lacks it. */
export function subOf(event: PostConfirmationEvent): string {
  const sub = event.request.userAttributes.sub;
  if (typeof sub !== 'string' || sub === '') {
    throw new EventShapeError('request.userAttributes.sub', 'a non-empty string', jsonTypeOf(sub));
  }
  return sub;
}

/** The detail published for `event`. */
export function userConfirmedDetail(event: PostConfirmationEvent, time: Date): UserConfirmedDetail {
  const sub = subOf(event);
  const clientId = event.callerContext.clientId;
  return {
    eventId: userConfirmedEventId(event.userPoolId, sub),
    sub,
    userPoolId: event.userPoolId,
    // Absent is possible in a hand-made event; the detail always has the key.
    clientId: clientId === CLIENT_ID_NOT_APPLICABLE || clientId === undefined ? null : clientId,
    triggerSource: event.triggerSource,
    time: time.toISOString(),
  };
}

/**
 * Publishes `UserConfirmed` to the bus. Resolves `'done'`; throws {@link EventBridgeRequestError} when the
 * call fails, times out, is aborted at the deadline, or EventBridge refuses the entry (`FailedEntryCount`).
 *
 * @example
 * const action = publishUserConfirmed({ eventBusName: 'sign-up-events' });
 * await action(event, context); // 'done'; detail.eventId = userConfirmedEventId(pool, sub)
 */
export function publishUserConfirmed(
  options: PublishUserConfirmedOptions,
  dependencies: PublishUserConfirmedDependencies = defaultDependencies,
): OnboardingAction {
  const settings = { ...defaults, ...options };
  const { eventBusName, source } = settings;
  if (typeof eventBusName !== 'string' || (!BUS_NAME.test(eventBusName) && !BUS_ARN.test(eventBusName))) {
    throw new OptionsError('eventBusName', 'an event bus name or ARN');
  }
  if (typeof source !== 'string' || source.length < 1 || source.length > 256 || source.startsWith('aws.')) {
    throw new OptionsError('source', '1 to 256 characters, not starting with "aws."');
  }
  if (typeof dependencies.eventBridge !== 'function') {
    throw new OptionsError('dependencies.eventBridge', 'a function');
  }
  const clock = dependencies.clock ?? (() => new Date());

  return async function publishUserConfirmed(event, context) {
    const time = clock();
    const detail = userConfirmedDetail(event, time);
    const [client, { PutEventsCommand }] = await Promise.all([
      dependencies.eventBridge(),
      loadEventBridgeSdk(),
    ]);
    let answer: PutEventsCommandOutput;
    try {
      answer = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: settings.eventBusName,
              Source: settings.source,
              DetailType: USER_CONFIRMED,
              Detail: JSON.stringify(detail),
              Time: time,
            },
          ],
        }),
        { abortSignal: context.signal },
      );
    } catch (error) {
      throw new EventBridgeRequestError('PutEvents', error);
    }
    // PutEvents answers 200 with per-entry failures (ThrottlingException, InternalFailure): the SDK does not
    // retry those, so they are a fault like any other, and the failure queue replays the event.
    if ((answer.FailedEntryCount ?? 0) > 0) {
      throw new EventBridgeRequestError(
        'PutEvents',
        undefined,
        answer.Entries?.[0]?.ErrorCode ?? 'FailedEntry',
      );
    }
    return 'done';
  };
}

/**
 * The options of {@link publishUserConfirmed} from the environment, or `undefined` (action off) when
 * `EVENT_BUS_NAME` is unset: `EVENT_BUS_NAME` (name or ARN), `EVENT_SOURCE` (default `cognito-sign-up`).
 * The values are checked by {@link publishUserConfirmed}.
 */
export function publishUserConfirmedFromEnv(env: Env): Required<PublishUserConfirmedOptions> | undefined {
  const eventBusName = readString(env, 'EVENT_BUS_NAME', '');
  if (eventBusName === '') return undefined;
  return { eventBusName, source: readString(env, 'EVENT_SOURCE', defaults.source) };
}

/** What {@link publishUserConfirmed} reads (shared/settings.ts). */
export const publishUserConfirmedSettings = declareSettings({
  owner: 'publishUserConfirmed',
  variables: [
    {
      name: 'EVENT_BUS_NAME',
      option: 'eventBusName',
      calls: { service: 'events', offline: { value: '', says: 'event publishing off' } },
    },
    { name: 'EVENT_SOURCE', option: 'source' },
  ],
});
