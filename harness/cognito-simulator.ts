/**
 * Cognito around a trigger: how it invokes the function (5 s per attempt, up to three attempts on time-out)
 * and how it judges the answer, so that a replay says exactly what the Cognito API caller would see.
 * Every rule names its contract section; rules the contract marks [I] are options, and their outcomes
 * carry `inferred: true`.
 */
import { COGNITO_TIMEOUT_MS } from '../shared/deadline.js';
import {
  checkMessageField,
  describeBreach,
  type EmailVerificationOption,
  type MessageBreach,
  type MessageCheckInput,
  type MessageField,
} from '../shared/message-rules.js';
import { type TriggerName, triggerNameOf } from '../shared/trigger-source.js';
import type {
  CognitoFailure,
  CognitoOutcome,
  CognitoSuccess,
  MessageChoice,
  MessageDelivery,
} from './cognito-outcome.js';
import { type InvocationResult, type Invoker, throughJson } from './invocation.js';

/** How the simulated pool is set up, and the choices made where the contract is silent or inferred. */
export type CognitoSimulationOptions = {
  /** Per-attempt wait; 5 s in Cognito (contract §6). Tests shorten it. */
  timeoutMs: number;
  /** Attempts before Cognito gives up on time-outs (contract §6: three). */
  maxAttempts: number;
  /**
   * `COGNITO_DEFAULT` pools refuse custom email bodies and subjects with InvalidLambdaResponseException
   * (contract §3 item 4).
   */
  emailSendingAccount: 'DEVELOPER' | 'COGNITO_DEFAULT';
  /** With `CONFIRM_WITH_LINK`, sign-up and resend emails must carry the link placeholder instead of the code. */
  emailVerificationOption: EmailVerificationOption;
  /**
   * An email body or subject with characters outside the service pattern: the API call failed with
   * InvalidParameterException in public reports [O] (contract §3 item 3). `default-message` models the
   * alternative reading that Cognito falls back to the pool template.
   */
  invalidCharacters: 'error' | 'default-message';
  /** After three timed-out custom message attempts: an error [O, §1] or the default message [O, unverified, §3]. */
  customMessageTimeout: 'error' | 'default-message';
};

/** The defaults: a pool that sends email through SES and verifies with a code. */
export const defaultCognitoSimulation: CognitoSimulationOptions = {
  timeoutMs: COGNITO_TIMEOUT_MS,
  maxAttempts: 3,
  emailSendingAccount: 'DEVELOPER',
  emailVerificationOption: 'CONFIRM_WITH_CODE',
  invalidCharacters: 'error',
  customMessageTimeout: 'error',
};

/** The report of one simulated API call. */
export type SimulatedCall = {
  trigger: TriggerName;
  attempts: number;
  cognito: CognitoOutcome;
  /** Every attempt's raw result, logs included. */
  invocations: InvocationResult[];
};

const UNRECOGNIZABLE: CognitoFailure = {
  outcome: 'error',
  errorType: 'InvalidLambdaResponseException',
  message: 'Unrecognizable lambda output',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality over JSON values, key order ignored. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]))
  );
}

/** The event minus its `response`: what Cognito requires back untouched (contract §1). */
function withoutResponse(event: Record<string, unknown>): Record<string, unknown> {
  const { response: _response, ...rest } = event;
  return rest;
}

