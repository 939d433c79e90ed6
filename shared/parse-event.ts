/**
 * Runtime parsers for the three trigger events: tolerant of unknown fields (AWS warns that events grow,
 * contract §1 "Forward compatibility"), strict about every field this toolkit reads.
 *
 * An event as Cognito sends it is checked **in place** and returned as the same object, typed. The test
 * events AWS hands out (the developer guide's samples, which users paste into the Lambda console) differ from
 * real ones in known ways; such an event gets an answer through a normalised copy, the *view*, and the
 * handler core replies with the original event and the view's `response` (Cognito requires its event back
 * changed only inside `response`, contract §1). What the view repairs, and nothing else:
 *
 * - a boolean or number user attribute (`"email_verified": true`) becomes Cognito's string form (`"true"`);
 * - `callerContext.awsSdk` is read as `awsSdkVersion`; a missing `callerContext` as `{ clientId: null }`;
 * - `"None"` (a Python-style placeholder) in custom message's `usernameParameter` and response fields, and
 *   `<…>` placeholders in its response fields, become `null`;
 * - a missing `response`, or a missing pre sign-up flag or custom message field in it, gets Cognito's
 *   pre-filled default (`false`, `null`, `{}`);
 * - an event without `triggerSource` (a `{ request, response }` fragment) may lack the whole envelope, and a
 *   placeholder or a list of sources in `triggerSource` is kept: either way the source is unknown, and the
 *   handler's `UNKNOWN_TRIGGER_SOURCE` policy answers it.
 *
 * Anything else that is not as Cognito sends it is an {@link EventShapeError} naming the field.
 * ClientMetadata and ValidationData values are the caller's, not Cognito's: pre sign-up refuses a non-string
 * one with {@link MetadataInvalidError} (`METADATA_INVALID`); custom message and post confirmation leave them
 * to their metadata readers, which ignore a bad value.
 */

import { EventShapeError, MetadataInvalidError, type MetadataSource } from './errors.js';
import type {
  CustomMessageEvent,
  PostConfirmationEvent,
  PreSignUpEvent,
  SignUpTriggerEvent,
} from './event-types.js';
import { isSourceSpelling, NO_TRIGGER_SOURCE, type TriggerName, triggerNameOf } from './trigger-source.js';

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

/** A map key as error paths and logs show it: quoted, cut to 64 characters. */
function keyPath(path: string, key: string): string {
  return `${path}[${JSON.stringify(key.slice(0, 64))}]`;
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

/** A map of strings, `null` or absent, as far as its own shape goes: validationData is null when none was sent. */
function optionalMapAt(value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  objectAt(value, path);
}

/**
 * The user attributes in Cognito's string form (contract §1, "Every value is a string"). AWS's own samples
 * write `email_verified` and `phone_number_verified` as JSON booleans; a boolean or a number becomes the
 * string Cognito would send. Returns the map itself when every value already is a string.
 */
function userAttributesOf(value: unknown, path = 'request.userAttributes'): Record<string, string> {
  const map = objectAt(value, path);
  let strings = true;
  for (const key of Object.keys(map)) {
    const entry = map[key];
    if (typeof entry === 'string') continue;
    if (typeof entry !== 'boolean' && typeof entry !== 'number') {
      throw new EventShapeError(keyPath(path, key), 'a string (or a boolean or number)', jsonTypeOf(entry));
    }
    strings = false;
  }
  if (strings) return map as Record<string, string>;
  // A null-prototype copy: a key such as "__proto__" stays an ordinary key.
  const coerced: Record<string, string> = Object.create(null);
  for (const key of Object.keys(map)) coerced[key] = String(map[key]);
  return coerced;
}

/**
 * Refuses a ClientMetadata or ValidationData map holding a value that is not a string (contract §5: both are
 * maps of strings). These values come from whoever invoked the function, so a bad one is a rejection
 * (`METADATA_INVALID`), not a fault. The map's own shape was checked before.
 * @throws MetadataInvalidError naming the key (cut to 64 characters), never the value.
 */
function metadataValuesAt(map: unknown, source: MetadataSource): void {
  if (!isObject(map)) return;
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (typeof value !== 'string') {
      throw new MetadataInvalidError(source, key.slice(0, 64), `is ${jsonTypeOf(value)}, not a string`);
    }
  }
}

// Placeholders AWS's sample events put where Cognito sends null: Python's None printed as text, and the
// angle-bracket placeholders of the older samples (sometimes wrapped in Markdown backticks).
const NONE = 'None';
const ANGLE_PLACEHOLDER = /^`?<[^<>]*>`?$/;

/** The event under construction: the original, its copy (the view), and whether the copy differs. */
type Draft = {
  event: Json;
  view: Json;
  request: Json;
  response: Json;
  repaired: boolean;
};

/** Sets `key` of `target` (a part of the view) and notes that the view now differs from the event. */
function repair(draft: Draft, target: Json, key: string, value: unknown): void {
  target[key] = value;
  draft.repaired = true;
}

/** The event's source: its own, or {@link NO_TRIGGER_SOURCE} when it came without one. */
function sourceAt(event: Json, trigger: TriggerName): string {
  if (event.triggerSource === undefined) return NO_TRIGGER_SOURCE;
  const source = stringAt(event.triggerSource, 'triggerSource');
  const family = triggerNameOf(source);
  if (family === trigger) return source;
  // Another trigger's source means the function is wired to the wrong trigger: a fault, not a guess. A
  // placeholder or a list is no source at all, and the unknown-source policy answers it.
  if (family !== undefined || isSourceSpelling(source)) {
    throw new EventShapeError('triggerSource', `a ${trigger}_* source`, 'string');
  }
  return source;
}

