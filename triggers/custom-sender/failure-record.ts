/**
 * The messages of the sender failure queue (`SenderFailureQueue`): Lambda's on-failure destination records of
 * the custom sender functions, which `npm run replay:sender-failures` reads. Cognito invokes a sender
 * asynchronously (contract §3); when every attempt fails (Lambda retries twice, `MaximumRetryAttempts: 2`) or
 * the event grows too old, Lambda sends an invocation record to the queue:
 *
 * ```json
 * { "version": "1.0", "timestamp": "2019-11-14T18:16:05.568Z",
 *   "requestContext": { "requestId": "…", "functionArn": "arn:aws:lambda:us-east-2:123456789012:function:f:$LATEST",
 *                       "condition": "RetriesExhausted", "approximateInvokeCount": 3 },
 *   "requestPayload": { …Cognito's event, the code still encrypted… },
 *   "responseContext": { "statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled" },
 *   "responsePayload": { "errorType": "…", "errorMessage": "…" } }
 * ```
 *
 * The parser checks what the replay relies on (the record's identity, its request context, and a custom sender
 * event as its payload, shared/custom-sender/parse-event.ts) and is tolerant of the rest: `responseContext` and
 * `responsePayload` are never read. Its errors name the field and the JSON type found, never a value: the
 * payload holds the encrypted code and the user's attributes, and the body of a message that is not JSON is not
 * quoted either (a JSON.parse error quotes it, so it is not kept as the cause).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
import { type CustomSenderChannel, triggerNameOfChannel } from '../../shared/custom-sender/events.js';
import { parseCustomSenderEvent } from '../../shared/custom-sender/parse-event.js';
import { EventShapeError, SignUpFault } from '../../shared/errors.js';
import { isObject, jsonTypeOf } from '../../shared/parse-event.js';

/**
 * `requestContext.condition`: why Lambda wrote the record. An on-failure record says `RetriesExhausted` or
 * `EventAgeExceeded`; an on-success record says `Success` and is never replayed.
 */
export const DestinationCondition = {
  RetriesExhausted: 'RetriesExhausted',
  EventAgeExceeded: 'EventAgeExceeded',
  Success: 'Success',
} as const;

/** One of {@link DestinationCondition}, or a condition Lambda adds later (kept as it came). */
export type DestinationCondition = (typeof DestinationCondition)[keyof typeof DestinationCondition];

/** `requestContext` of an invocation record. */
export type InvocationRecordRequestContext = {
  /** The request id of the failed invocation: the sender's log lines carry it. */
  requestId: string;
  /** The function (and version) that failed, `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`. */
  functionArn: string;
  condition: string;
  /** How many times Lambda ran the event, retries included. */
  approximateInvokeCount: number;
};

/** A Lambda asynchronous-invocation destination record, as far as the replay reads it. */
export type SenderFailureRecord = {
  version: string;
  timestamp: string;
  requestContext: InvocationRecordRequestContext;
  /** Cognito's event exactly as the function received it: what a replay sends again, unchanged. */
  requestPayload: Record<string, unknown>;
  /** Not read; `undefined` when absent. */
  responseContext?: unknown;
  /** Not read; `undefined` when absent. */
  responsePayload?: unknown;
};

/** What {@link parseSenderFailureRecord} answers. */
export type ParsedSenderFailureRecord = {
  record: SenderFailureRecord;
  /** The channel of the event, from its `triggerSource`. */
  channel: CustomSenderChannel;
  /** Whether the trigger source is a documented one (the function decides what to do with another). */
  knownSource: boolean;
  /** The function name of `requestContext.functionArn`. */
  functionName: string;
};

/** A reference to a Lambda function: a name, a partial ARN or an ARN, with an optional version or alias. */
export type FunctionReference = {
  /** The function's name, without qualifier. */
  name: string;
  qualifier: string | undefined;
  /** Present in a full ARN only. */
  region: string | undefined;
  /** Present in a full or partial ARN. */
  account: string | undefined;
  /** Whether the text was a full ARN (`arn:…`). */
  isArn: boolean;
};

/** A queue message that is not a failure record of a custom sender. Names the field, never a value. */
export class SenderFailureRecordError extends SignUpFault {
  /** Dotted path of the field at fault (`requestContext.condition`, `requestPayload.request.code`), or `(body)`. */
  public readonly field: string;
  public readonly expected: string;
  /** The JSON type (or a fixed description) found, never the value. */
  public readonly found: string;

  public constructor(field: string, expected: string, found: string, options?: ErrorOptions) {
    super(
      `Not a Lambda failure record of a custom sender: ${field} must be ${expected}, found ${found}`,
      options,
    );
    this.name = 'SenderFailureRecordError';
    this.field = field;
    this.expected = expected;
    this.found = found;
  }
}

