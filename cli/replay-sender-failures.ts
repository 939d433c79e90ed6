/**
 * `npm run replay:sender-failures -- --queue-url <url> --function <name or ARN> [--region <r>]
 * [--endpoint-url <url>] [--dry-run] [--max <n>] [--max-age <duration>] [--max-event-age <duration>]
 * [--discard-stale]`
 *
 * Replays the custom sender events whose every attempt failed: receives the messages of the sender failure queue
 * (`SenderFailureQueue`, Lambda's on-failure destination of both sender functions), checks that each is a Lambda
 * invocation record of a custom sender event (triggers/custom-sender/failure-record.ts) recorded for `--function`,
 * invokes that function again with the event exactly as Cognito sent it, asynchronously (`InvocationType: Event`,
 * as Cognito invokes it), and deletes the message once Lambda has accepted the event (HTTP 202). Replaying is
 * safe: the send-once record (shared/custom-sender/send-once.ts) keeps a message that did go out from going twice.
 *
 * A record that failed longer ago than its window is stale: its code can no longer be used, or the send-once
 * record that would stop a second send may be gone (SEND_ONCE_TTL_SECONDS, a day by default). The window is
 * `--max-age` when given; otherwise the longest the source's secret is usable (customSenderSourceFacts: an hour
 * for a password-reset code, 15 minutes for a sign-in code), at most the send-once record's default day, and
 * a record of an event Lambda dropped for its age (`EventAgeExceeded`) counts that age too (`--max-event-age`,
 * Lambda's default 6h). A stale record is kept and reported, or deleted with `--discard-stale`. A message that is not such a record, or
 * is recorded for another function, or whose invoke Lambda refused, is kept and reported (its field and the
 * JSON type found, never a value: the code stays encrypted and the user is masked), and made visible again at
 * the end of the run, so a run with the other sender's `--function` finds it.
 * `--dry-run` lists what would be replayed and invokes and deletes nothing; the messages it received are made
 * visible again at the end too. Last line: `N replayed, N kept` (`, N discarded` when any was); exit 1 when any
 * message is kept.
 *
 * A missing option, or one of the wrong shape, exits 2 naming it, before any AWS credential is looked up.
 */
import type { InvokeCommandOutput, LambdaClient, LambdaClientConfig } from '@aws-sdk/client-lambda';
import { awsService, isRegion } from '../shared/aws-client.js';
import { customSenderFactsOf } from '../shared/custom-sender/events.js';
import { SEND_ONCE_DEFAULT_TTL_SECONDS } from '../shared/custom-sender/send-once.js';
import { maskEmail, maskPhone, maskValue } from '../shared/mask.js';
import { isObject } from '../shared/parse-event.js';
import { lazySqsClient, loadSqsSdk } from '../shared/sqs-client.js';
import {
  DestinationCondition,
  type FunctionReference,
  functionReferenceOf,
  type ParsedSenderFailureRecord,
  parseSenderFailureRecord,
} from '../triggers/custom-sender/failure-record.js';
import { durationSecondsOf, parseCommandLine, UsageError } from './command-line.js';
import { describeError } from './describe-error.js';
import { runMain } from './run-main.js';
import { checkEndpointUrl, checkQueueUrl } from './sqs-urls.js';