/** Checks the envelope and `request` common to the three triggers, and starts the view. */
function draftOf(raw: unknown, trigger: TriggerName): Draft {
  const event = objectAt(raw, 'event');
  const draft: Draft = { event, view: { ...event }, request: {}, response: {}, repaired: false };
  const source = sourceAt(event, trigger);
  // An event without triggerSource is a fragment (the developer guide's `{ request, response }` test
  // events): its envelope may be missing too. A real event carries every envelope field (contract §1, §9).
  const fragment = event.triggerSource === undefined;
  if (fragment) repair(draft, draft.view, 'triggerSource', source);

  if (event.version === undefined && fragment) repair(draft, draft.view, 'version', '');
  else if (typeof event.version !== 'string' && typeof event.version !== 'number') {
    throw new EventShapeError('version', 'a string (or number)', jsonTypeOf(event.version));
  }
  for (const key of ['region', 'userPoolId', 'userName'] as const) {
    if (event[key] === undefined && fragment) repair(draft, draft.view, key, '');
    else stringAt(event[key], key);
  }

  if (event.callerContext === undefined) {
    // Seen as null for AdminConfirmSignUp (contract §1): the one value that claims no app client.
    repair(draft, draft.view, 'callerContext', { clientId: null });
  } else {
    const caller = objectAt(event.callerContext, 'callerContext');
    nullableStringAt(caller.clientId, 'callerContext.clientId');
    if (caller.awsSdkVersion !== undefined) {
      stringAt(caller.awsSdkVersion, 'callerContext.awsSdkVersion');
    } else if (caller.awsSdk !== undefined) {
      // The developer guide's older custom message samples name the field `awsSdk`.
      const awsSdkVersion = stringAt(caller.awsSdk, 'callerContext.awsSdk');
      repair(draft, draft.view, 'callerContext', { ...caller, awsSdkVersion });
    }
  }

  const request = objectAt(event.request, 'request');
  draft.request = { ...request };
  draft.view.request = draft.request;
  const attributes = userAttributesOf(request.userAttributes);
  if (attributes !== request.userAttributes) repair(draft, draft.request, 'userAttributes', attributes);
  optionalMapAt(request.clientMetadata, 'request.clientMetadata');

  if (event.response === undefined) {
    // Cognito always sends one; a test event may not. The trigger's parser fills its defaults.
    repair(draft, draft.view, 'response', draft.response);
  } else {
    draft.response = { ...objectAt(event.response, 'response') };
    draft.view.response = draft.response;
  }
  return draft;
}

/** The event itself when nothing was repaired, else the view. */
function resultOf<E extends SignUpTriggerEvent>(draft: Draft): E {
  return (draft.repaired ? draft.view : draft.event) as E;
}

/**
 * Checks a pre sign-up event (contract §2). `validationData` may be `null`, absent or a map; a missing
 * response flag is Cognito's pre-filled `false`.
 * @throws EventShapeError naming the first field that is not as Cognito sends it.
 * @throws MetadataInvalidError when a ClientMetadata or ValidationData value is not a string.
 */
export function parsePreSignUpEvent(raw: unknown): PreSignUpEvent {
  const draft = draftOf(raw, 'PreSignUp');
  const { request, response } = draft;
  optionalMapAt(request.validationData, 'request.validationData');
  for (const flag of ['autoConfirmUser', 'autoVerifyEmail', 'autoVerifyPhone'] as const) {
    if (response[flag] === undefined) repair(draft, response, flag, false);
    else if (typeof response[flag] !== 'boolean') {
      throw new EventShapeError(`response.${flag}`, 'a boolean', jsonTypeOf(response[flag]));
    }
  }
  // Last, so that a broken event is a fault even when its metadata is bad too.
  metadataValuesAt(request.clientMetadata, 'clientMetadata');
  metadataValuesAt(request.validationData, 'validationData');
  return resultOf(draft);
}

/**
 * Checks a custom message event (contract §3). `linkParameter` and `usernameParameter` may be absent or
 * `null`; the response fields arrive as `null`. ClientMetadata values are left to the metadata readers,
 * which ignore a bad one: a custom message problem never fails the user's call.
 * @throws EventShapeError naming the first field that is not as Cognito sends it.
 */
export function parseCustomMessageEvent(raw: unknown): CustomMessageEvent {
  const draft = draftOf(raw, 'CustomMessage');
  const { request, response } = draft;
  stringAt(request.codeParameter, 'request.codeParameter');
  nullableStringAt(request.linkParameter, 'request.linkParameter');
  nullableStringAt(request.usernameParameter, 'request.usernameParameter');
  if (request.usernameParameter === NONE) repair(draft, request, 'usernameParameter', null);
  for (const field of ['smsMessage', 'emailMessage', 'emailSubject'] as const) {
    const value = response[field];
    nullableStringAt(value, `response.${field}`);
    // Cognito pre-fills null, which keeps the pool's own message for that channel.
    if (
      value === undefined ||
      (typeof value === 'string' && (value === NONE || ANGLE_PLACEHOLDER.test(value)))
    ) {
      repair(draft, response, field, null);
    }
  }
  return resultOf(draft);
}

/**
 * Checks a post confirmation event (contract §4). ClientMetadata values are left to the actions' metadata
 * readers, which ignore a bad one: the user is already confirmed.
 * @throws EventShapeError naming the first field that is not as Cognito sends it.
 */
export function parsePostConfirmationEvent(raw: unknown): PostConfirmationEvent {
  return resultOf(draftOf(raw, 'PostConfirmation'));
}
