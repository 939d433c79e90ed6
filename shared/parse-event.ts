/**
 * Runtime parsers for the three trigger events: tolerant of unknown fields (AWS warns that events grow,
 * contract §1 "Forward compatibility"), strict about every field this toolkit reads.
 *
 * A parser checks the event **in place** and returns the same object, typed. It never copies or
 * normalises: Cognito requires the event back changed only inside `response` (contract §1).
 */
import { EventShapeError } from './errors.js';
import type {
  CustomMessageEvent,
  PostConfirmationEvent,
  PreSignUpEvent,
  SignUpTriggerEvent,
} from './event-types.js';
import { isTriggerSource, type TriggerName, triggerNameOf } from './trigger-source.js';

type Json = Record<string, unknown>;

/** The JSON type of a value, for error messages that must never echo the value. */
export function jsonTypeOf(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Whether `value` is a JSON object (not null, not an array). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown, path: string): Json {
  if (!isObject(value)) throw new EventShapeError(path, 'an object', jsonTypeOf(value));
  return value;
}

function stringAt(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new EventShapeError(path, 'a string', jsonTypeOf(value));
  return value;
}

/** A string, `null` or absent: the optional placeholders and message fields. */
function nullableStringAt(value: unknown, path: string): void {
  if (value === null || value === undefined || typeof value === 'string') return;
  throw new EventShapeError(path, 'a string, null or absent', jsonTypeOf(value));
}

function booleanAt(value: unknown, path: string): void {
  if (typeof value !== 'boolean') throw new EventShapeError(path, 'a boolean', jsonTypeOf(value));
}

/** Every value of a user attribute / metadata map is a string (contract §1, "Every value is a string"). */
function stringMapAt(value: unknown, path: string): void {
  const map = objectAt(value, path);
  for (const key of Object.keys(map)) {
    const entry = map[key];
    if (typeof entry !== 'string')
      throw new EventShapeError(
        `${path}[${JSON.stringify(key.slice(0, 64))}]`,
        'a string',
        jsonTypeOf(entry),
      );
  }
}

/** A map of strings, `null` or absent: validationData is null when the caller sent none (contract §2). */
function optionalStringMapAt(value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  stringMapAt(value, path);
}

/** Checks the envelope and returns the event's trigger name and its `request` / `response` objects. */
function envelopeOf(raw: unknown, trigger: TriggerName): { event: Json; request: Json; response: Json } {
  const event = objectAt(raw, 'event');
  const source = stringAt(event.triggerSource, 'triggerSource');
  if (triggerNameOf(source) !== trigger) {
    throw new EventShapeError('triggerSource', `a ${trigger}_* source`, 'string');
  }
  if (typeof event.version !== 'string' && typeof event.version !== 'number') {
    throw new EventShapeError('version', 'a string (or number)', jsonTypeOf(event.version));
  }
  stringAt(event.region, 'region');
  stringAt(event.userPoolId, 'userPoolId');
  stringAt(event.userName, 'userName');
  const caller = objectAt(event.callerContext, 'callerContext');
  nullableStringAt(caller.clientId, 'callerContext.clientId');
  if (caller.awsSdkVersion !== undefined) stringAt(caller.awsSdkVersion, 'callerContext.awsSdkVersion');
  const request = objectAt(event.request, 'request');
  stringMapAt(request.userAttributes, 'request.userAttributes');
  optionalStringMapAt(request.clientMetadata, 'request.clientMetadata');
  const response = objectAt(event.response, 'response');
  return { event, request, response };
}

/**
 * Whether the event's `triggerSource` is one of the sources this toolkit knows. Pre sign-up may also run
 * while the user-migration trigger creates a user, under a source AWS does not document (contract §2).
 */
export function hasKnownTriggerSource(event: SignUpTriggerEvent): boolean {
  return isTriggerSource(event.triggerSource);
}

/**
 * Checks a pre sign-up event (contract §2). `validationData` may be `null`, absent or a map.
 * @throws EventShapeError naming the first field that is not as Cognito sends it.
 */
export function parsePreSignUpEvent(raw: unknown): PreSignUpEvent {
  const { event, request, response } = envelopeOf(raw, 'PreSignUp');
  optionalStringMapAt(request.validationData, 'request.validationData');
  booleanAt(response.autoConfirmUser, 'response.autoConfirmUser');
  booleanAt(response.autoVerifyEmail, 'response.autoVerifyEmail');
  booleanAt(response.autoVerifyPhone, 'response.autoVerifyPhone');
  return event as PreSignUpEvent;
}

/**
 * Checks a custom message event (contract §3). `linkParameter` and `usernameParameter` may be absent or
 * `null`; the response fields arrive as `null`.
 * @throws EventShapeError naming the first field that is not as Cognito sends it.
 */
export function parseCustomMessageEvent(raw: unknown): CustomMessageEvent {
  const { event, request, response } = envelopeOf(raw, 'CustomMessage');
  stringAt(request.codeParameter, 'request.codeParameter');
  nullableStringAt(request.linkParameter, 'request.linkParameter');
  nullableStringAt(request.usernameParameter, 'request.usernameParameter');
  // Cognito pre-fills these with null; a test console may leave them out.
  nullableStringAt(response.smsMessage, 'response.smsMessage');
  nullableStringAt(response.emailMessage, 'response.emailMessage');
  nullableStringAt(response.emailSubject, 'response.emailSubject');
  return event as CustomMessageEvent;
}

/**
 * Checks a post confirmation event (contract §4).
 * @throws EventShapeError naming the first field that is not as Cognito sends it.
 */
export function parsePostConfirmationEvent(raw: unknown): PostConfirmationEvent {
  const { event } = envelopeOf(raw, 'PostConfirmation');
  return event as PostConfirmationEvent;
}