const USAGE = `Usage: npm run replay:sender-failures -- --queue-url <url> --function <name or ARN> [options]

Invokes a custom sender function again with the Cognito events of the sender failure queue (SenderFailureQueue),
asynchronously as Cognito does, and deletes each message once Lambda has accepted its event (HTTP 202).

Each message must be a Lambda on-failure destination record whose requestPayload is a custom sender event of
--function (the queue holds both senders' records: run once per function). Any other message is kept, reported
without its code or attributes, and made visible again at the end of the run. The code stays encrypted: the
function decrypts it, as it would Cognito's event.

Replaying is safe: the send-once record (SEND_ONCE_TABLE) keeps a message that did go out from going twice. Fix
the cause first (the sender's log names it by request id); a replay that fails again lands in the queue anew.
A record that failed longer ago than its window is not replayed: its code can no longer be used, or its send-once
record may be gone (a day by default). The window is --max-age when given; otherwise how long the source's code
is usable, at most a day: 1h for ForgotPassword, 15m for Authentication (a sign-in session's longest), 24h for
the others; for an event Lambda dropped for its age (condition EventAgeExceeded), the event is that much older
than its record (--max-event-age).

Options:
  --queue-url <url>          the sender failure queue (SenderFailureQueue's URL)
  --function <name or ARN>   the sender function to invoke: its name, 123456789012:function:<name>, or
                             arn:aws:lambda:<region>:<account>:function:<name>, each with an optional
                             :<version or alias>
  --region <region>          the Region of the queue and the function (default: the ARN's, else AWS_REGION)
  --endpoint-url <url>       SQS endpoint (a local server); Lambda's is AWS_ENDPOINT_URL_LAMBDA, as the SDK reads it
  --dry-run                  list what would be replayed (trigger source, masked user, request id, failure
                             condition); invoke nothing, delete nothing
  --max <n>                  replay at most n messages (default 100)
  --max-age <duration>       replay only records that failed at most this long ago, such as 30m, 12h or 2d,
                             whatever their source (default: each source's window, above); older ones are kept
                             and reported as stale
  --max-event-age <duration> the function's maximum event age (MaximumEventAgeInSeconds; default 6h, Lambda's
                             default, which the template keeps): how much older than its record the event of an
                             EventAgeExceeded record is, counted in each source's window
  --discard-stale            delete the stale records instead of keeping them
  -h, --help                 show this help`;

/** How long a received message stays hidden from other readers while this run works on it. */
const VISIBILITY_TIMEOUT_SECONDS = 300;

/** Lambda's answer to an accepted asynchronous invocation. */
const ACCEPTED = 202;

type LambdaSdk = typeof import('@aws-sdk/client-lambda');

const lambdaService = awsService<LambdaSdk, LambdaClient, LambdaClientConfig['credentials']>(
  '@aws-sdk/client-lambda',
  (sdk, config) => new sdk.LambdaClient(config),
);

/** One received message. */
type ReceivedMessage = { id: string; body: string; receiptHandle: string };

/** `--function`, checked: the text the Invoke API gets, and its parts. */
function checkFunction(text: string): FunctionReference {
  const reference = functionReferenceOf(text);
  if (reference === undefined) {
    throw new UsageError(
      `--function must be a function name, 123456789012:function:<name> or a Lambda function ARN, each optionally with :<version or alias>, not ${JSON.stringify(text.slice(0, 200))}`,
    );
  }
  return reference;
}

/** The Region of both clients: `--region`, else the function ARN's; `undefined` leaves it to `AWS_REGION`. */
function regionOf(option: string | undefined, target: FunctionReference): string | undefined {
  if (option !== undefined && !isRegion(option)) {
    throw new UsageError(`--region must be an AWS Region such as us-east-1, not ${JSON.stringify(option)}`);
  }
  if (option !== undefined && target.region !== undefined && option !== target.region) {
    throw new UsageError(`--region ${option} is not the Region of the --function ARN (${target.region})`);
  }
  return option ?? target.region;
}

function checkMax(text: string): number {
  const max = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(max) || max < 1) {
    throw new UsageError(`--max must be a whole number of messages, at least 1, not ${JSON.stringify(text)}`);
  }
  return max;
}

/** A user name as a listing shows it: an address masked as an address, anything else by its length. */
function maskUserName(userName: unknown): string {
  return typeof userName === 'string' && userName.includes('@') ? maskEmail(userName) : maskValue(userName);
}

/** Who the message is for, masked: the address or number of the event's channel, when the event has one. */
function recipientOf(parsed: ParsedSenderFailureRecord): string | undefined {
  const request = parsed.record.requestPayload.request;
  const attributes = isObject(request) && isObject(request.userAttributes) ? request.userAttributes : {};
  if (parsed.channel === 'email') {
    return typeof attributes.email === 'string' ? maskEmail(attributes.email) : undefined;
  }
  return typeof attributes.phone_number === 'string' ? maskPhone(attributes.phone_number) : undefined;
}

