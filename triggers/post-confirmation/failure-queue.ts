/**
 * The failure queue (`FAILURE_QUEUE_URL`, a standard SQS queue): where post confirmation puts an event whose
 * onboarding did not complete, so `npm run replay:failures` can run it again later. The user is already
 * confirmed when the trigger runs (contract §4), so a failed action must not be lost, nor fail the user.
 *
 * Idempotent enough: a standard queue may deliver twice, and Cognito's retries (contract §6) may enqueue the
 * same user twice. Both are harmless because every action is idempotent; the message carries the user's
 * deterministic `eventId` (as the `UserConfirmed` event does) for anyone who wants to collapse duplicates.
 *
 * The message holds the whole Cognito event, attributes included: the queue must be encrypted (SSE) and
 * readable only by the function and the operators who replay it.
 */

import { AwsRequestError } from '../../shared/aws-client.js';
import { type Env, readString } from '../../shared/config.js';
import { withDeadline } from '../../shared/deadline.js';
import { DeadlineExceededError, SignUpFault } from '../../shared/errors.js';
import type { PostConfirmationEvent } from '../../shared/event-types.js';
import { checkWhole, OptionsError } from '../../shared/options.js';
import { jsonTypeOf } from '../../shared/parse-event.js';
import { declareSettings } from '../../shared/settings.js';
import {
  lazySqsClient,
  loadSqsSdk,
  type SqsClientProvider,
  SqsRequestError,
} from '../../shared/sqs-client.js';

/** The `kind` every failure message carries, so the replay tool refuses anything else. */
export const FAILURE_MESSAGE_KIND = 'PostConfirmationFailure';

/** One action that did not complete, as the log and the message name it. */
export type FailedAction = {
  /** The action's function name (`addToGroups`, `publishUserConfirmed`, …). */
  action: string;
  /** The error's class (`EventBridgeRequestError`, `DeadlineExceededError`, …), never its message. */
  errorName: string;
};

/** The body of a failure-queue message (JSON). */
export type FailureMessage = {
  kind: typeof FAILURE_MESSAGE_KIND;
  version: 1;
  /** `userConfirmedEventId(userPoolId, sub)`, or `null` when the event has no `sub`. */
  eventId: string | null;
  failedActions: FailedAction[];
  /** ISO 8601. */
  failedAt: string;
  /** The Lambda request id of the failed invocation. */
  requestId: string;
  /**
   * `false` when `request.clientMetadata` was left out so the message fits the queue's size limit; a replay
   * then onboards without it.
   */
  complete: boolean;
  /** The Cognito event as the function received it. */
  event: PostConfirmationEvent;
};

/**
 * Where a failure message goes; settles by `deadline` or rejects. `prepare`, when present, readies the
 * client without sending anything (the engine calls it at cold start, so a failure finds it loaded).
 */
export type FailureQueue = ((
  message: FailureMessage,
  bounds: { deadline: number; signal: AbortSignal },
) => Promise<void>) & { prepare?: () => void };

/** Options of {@link sqsFailureQueue}. */
export type SqsFailureQueueOptions = {
  /** `FAILURE_QUEUE_URL`. */
  queueUrl: string;
  /**
   * The largest body sent. SQS's limit (256 KiB by default) counts the message attributes too, so the default
   * keeps 1 KiB for them.
   */
  maxMessageBytes?: number;
};

/** What {@link sqsFailureQueue} calls out to. */
export type SqsFailureQueueDependencies = { sqs: SqsClientProvider };

/**
 * The failure queue's own client: one attempt, so one invocation never sends a message twice (an SDK retry
 * after a timed-out send could), and a request timeout as long as the trigger's limits allow, because the
 * engine bounds each send with its deadline signal (a short SDK timeout fired first on a starved CPU, while
 * the answer was waiting to be read).
 */
export const failureQueueSqsClient: SqsClientProvider = lazySqsClient({
  maxAttempts: 1,
  connectionTimeoutMs: 1000,
  requestTimeoutMs: 4000,
});

// What an SDK call reports when it was cut off rather than answered: it may have reached the queue.
const CUT_OFF = new Set(['AbortError', 'TimeoutError', 'RequestTimeout', 'DeadlineExceededError']);

/**
 * Whether a failed send may still have reached the queue: the deadline or a timeout cut it off before SQS
 * answered. A refused connection, an SQS error answer or a message too large certainly did not.
 */
export function isUnconfirmedSend(error: unknown): boolean {
  if (error instanceof DeadlineExceededError) return true;
  if (error instanceof AwsRequestError) return CUT_OFF.has(error.errorName);
  return error instanceof Error && CUT_OFF.has(error.name);
}

/** The failure message is larger than the queue accepts even without its ClientMetadata. */
export class FailureMessageTooLargeError extends SignUpFault {
  public readonly bytes: number;

  public constructor(bytes: number, options?: ErrorOptions) {
    super(`The failure message is ${bytes} bytes, more than the queue accepts`, options);
    this.name = 'FailureMessageTooLargeError';
    this.bytes = bytes;
  }
}

const defaults = { maxMessageBytes: 262_144 - 1024 };

const QUEUE_URL = /^https?:\/\/[^\s/]+\/\d{12}\/[A-Za-z0-9_-]{1,80}(?:\.fifo)?$/;

/**
 * The body to send: the whole message, or (when that is too large) the message without the event's
 * ClientMetadata, marked `complete: false`. Throws {@link FailureMessageTooLargeError} when neither fits.
 */
