/**
 * The runtime parser of custom email and SMS sender events, in the manner of `shared/parse-event.ts`: tolerant of
 * fields it does not read (events grow, contract §1 "Forward compatibility"), strict about the ones a sender
 * reads, and never echoing a value in an error: an {@link EventShapeError} names the field and the JSON type found.
 *
 * What differs from the sign-up triggers, and why:
 *
 * - The answer is a result, not the event: a future source of the right trigger comes back as
 *   `kind: 'unknown-source'` for the handler to decide, and so does `CustomSMSSender_AccountTakeOverNotification`,
 *   which only AWS's sample code names (`SAMPLE_ONLY_SMS_ACCOUNT_TAKEOVER_SOURCE` in `events.ts`).
 * - Nothing is repaired for pasted test events: AWS publishes none for these triggers, only a schema
 *   (docs/custom-senders-events.md). A `response` key is neither required nor read: real events have none, and
 *   cognito-local sends `{}`.
 * - `request.code` is secret material. It is checked for shape and size and never appears in a message.
 * - A ClientMetadata map the sign-up readers would refuse (a non-string value, or more than the bounds apps are
 *   told, shared/caller-keys.ts) is not a fault here: the operation already succeeded and the user waits for a
 *   code. The result leaves the map out (`clientMetadata: null` in a copy) and says why in
 *   `ignoredClientMetadata`, with the key cut to 64 characters and never the value.
 * - `request.userAttributes` is bounded as a whole: no map Cognito can store is bigger, so a bigger one is a
 *   fault, not a user.
 */
import { EventShapeError, MetadataInvalidError } from '../errors.js';
import { createMetadataReader, defaultMetadataLimits } from '../metadata.js';
import { OptionsError } from '../options.js';
import { isObject, jsonTypeOf } from '../parse-event.js';
import {
  type CustomEmailSenderEvent,
  type CustomSenderChannel,
  type CustomSenderEvent,
  type CustomSenderEventOf,
  CustomSenderSecret,
  type CustomSenderSourceFacts,
  type CustomSMSSenderEvent,
  customSenderFactsOf,
  requestTypeOfChannel,
  requiredAccountTakeOverAttributes,
  triggerNameOfChannel,
  type UnknownCustomSenderEvent,
} from './events.js';

type Json = Record<string, unknown>;

/**
 * The bounds the parser applies.
 *
 * - `userAttributes`: a pool has at most 50 custom attributes besides about 20 standard and a few `cognito:`
 *   ones, each name at most 32 characters and each value at most 2,048 [M, contract §5 "Other limits from the
 *   model"]; 128 entries of 32 + 2,048 characters is more than any stored user can have.
 * - `clientMetadata`: the bounds apps are told for ClientMetadata, the ones the sign-up triggers' metadata
 *   readers apply (shared/caller-keys.ts `CallerMetadataLimits`).
 * - `code`: an Encryption SDK message with one KMS data key and a 6-character code is about 900 base64
 *   characters [O, CAP1]; a temporary password is at most 256 characters [M, BOTO `PasswordType`].
 *   8,192 leaves room for a larger header without letting an arbitrary blob through to KMS.
 */
export const CustomSenderLimits = {
  userAttributes: { maxEntries: 128, maxTotalLength: 128 * (32 + 2048) },
  clientMetadata: defaultMetadataLimits.clientMetadata,
  code: { maxLength: 8192 },
} as const;

/** Why a ClientMetadata map was left out: the key at fault (cut to 64 characters) and a reason, never a value. */
export type IgnoredClientMetadata = {
  /** `undefined` when the map as a whole is at fault (too many entries, too long). */
  readonly key: string | undefined;
  readonly reason: string;
};

/** What the parser answers: a documented event, or an event of the right trigger under an unknown source. */
export type CustomSenderParseResult<E extends CustomSenderEvent> =
  | {
      readonly kind: 'known';
      readonly event: E;
      /** Present when the caller's ClientMetadata was left out; the event then has `clientMetadata: null`. */
      readonly ignoredClientMetadata?: IgnoredClientMetadata;
    }
  | {
      readonly kind: 'unknown-source';
      readonly event: UnknownCustomSenderEvent;
      readonly ignoredClientMetadata?: IgnoredClientMetadata;
    };

// Standard base64 with padding, as the Encryption SDK message arrives [D, DG-OLD, DG-CSS; O, CAP1].
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

// Reads no key, so it only applies the ClientMetadata bounds: built once, at cold start.
const checkClientMetadataBounds = createMetadataReader('clientMetadata', {});

