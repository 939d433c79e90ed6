/**
 * Test builders: Cognito events in their real wire shape (contract §1–4), the pre sign-up response states,
 * a fake Lambda `Context` and the context the rules engine hands a rule.
 * Each builder clones a base event (`structuredClone`) and overrides only what a test is about, so no two
 * tests ever share an object and a test states nothing it does not care about.
 */
import type { Context } from 'aws-lambda';
import type { CustomEmailSenderCodeEvent, CustomSMSSenderEvent } from '../../shared/custom-sender/events.js';
import type {
  CallerContext,
  CustomMessageEvent,
  PostConfirmationEvent,
  PreSignUpEvent,
  PreSignUpTriggerSource,
  SignUpTriggerEvent,
  StringMap,
} from '../../shared/event-types.js';
import type { RuleContext } from '../../shared/handler-core.js';
import { invocationRecord } from '../../shared/metrics.js';

/** The e-mail address every base event carries; tests assert it never reaches a log line. */
export const testEmail = 'alice.example@example.com';

/** The `sub` of the base events' user (a UUID, as in email-as-username pools, contract §1). */
export const testSub = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

/**
 * What a test may override in an event. `request`, `response` and `callerContext` are merged one level
 * deep, so `{ request: { validationData: null } }` keeps the base `userAttributes`; a map such as
 * `userAttributes` is replaced as a whole, so a test can also take attributes away.
 */
export type EventOverrides<E extends SignUpTriggerEvent> = Partial<
  Omit<E, 'request' | 'response' | 'callerContext'>
> & {
  request?: Partial<E['request']>;
  response?: Partial<E['response']>;
  callerContext?: Partial<CallerContext>;
};

const envelope = {
  version: '1',
  region: 'us-east-1',
  userPoolId: 'us-east-1_EXAMPLE',
  userName: testSub,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789abcdefghij' },
} as const;

// A new local user: only what was submitted, no `sub` or status yet (contract §1, "Details of userAttributes").
const basePreSignUpEvent: PreSignUpEvent = {
  ...envelope,
  callerContext: { ...envelope.callerContext },
  triggerSource: 'PreSignUp_SignUp',
  request: {
    userAttributes: { email: testEmail },
    // null when the caller sent no ValidationData; clientMetadata is then absent (contract §2).
    validationData: null,
  },
  // Cognito pre-fills every flag with false (contract §1, `response`).
  response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
};

const baseCustomMessageEvent: CustomMessageEvent = {
  ...envelope,
  callerContext: { ...envelope.callerContext },
  triggerSource: 'CustomMessage_SignUp',
  request: {
    userAttributes: {
      sub: testSub,
      email: testEmail,
      email_verified: 'false',
      'cognito:user_status': 'UNCONFIRMED',
    },
    codeParameter: '{####}',
    linkParameter: '{##Click Here##}',
    // "{username}" only for CustomMessage_AdminCreateUser, null for every other source (contract §3).
    usernameParameter: null,
  },
  // null leaves the pool's own template for that channel (contract §3, Response).
  response: { smsMessage: null, emailMessage: null, emailSubject: null },
};

const basePostConfirmationEvent: PostConfirmationEvent = {
  ...envelope,
  callerContext: { ...envelope.callerContext },
  triggerSource: 'PostConfirmation_ConfirmSignUp',
  request: {
    userAttributes: {
      sub: testSub,
      email: testEmail,
      email_verified: 'true',
      'cognito:user_status': 'CONFIRMED',
    },
  },
  response: {},
};

function build<E extends SignUpTriggerEvent>(base: E, overrides: EventOverrides<E>): E {
  const { request, response, callerContext, ...envelopeOverrides } = structuredClone(overrides);
  const event = structuredClone(base);
  return {
    ...event,
    ...envelopeOverrides,
    callerContext: { ...event.callerContext, ...callerContext },
    request: { ...event.request, ...request },
    response: { ...event.response, ...response },
  };
}

/** A `PreSignUp_SignUp` event with Cognito's defaults, changed by `overrides`. */
export function preSignUpEvent(overrides: EventOverrides<PreSignUpEvent> = {}): PreSignUpEvent {
  return build(basePreSignUpEvent, overrides);
}

/**
 * A pre sign-up event from `source` carrying exactly `userAttributes`. They are assigned, not passed through
 * the builder, so an own key such as `__proto__` reaches the rule unchanged.
 */
export function preSignUpEventWith(
  userAttributes: StringMap,
  source: PreSignUpTriggerSource = 'PreSignUp_SignUp',
): PreSignUpEvent {
  const event = preSignUpEvent({ triggerSource: source });
  event.request.userAttributes = userAttributes;
  return event;
}

/** The pre sign-up `response` flags in the states the rules leave them in (contract §2, Response). */
export const preSignUpResponse = {
  /** Cognito's pre-filled defaults: nothing confirmed or verified. */
  unflagged: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  /** Confirmed, with the email left unverified. */
  confirmed: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false },
  /** Confirmed, with the email verified. */
  confirmedAndVerified: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false },
} as const;

/** A `CustomMessage_SignUp` event with Cognito's defaults, changed by `overrides`. */
export function customMessageEvent(overrides: EventOverrides<CustomMessageEvent> = {}): CustomMessageEvent {
  return build(baseCustomMessageEvent, overrides);
}

/** A `PostConfirmation_ConfirmSignUp` event, changed by `overrides`. */
export function postConfirmationEvent(
  overrides: EventOverrides<PostConfirmationEvent> = {},
): PostConfirmationEvent {
  return build(basePostConfirmationEvent, overrides);
}