export function failureMessageBody(
  message: FailureMessage,
  maxBytes: number = defaults.maxMessageBytes,
): string {
  const whole = JSON.stringify(message);
  if (Buffer.byteLength(whole, 'utf8') <= maxBytes) return whole;
  const { clientMetadata: _dropped, ...request } = message.event.request;
  const trimmed = JSON.stringify({ ...message, complete: false, event: { ...message.event, request } });
  const bytes = Buffer.byteLength(trimmed, 'utf8');
  if (bytes > maxBytes) throw new FailureMessageTooLargeError(bytes);
  return trimmed;
}

/**
 * A failure queue backed by SQS `SendMessage` (a standard queue: no deduplication id), bounded by the
 * deadline it is given.
 *
 * @example
 * const queue = sqsFailureQueue({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/failures' });
 * await queue(message, { deadline, signal });
 */
export function sqsFailureQueue(
  options: SqsFailureQueueOptions,
  dependencies: SqsFailureQueueDependencies = { sqs: failureQueueSqsClient },
): FailureQueue {
  const settings = { ...defaults, ...options };
  if (typeof settings.queueUrl !== 'string' || !QUEUE_URL.test(settings.queueUrl)) {
    throw new OptionsError(
      'queueUrl',
      'an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)',
    );
  }
  checkWhole('maxMessageBytes', settings.maxMessageBytes, { min: 1024, max: Number.MAX_SAFE_INTEGER });
  if (typeof dependencies.sqs !== 'function') throw new OptionsError('dependencies.sqs', 'a function');

  async function send(body: string, message: FailureMessage, signal: AbortSignal): Promise<void> {
    const [client, { SendMessageCommand }] = await Promise.all([dependencies.sqs(), loadSqsSdk()]);
    try {
      await client.send(
        new SendMessageCommand({
          QueueUrl: settings.queueUrl,
          MessageBody: body,
          // Attributes let an operator filter the queue without reading (and decrypting) the bodies.
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: FAILURE_MESSAGE_KIND },
            failedActions: {
              DataType: 'String',
              StringValue: message.failedActions.map((failed) => failed.action).join(','),
            },
            ...(message.eventId === null
              ? {}
              : { eventId: { DataType: 'String', StringValue: message.eventId } }),
          },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw new SqsRequestError('SendMessage', error);
    }
  }

  const sendToFailureQueue: FailureQueue = async function sendToFailureQueue(message, bounds) {
    const body = failureMessageBody(message, settings.maxMessageBytes);
    // Bounded by the signal (the SDK aborts its request) and by the deadline, one event-loop turn late so
    // that an answer already received is read rather than reported lost.
    await withDeadline('SendMessage', bounds.deadline, send(body, message, bounds.signal), {
      afterDueIo: true,
    });
  };
  let prepared = false;
  sendToFailureQueue.prepare = () => {
    if (prepared) return;
    prepared = true;
    // Loading and building only; a failure here shows again, and is logged, when a message is sent.
    Promise.resolve()
      .then(() => Promise.all([dependencies.sqs(), loadSqsSdk()]))
      .catch(() => {
        prepared = false;
      });
  };
  return sendToFailureQueue;
}

/**
 * The options of {@link sqsFailureQueue} (`FAILURE_QUEUE_URL`, checked by the factory), or `undefined` when
 * `FAILURE_QUEUE_URL` is unset: no failure queue.
 */
export function sqsFailureQueueFromEnv(env: Env): SqsFailureQueueOptions | undefined {
  const queueUrl = readString(env, 'FAILURE_QUEUE_URL', '');
  return queueUrl === '' ? undefined : { queueUrl };
}

/** A message body that is not a failure message this version wrote. */
export class FailureMessageShapeError extends SignUpFault {
  public readonly field: string;

  public constructor(field: string, found: string, options?: ErrorOptions) {
    super(`Not a post confirmation failure message: ${field} is ${found}`, options);
    this.name = 'FailureMessageShapeError';
    this.field = field;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a failure-queue message body. Checks the envelope only; the replayed function parses the event
 * itself, as it would any Cognito event.
 */
export function parseFailureMessage(body: string): FailureMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new FailureMessageShapeError('(body)', 'not JSON', { cause: error });
  }
  if (!isObject(parsed)) throw new FailureMessageShapeError('(body)', jsonTypeOf(parsed));
  if (parsed.kind !== FAILURE_MESSAGE_KIND)
    throw new FailureMessageShapeError('kind', jsonTypeOf(parsed.kind));
  if (parsed.version !== 1) throw new FailureMessageShapeError('version', jsonTypeOf(parsed.version));
  if (!isObject(parsed.event)) throw new FailureMessageShapeError('event', jsonTypeOf(parsed.event));
  if (!Array.isArray(parsed.failedActions)) {
    throw new FailureMessageShapeError('failedActions', jsonTypeOf(parsed.failedActions));
  }
  return parsed as FailureMessage;
}

/** What {@link sqsFailureQueue} reads (shared/settings.ts). */
export const sqsFailureQueueSettings = declareSettings({
  owner: 'sqsFailureQueue',
  variables: [
    {
      name: 'FAILURE_QUEUE_URL',
      option: 'queueUrl',
      calls: { service: 'sqs', offline: { value: '', says: 'the failure queue off' } },
    },
  ],
});