function judgePreSignUp(input: Record<string, unknown>, response: Record<string, unknown>): CognitoOutcome {
  const flags = ['autoConfirmUser', 'autoVerifyEmail', 'autoVerifyPhone'] as const;
  // The flags are booleans on the wire; anything else is not a response Cognito can read [I].
  if (!flags.every((flag) => typeof response[flag] === 'boolean'))
    return { ...UNRECOGNIZABLE, inferred: true };
  const [autoConfirmUser, autoVerifyEmail, autoVerifyPhone] = flags.map(
    (flag) => response[flag] === true,
  ) as [boolean, boolean, boolean];
  const notes: string[] = [];
  if (input.triggerSource === 'PreSignUp_AdminCreateUser') {
    // Contract §2 rule 3: AdminCreateUser ignores all three flags.
    if (autoConfirmUser || autoVerifyEmail || autoVerifyPhone) {
      notes.push(
        'AdminCreateUser ignores the response flags: the user is created with a temporary password.',
      );
    }
    return {
      outcome: 'success',
      response,
      effective: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      notes,
    };
  }
  const attributes =
    isObject(input.request) && isObject(input.request.userAttributes) ? input.request.userAttributes : {};
  // Contract §2 rule 1: auto-verifying needs the attribute; the exception's name is not documented [I].
  for (const [flag, attribute] of [
    [autoVerifyEmail, 'email'],
    [autoVerifyPhone, 'phone_number'],
  ] as const) {
    const value = attributes[attribute];
    if (flag && (typeof value !== 'string' || value === '')) {
      return {
        outcome: 'error',
        errorType: 'InvalidParameterException',
        message: `Cannot auto-verify ${attribute}: the user has no ${attribute} attribute.`,
        inferred: true,
      };
    }
  }
  if (autoConfirmUser && input.triggerSource === 'PreSignUp_SignUp') {
    // Contract §2 rule 5 and rule 6 [I]; a federated user has no sign-up code to skip.
    notes.push('Auto-confirmed: no confirmation code is sent, so CustomMessage_SignUp does not run.');
    if (!autoVerifyEmail && typeof attributes.email === 'string') {
      notes.push('The email stays unverified: autoConfirmUser without autoVerifyEmail.');
    }
  }
  return {
    outcome: 'success',
    response,
    effective: { autoConfirmUser, autoVerifyEmail, autoVerifyPhone },
    notes,
  };
}