/** A map key as error paths show it: quoted, cut to 64 characters (as shared/parse-event.ts writes it). */
function pathOfKey(path: string, key: string): string {
  return `${path}[${JSON.stringify(key.slice(0, 64))}]`;
}

/** `value` itself when `accepts` it; otherwise an {@link EventShapeError} at `path` naming the JSON type found. */
function shapeAt<T>(
  value: unknown,
  path: string,
  expected: string,
  accepts: (value: unknown) => value is T,
): T {
  if (!accepts(value)) throw new EventShapeError(path, expected, jsonTypeOf(value));
  return value;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNullableString = (value: unknown): value is string | null => value === null || isString(value);
const isOptionalString = (value: unknown): value is string | null | undefined =>
  value === undefined || isNullableString(value);

/** The channel a caller asked for; a programmer's mistake otherwise, found on the first event. */
function channelOf(channel: unknown): CustomSenderChannel {
  if (channel === 'email' || channel === 'sms') return channel;
  throw new OptionsError('channel', '"email" or "sms"');
}

/** Checks the envelope: every field a real event carries (CAP1), with `callerContext` nullable inside. */
function checkEnvelope(event: Json): void {
  if (typeof event.version !== 'string' && typeof event.version !== 'number') {
    throw new EventShapeError('version', 'a string (or number)', jsonTypeOf(event.version));
  }
  for (const key of ['region', 'userPoolId', 'userName'] as const) {
    shapeAt(event[key], key, 'a string', isString);
  }
  const caller = shapeAt(event.callerContext, 'callerContext', 'an object', isObject);
  // Both null in the account-takeover capture [O, PR52111].
  shapeAt(caller.clientId, 'callerContext.clientId', 'a string or null', isNullableString);
  shapeAt(caller.awsSdkVersion, 'callerContext.awsSdkVersion', 'a string, null or absent', isOptionalString);
}

/**
 * Checks a map of attributes: an object of at most the bounded size whose values are strings (or also `null`,
 * where the source allows it). Keys count towards the size, values only when they are strings.
 */
function checkAttributes(value: unknown, path: string, nullable: boolean): Json {
  const map = shapeAt(value, path, 'an object', isObject);
  const { maxEntries, maxTotalLength } = CustomSenderLimits.userAttributes;
  const expected = nullable ? 'a string or null' : 'a string';
  let entries = 0;
  let total = 0;
  for (const key of Object.keys(map)) {
    const entry = map[key];
    entries += 1;
    total += key.length + (typeof entry === 'string' ? entry.length : 0);
    if (entries > maxEntries) {
      throw new EventShapeError(path, `an object of at most ${maxEntries} entries`, 'a larger object');
    }
    if (total > maxTotalLength) {
      throw new EventShapeError(path, `an object of at most ${maxTotalLength} characters`, 'a longer object');
    }
    if (typeof entry !== 'string' && !(nullable && entry === null)) {
      throw new EventShapeError(pathOfKey(path, key), expected, jsonTypeOf(entry));
    }
  }
  return map;
}

/** The threat fields of an account-takeover event: each required one a string [O, PR52111; DT]. */
function checkAccountTakeOverAttributes(value: unknown): void {
  const path = 'request.userAttributes';
  const map = checkAttributes(value, path, true);
  for (const field of requiredAccountTakeOverAttributes) {
    const entry = Object.hasOwn(map, field) ? map[field] : undefined;
    shapeAt(entry, pathOfKey(path, field), 'a string', isString);
  }
}

/** Checks the ciphertext's shape and size, and never lets it into a message. */
function checkCode(value: unknown): void {
  const code = shapeAt(value, 'request.code', 'a string (base64 ciphertext)', isString);
  const { maxLength } = CustomSenderLimits.code;
  if (code.length > maxLength) {
    throw new EventShapeError('request.code', `at most ${maxLength} characters`, 'a longer string');
  }
  if (!BASE64.test(code)) {
    throw new EventShapeError('request.code', 'base64 (A-Z, a-z, 0-9, +, /, = padding)', 'another string');
  }
}

/**
 * Why the caller's ClientMetadata cannot be read as a map of strings within its bounds; `undefined` when it can
 * (or when there is none). The bounds are the metadata readers' own (shared/metadata.ts), applied by one.
 */
function ignoredClientMetadataOf(map: unknown): IgnoredClientMetadata | undefined {
  if (!isObject(map)) return undefined;
  try {
    checkClientMetadataBounds(map);
  } catch (error) {
    // The reader refuses a map only with MetadataInvalidError; anything else is a bug and must surface.
    if (!(error instanceof MetadataInvalidError)) throw error;
    return { key: error.key, reason: error.reason };
  }
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (typeof value !== 'string') {
      return { key: key.slice(0, 64), reason: `is ${jsonTypeOf(value)}, not a string` };
    }
  }
  return undefined;
}