/** One line about a record: trigger source, pool, masked user and recipient, request id, why it failed. */
function describeRecord(parsed: ParsedSenderFailureRecord): string {
  const { requestPayload: event, requestContext: context, timestamp } = parsed.record;
  const to = recipientOf(parsed);
  return [
    String(event.triggerSource),
    `pool=${String(event.userPoolId)}`,
    `user=${maskUserName(event.userName)}`,
    ...(to === undefined ? [] : [`to=${to}`]),
    `request=${context.requestId}`,
    `condition=${context.condition}`,
    `attempts=${context.approximateInvokeCount}`,
    `failed=${timestamp}`,
  ].join(' ');
}

/**
 * How long after its failure a record of `source` is still worth replaying, when `--max-age` is not given: as
 * long as its secret is usable, at most as long as a send-once record lasts by default.
 */
function sourceWindowOf(source: unknown): { ms: number; said: string } {
  const usable = customSenderFactsOf(source)?.usableForAtMostSeconds;
  const seconds = Math.min(usable ?? SEND_ONCE_DEFAULT_TTL_SECONDS, SEND_ONCE_DEFAULT_TTL_SECONDS);
  const window = seconds % 3600 === 0 ? `${seconds / 3600}h` : `${Math.round(seconds / 60)}m`;
  return {
    ms: seconds * 1000,
    said:
      seconds === usable ? `the ${window} its code is usable for` : `the ${window} a send-once record lasts`,
  };
}

/** How long ago a record failed, as a listing says it (`45s`, `12m`, `3h`, `2d`). */
function ageOf(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** A record whose `timestamp` is not a date: its age, and so whether it is stale, cannot be told. */
class UndatedRecordError extends Error {
  public constructor(why: string) {
    super(`timestamp ${why}: its age cannot be told, so it is not replayed`);
    this.name = 'UndatedRecordError';
  }
}

/** How far ahead of this machine's clock a failure time may be (clock skew) before it is refused. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** When the record failed: Lambda writes an ISO 8601 time in UTC (`2019-11-14T18:16:05.568Z`). */
function failureTimeOf(timestamp: string): number {
  const failedAt = Date.parse(timestamp);
  // A zone is required: without one, Date.parse reads the machine's local time.
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})$/.test(timestamp) || Number.isNaN(failedAt)) {
    throw new UndatedRecordError('is not an ISO 8601 time with a zone');
  }
  if (failedAt > Date.now() + MAX_CLOCK_SKEW_MS) throw new UndatedRecordError('is in the future');
  return failedAt;
}

/** A record of another function than `--function`: replaying it there would fail it, or send it wrongly. */
class OtherFunctionRecordError extends Error {
  public readonly recordedFor: string;

  public constructor(recordedFor: string, target: string) {
    super(`recorded for function ${recordedFor}, not ${target}: replay it with --function ${recordedFor}`);
    this.name = 'OtherFunctionRecordError';
    this.recordedFor = recordedFor;
  }
}

/** Lambda answered the invoke, but not with 202 (accepted). */
class InvokeNotAcceptedError extends Error {
  public readonly statusCode: number | undefined;

  public constructor(statusCode: number | undefined) {
    super(`Lambda answered ${String(statusCode)}, not 202 (accepted)`);
    this.name = 'InvokeNotAcceptedError';
    this.statusCode = statusCode;
  }
}

/** The SDK refused or failed a call; names the operation, keeps the SDK's error as the cause. */
class ReplayCallError extends Error {
  public readonly operation: string;

  public constructor(operation: string, cause: unknown) {
    super(`${operation} failed`, { cause });
    this.name = 'ReplayCallError';
    this.operation = operation;
  }
}