function judgeCustomMessage(
  input: Record<string, unknown>,
  response: Record<string, unknown>,
  options: CognitoSimulationOptions,
): CognitoOutcome {
  const fields: MessageField[] = ['emailMessage', 'emailSubject', 'smsMessage'];
  // Null (or left out) keeps the pool's template; anything else must be a string [I].
  if (
    !fields.every(
      (field) =>
        response[field] === undefined || response[field] === null || typeof response[field] === 'string',
    )
  ) {
    return { ...UNRECOGNIZABLE, inferred: true };
  }
  const textOf = (field: MessageField) =>
    typeof response[field] === 'string' ? (response[field] as string) : null;
  if (
    options.emailSendingAccount === 'COGNITO_DEFAULT' &&
    (textOf('emailMessage') !== null || textOf('emailSubject') !== null)
  ) {
    // Contract §3 item 4: documented as a 400 InvalidLambdaResponseException; the message text is not.
    return {
      outcome: 'error',
      errorType: 'InvalidLambdaResponseException',
      message: 'Custom email messages need EmailSendingAccount DEVELOPER (Amazon SES).',
      inferred: true,
    };
  }
  const request = isObject(input.request) ? input.request : {};
  const checkInput: MessageCheckInput = {
    triggerSource: String(input.triggerSource),
    codeParameter: typeof request.codeParameter === 'string' ? request.codeParameter : '{####}',
    usernameParameter: typeof request.usernameParameter === 'string' ? request.usernameParameter : null,
    linkParameter: typeof request.linkParameter === 'string' ? request.linkParameter : null,
  };
  const notes: string[] = [];
  const choose = (field: MessageField): MessageChoice | CognitoFailure => {
    const value = textOf(field);
    if (value === null) return 'default';
    const breaches: MessageBreach[] = checkMessageField(
      field,
      value,
      checkInput,
      options.emailVerificationOption,
    );
    if (breaches.length === 0) return 'custom';
    const empty = breaches.find((breach) => breach.rule === 'empty');
    if (empty !== undefined) {
      // amazon-cognito-identity-js #521 [O/I]: an empty message fails the call.
      return {
        outcome: 'error',
        errorType: 'InvalidParameterException',
        message: 'The message is empty.',
        inferred: true,
      };
    }
    const character = breaches.find((breach) => breach.rule === 'invalid-character');
    if (character !== undefined && options.invalidCharacters === 'error') {
      const pattern =
        field === 'emailSubject'
          ? '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s]+'
          : '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*';
      return {
        outcome: 'error',
        errorType: 'InvalidParameterException',
        message: `1 validation error detected: Value at '${field === 'emailSubject' ? 'emailSubject' : 'emailBody'}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
      };
    }
    for (const breach of breaches)
      notes.push(`Cognito sends its default message: ${describeBreach(field, breach)}.`);
    return 'default';
  };
  const delivery: Partial<MessageDelivery> = {};
  for (const [field, channel] of [
    ['emailMessage', 'email'],
    ['emailSubject', 'emailSubject'],
    ['smsMessage', 'sms'],
  ] as const) {
    const choice = choose(field);
    if (typeof choice === 'object') return choice;
    delivery[channel] = choice;
  }
  return { outcome: 'success', response, delivery: delivery as MessageDelivery, notes };
}

/**
 * What the caller sees after one attempt that returned or threw. Time-outs are handled by {@link simulateCognitoCall}.
 */
export function judgeAnswer(
  trigger: TriggerName,
  input: unknown,
  result: Exclude<InvocationResult, { kind: 'timeout' }>,
  options: CognitoSimulationOptions = defaultCognitoSimulation,
): CognitoOutcome {
  if (result.kind === 'threw') {
    // Contract §1: "<Trigger> failed with error <message>." — Cognito adds the period. For custom message the
    // format is inferred by analogy (contract §3 item 3).
    return {
      outcome: 'error',
      errorType: 'UserLambdaValidationException',
      message: `${trigger} failed with error ${result.errorMessage}.`,
      ...(trigger === 'CustomMessage' ? { inferred: true } : {}),
    };
  }
  const sent = throughJson(input);
  const answer = result.value;
  // Contract §1: the same object back, changed only inside `response`.
  if (!isObject(sent) || !isObject(answer) || !isObject(answer.response)) return UNRECOGNIZABLE;
  if (!jsonEqual(withoutResponse(sent), withoutResponse(answer))) return UNRECOGNIZABLE;
  const response = answer.response;
  switch (trigger) {
    case 'PreSignUp':
      return judgePreSignUp(sent, response);
    case 'CustomMessage':
      return judgeCustomMessage(sent, response, options);
    case 'PostConfirmation':
      return { outcome: 'success', response, notes: [] } satisfies CognitoSuccess;
  }
}

/** The trigger an event belongs to, from its `triggerSource`. */
export function triggerOfEvent(event: unknown): TriggerName {
  const source = isObject(event) ? event.triggerSource : undefined;
  const trigger = typeof source === 'string' ? triggerNameOf(source) : undefined;
  if (trigger === undefined)
    throw new TypeError(
      'The event has no sign-up triggerSource (PreSignUp_*, CustomMessage_*, PostConfirmation_*)',
    );
  return trigger;
}

/**
 * One API call as Cognito makes it: invoke, wait `timeoutMs`, retry time-outs up to `maxAttempts`, judge the
 * answer. A thrown error is not retried (contract §6).
 */
export async function simulateCognitoCall(
  invoker: Invoker,
  event: unknown,
  options: Partial<CognitoSimulationOptions> = {},
  // An event without a triggerSource (one of AWS's `{ request, response }` test events) names none.
  trigger: TriggerName = triggerOfEvent(event),
): Promise<SimulatedCall> {
  const settings = { ...defaultCognitoSimulation, ...options };
  const invocations: InvocationResult[] = [];
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt += 1) {
    const result = await invoker.invoke(event, settings.timeoutMs);
    invocations.push(result);
    if (result.kind !== 'timeout') {
      return {
        trigger,
        attempts: attempt,
        cognito: judgeAnswer(trigger, event, result, settings),
        invocations,
      };
    }
  }
  if (trigger === 'CustomMessage' && settings.customMessageTimeout === 'default-message') {
    return {
      trigger,
      attempts: settings.maxAttempts,
      cognito: {
        outcome: 'success',
        response: { smsMessage: null, emailMessage: null, emailSubject: null },
        delivery: { email: 'default', emailSubject: 'default', sms: 'default' },
        notes: ['Every attempt timed out: Cognito sends its default message (reported, unverified).'],
      },
      invocations,
    };
  }
  return {
    trigger,
    attempts: settings.maxAttempts,
    cognito: {
      outcome: 'error',
      errorType: 'UnexpectedLambdaException',
      message: `${trigger} invocation failed due to error Socket timeout while invoking Lambda function.`,
    },
    invocations,
  };
}