/** Checks the request of a documented source, as its facts say it looks. */
function checkKnownRequest(request: Json, facts: CustomSenderSourceFacts): void {
  const type = shapeAt(request.type, 'request.type', 'a string', isString);
  const expectedType = requestTypeOfChannel[facts.channel];
  if (type !== expectedType) throw new EventShapeError('request.type', `"${expectedType}"`, 'another string');
  if (facts.secret === CustomSenderSecret.None) {
    // Null in the capture; not read, so a string is let through too [O, PR52111; DT].
    shapeAt(request.code, 'request.code', 'a string, null or absent', isOptionalString);
    checkAccountTakeOverAttributes(request.userAttributes);
  } else {
    checkCode(request.code);
    checkAttributes(request.userAttributes, 'request.userAttributes', false);
  }
}

/** Checks what every custom sender request has in common, loosely: the source's own shape is unknown. */
function checkUnknownRequest(request: Json): void {
  shapeAt(
    request.type,
    'request.type',
    'a string or absent',
    (value) => value === undefined || isString(value),
  );
  shapeAt(request.code, 'request.code', 'a string, null or absent', isOptionalString);
  checkAttributes(request.userAttributes, 'request.userAttributes', true);
}

/**
 * Checks a custom email or SMS sender event and says whether its source is a documented one of `channel`.
 * Accepts what real traffic carries: `clientMetadata` null or absent, `version` as a number, `callerContext`
 * fields null, fields it does not know (kept as they came), and a `response` key or none. Returns the very
 * object it was given, unless the caller's ClientMetadata had to be left out (then a copy, the original
 * untouched).
 *
 * @example
 * const parsed = parseCustomSenderEvent(raw, 'email');
 * if (parsed.kind === 'unknown-source') return; // the handler's unknown-source policy
 * if (parsed.event.triggerSource !== 'CustomEmailSender_AccountTakeOverNotification') {
 *   const plaintext = await decrypt(parsed.event.request.code);
 * }
 * @throws EventShapeError naming the first field that is not as Cognito sends it: a source of another trigger
 *   or channel is one (the function is wired to the wrong trigger).
 * @throws OptionsError when `channel` is neither `'email'` nor `'sms'`.
 */
export function parseCustomSenderEvent(
  raw: unknown,
  channel: 'email',
): CustomSenderParseResult<CustomEmailSenderEvent>;
export function parseCustomSenderEvent(
  raw: unknown,
  channel: 'sms',
): CustomSenderParseResult<CustomSMSSenderEvent>;
export function parseCustomSenderEvent<C extends CustomSenderChannel>(
  raw: unknown,
  channel: C,
): CustomSenderParseResult<CustomSenderEventOf<C>>;
export function parseCustomSenderEvent(
  raw: unknown,
  channel: CustomSenderChannel,
): CustomSenderParseResult<CustomSenderEvent> {
  const trigger = triggerNameOfChannel[channelOf(channel)];
  const event = shapeAt(raw, 'event', 'an object', isObject);
  const source = shapeAt(event.triggerSource, 'triggerSource', 'a string', isString);
  // Another trigger's source, or the other channel's, means the function is wired to the wrong trigger.
  if (!source.startsWith(`${trigger}_`)) {
    throw new EventShapeError('triggerSource', `a ${trigger}_* source`, 'another string');
  }
  checkEnvelope(event);
  const request = shapeAt(event.request, 'request', 'an object', isObject);
  const facts = customSenderFactsOf(source);
  if (facts === undefined) checkUnknownRequest(request);
  else checkKnownRequest(request, facts);
  shapeAt(
    request.clientMetadata,
    'request.clientMetadata',
    'an object, null or absent',
    (value) => value === undefined || value === null || isObject(value),
  );

  const ignoredClientMetadata = ignoredClientMetadataOf(request.clientMetadata);
  const parsed =
    ignoredClientMetadata === undefined ? event : { ...event, request: { ...request, clientMetadata: null } };
  if (facts === undefined) {
    const unknown = parsed as UnknownCustomSenderEvent;
    return ignoredClientMetadata === undefined
      ? { kind: 'unknown-source', event: unknown }
      : { kind: 'unknown-source', event: unknown, ignoredClientMetadata };
  }
  const known = parsed as CustomSenderEvent;
  return ignoredClientMetadata === undefined
    ? { kind: 'known', event: known }
    : { kind: 'known', event: known, ignoredClientMetadata };
}