// Lambda's FunctionName: `name`, `account:function:name` or `arn:<partition>:lambda:<region>:<account>:function:name`,
// each with an optional `:<version or alias>` (the Invoke API's pattern, with the name at most 64 characters).
const FUNCTION_REFERENCE =
  /^(?:(arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):)?(\d{12}):function:)?([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

/**
 * The parts of a Lambda function reference, or `undefined` when `text` is none: a function name
 * (`CustomEmailSenderFunction`), a partial ARN (`123456789012:function:name`) or an ARN
 * (`arn:aws:lambda:us-east-1:123456789012:function:name`), each with an optional `:<version or alias>`.
 *
 * @example
 * functionReferenceOf('arn:aws:lambda:us-east-1:123456789012:function:sender:$LATEST');
 * // { name: 'sender', qualifier: '$LATEST', region: 'us-east-1', account: '123456789012', isArn: true }
 */
export function functionReferenceOf(text: string): FunctionReference | undefined {
  if (text.length > 256) return undefined;
  const match = FUNCTION_REFERENCE.exec(text);
  if (match === null) return undefined;
  const [, arnPrefix, region, account, name = '', qualifier] = match;
  return { name, qualifier, region, account, isArn: arnPrefix !== undefined };
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** `value` when `accepts` it; otherwise a {@link SenderFailureRecordError} at `field` naming the type found. */
function fieldAt<T>(
  value: unknown,
  field: string,
  expected: string,
  accepts: (value: unknown) => value is T,
): T {
  if (!accepts(value)) throw new SenderFailureRecordError(field, expected, jsonTypeOf(value));
  return value;
}

/** The channel a trigger source belongs to, from its prefix; `undefined` for any other trigger's source. */
function channelOfSource(source: unknown): CustomSenderChannel | undefined {
  if (typeof source !== 'string') return undefined;
  for (const channel of ['email', 'sms'] as const) {
    if (source.startsWith(`${triggerNameOfChannel[channel]}_`)) return channel;
  }
  return undefined;
}

/** Checks the record's `requestContext` and answers the failed function's name. */
function checkRequestContext(value: unknown): {
  context: InvocationRecordRequestContext;
  functionName: string;
} {
  const context = fieldAt(value, 'requestContext', 'an object', isObject);
  const nonEmpty = (text: unknown): text is string => isString(text) && text !== '';
  fieldAt(context.requestId, 'requestContext.requestId', 'a non-empty string', nonEmpty);
  const arn = fieldAt(context.functionArn, 'requestContext.functionArn', 'a string', isString);
  const reference = functionReferenceOf(arn);
  if (reference === undefined || !reference.isArn) {
    throw new SenderFailureRecordError(
      'requestContext.functionArn',
      'a Lambda function ARN',
      'another string',
    );
  }
  const condition = fieldAt(context.condition, 'requestContext.condition', 'a non-empty string', nonEmpty);
  // An on-success record (a queue also configured as OnSuccess) is of an event that was delivered.
  if (condition === DestinationCondition.Success) {
    throw new SenderFailureRecordError(
      'requestContext.condition',
      'a failure condition (RetriesExhausted, EventAgeExceeded)',
      'Success, an on-success record',
    );
  }
  fieldAt(
    context.approximateInvokeCount,
    'requestContext.approximateInvokeCount',
    'a whole number, 0 or more',
    (count): count is number => typeof count === 'number' && Number.isSafeInteger(count) && count >= 0,
  );
  return { context: context as InvocationRecordRequestContext, functionName: reference.name };
}

/** Checks `requestPayload` as a custom sender event of the channel its source names. */
function checkPayload(value: unknown): {
  payload: Record<string, unknown>;
  channel: CustomSenderChannel;
  known: boolean;
} {
  const payload = fieldAt(value, 'requestPayload', 'an object (the Cognito event)', isObject);
  const channel = channelOfSource(payload.triggerSource);
  if (channel === undefined) {
    throw new SenderFailureRecordError(
      'requestPayload.triggerSource',
      'a CustomEmailSender_* or CustomSMSSender_* source',
      typeof payload.triggerSource === 'string' ? 'another string' : jsonTypeOf(payload.triggerSource),
    );
  }
  try {
    return { payload, channel, known: parseCustomSenderEvent(payload, channel).kind === 'known' };
  } catch (error) {
    // The event parser's errors name a path and a JSON type, never a value: safe to keep as the cause.
    if (!(error instanceof EventShapeError)) throw error;
    throw new SenderFailureRecordError(`requestPayload.${error.path}`, error.expected, error.found, {
      cause: error,
    });
  }
}

/**
 * Reads a message of the sender failure queue: a Lambda on-failure destination record whose `requestPayload`
 * is a custom email or SMS sender event. The record is returned as it came (the payload unchanged, for the
 * replay to send again), with the event's channel and the failed function's name.
 *
 * @example
 * const { record, channel } = parseSenderFailureRecord(message.Body ?? '');
 * await lambda.send(new InvokeCommand({ FunctionName, InvocationType: 'Event', Payload: JSON.stringify(record.requestPayload) }));
 * @throws SenderFailureRecordError naming the first field that is not as Lambda and Cognito write it.
 */
export function parseSenderFailureRecord(body: string): ParsedSenderFailureRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Not kept as the cause: V8's SyntaxError quotes the body, which may hold the code and the attributes.
    throw new SenderFailureRecordError('(body)', 'JSON', 'another text');
  }
  const record = fieldAt(parsed, '(body)', 'a JSON object', isObject);
  // Version 1.0 is the only one documented; a later 1.x adds fields at most, another major may change them.
  fieldAt(record.version, 'version', 'a string', isString);
  if (!/^1(?:\.\d+)?$/.test(record.version as string)) {
    throw new SenderFailureRecordError('version', '"1.0"', 'another string');
  }
  fieldAt(record.timestamp, 'timestamp', 'a string', isString);
  const { context, functionName } = checkRequestContext(record.requestContext);
  const { payload, channel, known } = checkPayload(record.requestPayload);
  return {
    record: {
      ...(record as Omit<SenderFailureRecord, 'requestContext' | 'requestPayload'>),
      requestContext: context,
      requestPayload: payload,
    },
    channel,
    knownSource: known,
    functionName,
  };
}