function containerAt(root: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    node = (node as Record<string, unknown>)[key];
    if (typeof node !== 'object' || node === null) {
      throw new TypeError(`Test bug: ${path.join('.')} does not lead through objects`);
    }
  }
  return node as Record<string, unknown>;
}

/**
 * A copy of `event` with the field at `path` set to `value`, typed `unknown` because the result is usually
 * not a valid event any more (`withValueAt(event, ['request', 'userAttributes'], 42)`).
 */
export function withValueAt(event: object, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(event) as Record<string, unknown>;
  const last = path.at(-1);
  if (last === undefined) return value;
  // defineProperty, not assignment: a key such as `__proto__` becomes an own field, as JSON.parse makes it.
  Object.defineProperty(containerAt(copy, path), last, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** A copy of `event` without the field at `path` (`withoutKeyAt(event, ['request', 'validationData'])`). */
export function withoutKeyAt(event: object, path: readonly string[]): unknown {
  const copy = structuredClone(event) as Record<string, unknown>;
  const last = path.at(-1);
  if (last !== undefined) delete containerAt(copy, path)[last];
  return copy;
}

/** What a test may set on the fake Lambda context. */
export type LambdaContextOverrides = Partial<Omit<Context, 'getRemainingTimeInMillis'>> & {
  /** What `getRemainingTimeInMillis()` answers, on every call (a fixed number keeps tests deterministic). */
  remainingMs?: number;
};

/**
 * A fake Lambda `Context`. The deprecated callback methods (`done`, `fail`, `succeed`) throw: an async
 * handler must never call them.
 */
export function lambdaContext(overrides: LambdaContextOverrides = {}): Context {
  const { remainingMs = 5000, ...fields } = overrides;
  const functionName = fields.functionName ?? 'PreSignUpFunction';
  const deprecated = (): never => {
    throw new Error('Test: the deprecated Lambda callback API was used');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => remainingMs,
    done: deprecated,
    fail: deprecated,
    succeed: deprecated,
    ...fields,
  };
}

/**
 * What the rules engine hands a rule: a deadline `budgetMs` from now (time enough for any local call by
 * default), a signal (by default one that aborts at the deadline) and a fake Lambda context.
 */
export function ruleContext(
  budgetMs = 4000,
  signal: AbortSignal = AbortSignal.timeout(budgetMs),
): RuleContext {
  return { deadline: Date.now() + budgetMs, signal, lambda: lambdaContext(), metrics: invocationRecord() };
}

/** What a custom sender code event's request holds: `code` stands for the ciphertext. */
type CodeSenderRequest = {
  code: string;
  userAttributes: StringMap;
  clientMetadata?: StringMap | null;
};

/** The envelope fields a test may set on a custom sender event. */
type SenderEnvelope = { region?: string; userPoolId?: string; userName?: string; clientId?: string | null };

/** The envelope of the real captures (docs/custom-senders-events.md, CAP1): `callerContext.awsSdkVersion` as sent. */
function senderEnvelope<S extends string>(triggerSource: S, envelope: SenderEnvelope) {
  return {
    version: '1',
    triggerSource,
    region: envelope.region ?? 'us-east-1',
    userPoolId: envelope.userPoolId ?? 'us-east-1_EXAMPLE',
    userName: envelope.userName ?? testSub,
    callerContext: {
      awsSdkVersion: 'aws-sdk-unknown-unknown',
      clientId: envelope.clientId === undefined ? '1example23456789abcdefghij' : envelope.clientId,
    },
  };
}

/** A custom email sender event of a source with a code, in the real captures' shape. */
export function codeEmailSenderEvent(
  triggerSource: CustomEmailSenderCodeEvent['triggerSource'],
  request: CodeSenderRequest,
  envelope: SenderEnvelope = {},
): CustomEmailSenderCodeEvent {
  return {
    ...senderEnvelope(triggerSource, envelope),
    request: { type: 'customEmailSenderRequestV1', clientMetadata: null, ...request },
  };
}

/** A custom SMS sender event, in the real captures' shape. */
export function smsSenderEvent(
  triggerSource: CustomSMSSenderEvent['triggerSource'],
  request: CodeSenderRequest,
  envelope: SenderEnvelope = {},
): CustomSMSSenderEvent {
  return {
    ...senderEnvelope(triggerSource, envelope),
    request: { type: 'customSMSSenderRequestV1', clientMetadata: null, ...request },
  };
}

/**
 * A custom email sender's account-takeover notification in the shape of the real capture (no code, threat
 * fields in place of the user's attributes, `callerContext` all null), with `threat` as its attributes.
 */
export function accountTakeOverEvent<T extends Record<string, string | null>>(
  threat: T,
  envelope: { region?: string; userPoolId?: string; userName?: string } = {},
) {
  return {
    version: '1',
    triggerSource: 'CustomEmailSender_AccountTakeOverNotification' as const,
    region: envelope.region ?? 'us-east-1',
    userPoolId: envelope.userPoolId ?? 'us-east-1_EXAMPLE',
    userName: envelope.userName ?? '7f1c2a94-5b3e-4d21-9c8a-0e6f4b2d1a37',
    callerContext: { awsSdkVersion: null, clientId: null },
    request: {
      type: 'customEmailSenderRequestV1' as const,
      code: null,
      clientMetadata: null,
      userAttributes: threat,
    },
  };
}