async function main(): Promise<number> {
  const { values } = parseCommandLine({
    options: {
      'queue-url': { type: 'string' },
      function: { type: 'string' },
      region: { type: 'string' },
      'endpoint-url': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      max: { type: 'string', default: '100' },
      'max-age': { type: 'string' },
      'max-event-age': { type: 'string', default: '6h' },
      'discard-stale': { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // Every option is checked here, before either client (and so the credential chain) is ever used.
  if (values['queue-url'] === undefined) throw new UsageError('missing --queue-url');
  if (values.function === undefined) throw new UsageError('missing --function');
  const queueUrl = checkQueueUrl('--queue-url', values['queue-url']);
  const functionName = values.function;
  const target = checkFunction(functionName);
  const region = regionOf(values.region, target);
  const endpointUrl =
    values['endpoint-url'] === undefined
      ? undefined
      : checkEndpointUrl('--endpoint-url', values['endpoint-url']);
  const max = checkMax(values.max);
  const dryRun = values['dry-run'] === true;
  const maxAge =
    values['max-age'] === undefined
      ? undefined
      : {
          ms: durationSecondsOf('--max-age', values['max-age']) * 1000,
          said: `--max-age ${values['max-age']}`,
        };
  const maxEventAgeMs = durationSecondsOf('--max-event-age', values['max-event-age']) * 1000;
  const discardStale = values['discard-stale'] === true;

  // A command-line tool is not inside Cognito's 5 s.
  const limits = { maxTimeoutMs: 30_000, maxAttempts: 5 };
  const bounds = {
    requestTimeoutMs: 10_000,
    connectionTimeoutMs: 3000,
    maxAttempts: 3,
    ...(region === undefined ? {} : { region }),
  };
  const sqs = lazySqsClient(
    { ...bounds, ...(endpointUrl === undefined ? {} : { endpoint: endpointUrl }) },
    limits,
  );
  const lambda = lambdaService.lazyClient(bounds, limits);

  async function receive(): Promise<ReceivedMessage[]> {
    const [client, { ReceiveMessageCommand }] = await Promise.all([sqs(), loadSqsSdk()]);
    const received: ReceivedMessage[] = [];
    while (received.length < max) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max - received.length),
          WaitTimeSeconds: 1,
          // Hidden while this run works on them; the ones kept are made visible again at the end.
          VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        if (message.ReceiptHandle === undefined) continue;
        received.push({
          id: message.MessageId ?? '(no id)',
          body: message.Body ?? '',
          receiptHandle: message.ReceiptHandle,
        });
      }
    }
    return received;
  }

  async function remove(message: ReceivedMessage): Promise<void> {
    const [client, { DeleteMessageCommand }] = await Promise.all([sqs(), loadSqsSdk()]);
    try {
      await client.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.receiptHandle }),
      );
    } catch (error) {
      throw new ReplayCallError('DeleteMessage', error);
    }
  }

  /** Makes kept messages visible again now, rather than after the visibility timeout. */
  async function release(messages: readonly ReceivedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const [client, { ChangeMessageVisibilityCommand }] = await Promise.all([sqs(), loadSqsSdk()]);
    for (const message of messages) {
      try {
        await client.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: message.receiptHandle,
            VisibilityTimeout: 0,
          }),
        );
      } catch (error) {
        // Not fatal: the message comes back by itself once its visibility timeout ends.
        console.warn(
          `${message.id}: not made visible again (${describeError(error)}); it returns in ${VISIBILITY_TIMEOUT_SECONDS} s`,
        );
      }
    }
  }

  /** Invokes the function with the event as Cognito sent it; resolves once Lambda accepted it (202). */
  async function invoke(parsed: ParsedSenderFailureRecord): Promise<string | undefined> {
    const [client, { InvokeCommand }] = await Promise.all([lambda(), lambdaService.loadSdk()]);
    let answer: InvokeCommandOutput;
    try {
      answer = await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(parsed.record.requestPayload)),
        }),
      );
    } catch (error) {
      throw new ReplayCallError('Invoke', error);
    }
    if (answer.StatusCode !== ACCEPTED) throw new InvokeNotAcceptedError(answer.StatusCode);
    return answer.$metadata.requestId;
  }

  const messages = await receive();
  if (messages.length === 0) {
    console.log(`No messages to replay.\n0 ${dryRun ? 'to replay' : 'replayed'}, 0 kept`);
    return 0;
  }

  let replayed = 0;
  // Left in the queue: refused, recorded for another function, stale, not accepted by Lambda, or not deleted.
  let left = 0;
  // Stale records deleted under --discard-stale (or that would be, in a dry run).
  let discarded = 0;
  // Made visible again at the end: every message a dry run read, and the ones kept before any invoke.
  const toRelease: ReceivedMessage[] = [];
  try {
    for (const message of messages) {
      let parsed: ParsedSenderFailureRecord;
      let failedAt: number;
      try {
        parsed = parseSenderFailureRecord(message.body);
        if (parsed.functionName !== target.name) {
          throw new OtherFunctionRecordError(parsed.functionName, target.name);
        }
        failedAt = failureTimeOf(parsed.record.timestamp);
      } catch (error) {
        left += 1;
        toRelease.push(message);
        console.log(`KEPT    ${message.id}: ${describeError(error)}`);
        continue;
      }
      const line = describeRecord(parsed);
      const age = Date.now() - failedAt;
      const window = maxAge ?? sourceWindowOf(parsed.record.requestPayload.triggerSource);
      // Lambda dropped the event for its age: the code was made that long before the record was written.
      const older =
        maxAge === undefined &&
        parsed.record.requestContext.condition === DestinationCondition.EventAgeExceeded
          ? maxEventAgeMs
          : 0;
      if (age + older > window.ms) {
        const made = older === 0 ? '' : `, its event ${ageOf(older)} before that`;
        const stale = `stale: failed ${ageOf(age)} ago${made}, more than ${window.said}`;
        if (!discardStale) {
          left += 1;
          toRelease.push(message);
          console.log(
            `KEPT    ${message.id} ${line}: ${stale} (a longer --max-age replays it, --discard-stale deletes it)`,
          );
          continue;
        }
        if (dryRun) {
          discarded += 1;
          toRelease.push(message);
          console.log(`WOULD   ${message.id} ${line}: ${stale}, discard it`);
          continue;
        }
        try {
          await remove(message);
        } catch (error) {
          left += 1;
          toRelease.push(message);
          console.log(`KEPT    ${message.id} ${line}: ${stale}, but not deleted: ${describeError(error)}`);
          continue;
        }
        discarded += 1;
        console.log(`DROPPED ${message.id} ${line}: ${stale}, deleted`);
        continue;
      }
      if (dryRun) {
        toRelease.push(message);
        console.log(`WOULD   ${message.id} ${line}`);
        continue;
      }
      let requestId: string | undefined;
      try {
        requestId = await invoke(parsed);
      } catch (error) {
        left += 1;
        toRelease.push(message);
        console.log(`KEPT    ${message.id} ${line}: ${describeError(error)}`);
        continue;
      }
      replayed += 1;
      try {
        await remove(message);
      } catch (error) {
        // Accepted but not deleted: it comes back after its visibility timeout, and a replay of it then is
        // skipped by the send-once record, not sent twice.
        left += 1;
        console.log(
          `KEPT    ${message.id} ${line}: replayed as ${String(requestId)}, but not deleted: ${describeError(error)}`,
        );
        continue;
      }
      console.log(`OK      ${message.id} ${line}: replayed as ${String(requestId)}, deleted`);
    }
  } finally {
    await release(toRelease);
  }
  const dropped = discarded === 0 ? '' : `, ${discarded} ${dryRun ? 'to discard' : 'discarded'}`;
  console.log(
    dryRun
      ? `${messages.length - left - discarded} to replay, ${left} kept${dropped} (dry run: nothing invoked, nothing deleted)`
      : `${replayed} replayed, ${left} kept${dropped}`,
  );
  return left === 0 ? 0 : 1;
}

runMain(main, { usage: USAGE, describeError });
