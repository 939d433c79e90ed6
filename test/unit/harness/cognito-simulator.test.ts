import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulateCognitoCall } from '../../../harness/cognito-simulator.js';
import { inProcessInvoker } from '../../../harness/in-process-invoker.js';
import type { CustomMessageEvent, PreSignUpEvent } from '../../../shared/event-types.js';

function recorded<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../../../events/${file}`, import.meta.url), 'utf8')) as T;
}

const signUp = recorded<PreSignUpEvent>('pre-sign-up/sign-up.validation-data-null.json');
const adminCreateUser = recorded<PreSignUpEvent>(
  'pre-sign-up/admin-create-user.client-id-not-applicable.json',
);
const codeMessage = recorded<CustomMessageEvent>('custom-message/sign-up.email-code.json');
const invitation = recorded<CustomMessageEvent>('custom-message/admin-create-user.invitation.json');

/** A handler that answers with the event after `change` ran on it. */
function answering<E>(change: (event: E) => void) {
  return inProcessInvoker(async (event: never) => {
    change(event as E);
    return event;
  });
}

function messageReply(response: Partial<CustomMessageEvent['response']>) {
  return answering<CustomMessageEvent>((event) => {
    Object.assign(event.response, response);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Harness: simulateCognitoCall, common rules (contract §1, §6)', () => {
  it('passes the event back untouched as Cognito default behaviour', async () => {
    // Prepare
    const invoker = answering<PreSignUpEvent>(() => {});

    // Act
    const call = await simulateCognitoCall(invoker, signUp);

    // Assess
    expect(call.cognito).toEqual({
      outcome: 'success',
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      effective: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      notes: [],
    });
    expect(call.attempts).toBe(1);
  });

  it('wraps a thrown message as UserLambdaValidationException with Cognito’s extra period', async () => {
    // Prepare
    const invoker = inProcessInvoker(async () => {
      throw new Error('EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed.');
    });

    // Act
    const call = await simulateCognitoCall(invoker, signUp);

    // Assess
    expect(call.cognito).toEqual({
      outcome: 'error',
      errorType: 'UserLambdaValidationException',
      message:
        'PreSignUp failed with error EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed..',
    });
  });

  it('does not retry a thrown error', async () => {
    // Prepare
    let calls = 0;
    const invoker = inProcessInvoker(async () => {
      calls += 1;
      throw new Error('nope');
    });

    // Act
    const call = await simulateCognitoCall(invoker, signUp);

    // Assess
    expect([call.attempts, calls]).toEqual([1, 1]);
  });

  it('marks a thrown custom message error as inferred', async () => {
    // Prepare
    const invoker = inProcessInvoker(async () => {
      throw new Error('boom');
    });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage);

    // Assess
    expect(call.cognito).toMatchObject({
      outcome: 'error',
      message: 'CustomMessage failed with error boom.',
      inferred: true,
    });
  });

  it('answers Unrecognizable lambda output when a field outside response changed', async () => {
    // Prepare
    const invoker = answering<PreSignUpEvent>((event) => {
      event.userName = 'someone-else';
    });

    // Act
    const call = await simulateCognitoCall(invoker, signUp);

    // Assess
    expect(call.cognito).toEqual({
      outcome: 'error',
      errorType: 'InvalidLambdaResponseException',
      message: 'Unrecognizable lambda output',
    });
  });

  it('answers Unrecognizable lambda output when the request was rewritten', async () => {
    // Prepare
    const invoker = answering<PreSignUpEvent>((event) => {
      event.request.userAttributes.email = 'other@example.com';
    });

    // Act
    const call = await simulateCognitoCall(invoker, signUp);

    // Assess
    expect(call.cognito).toMatchObject({ errorType: 'InvalidLambdaResponseException' });
  });

  it('answers Unrecognizable lambda output when the handler returns nothing', async () => {
    // Prepare
    const invoker = inProcessInvoker(async () => undefined);

    // Act
    const call = await simulateCognitoCall(invoker, signUp);

    // Assess
    expect(call.cognito).toMatchObject({ errorType: 'InvalidLambdaResponseException' });
  });

  it('accepts the event back with its keys in another order', async () => {
    // Prepare
    const invoker = inProcessInvoker(async (event: never) => {
      const { response, request, ...rest } = event as PreSignUpEvent;
      return { response, ...rest, request };
    });

    // Act
    const call = await simulateCognitoCall(invoker, signUp);

    // Assess
    expect(call.cognito.outcome).toBe('success');
  });

  it('retries a time-out up to three attempts, then answers UnexpectedLambdaException', async () => {
    // Prepare
    let sideEffects = 0;
    const invoker = inProcessInvoker(async (event: never) => {
      sideEffects += 1;
      await sleep(200);
      return event;
    });

    // Act
    const call = await simulateCognitoCall(invoker, signUp, { timeoutMs: 20 });

    // Assess
    expect(call.attempts).toBe(3);
    expect(sideEffects).toBe(3);
    expect(call.cognito).toEqual({
      outcome: 'error',
      errorType: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    });
  });

  it('succeeds on the second attempt when only the first one timed out', async () => {
    // Prepare
    let calls = 0;
    const invoker = inProcessInvoker(async (event: never) => {
      calls += 1;
      if (calls === 1) await sleep(200);
      return event;
    });

    // Act
    const call = await simulateCognitoCall(invoker, signUp, { timeoutMs: 40 });

    // Assess
    expect([call.attempts, call.cognito.outcome]).toEqual([2, 'success']);
  });

  it('reports the default message after custom message time-outs when so configured', async () => {
    // Prepare
    const invoker = inProcessInvoker(async (event: never) => {
      await sleep(200);
      return event;
    });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage, {
      timeoutMs: 10,
      customMessageTimeout: 'default-message',
    });

    // Assess
    expect(call.cognito).toMatchObject({
      outcome: 'success',
      delivery: { email: 'default', emailSubject: 'default', sms: 'default' },
    });
  });
});

describe('Harness: simulateCognitoCall, pre sign-up rules (contract §2)', () => {
  it('refuses autoVerifyEmail for a user without an email (rule 1)', async () => {
    // Prepare
    const phoneOnly = structuredClone(signUp);
    phoneOnly.request.userAttributes = { phone_number: '+15555550100' };
    const invoker = answering<PreSignUpEvent>((event) => {
      event.response.autoVerifyEmail = true;
    });

    // Act
    const call = await simulateCognitoCall(invoker, phoneOnly);

    // Assess
    expect(call.cognito).toMatchObject({
      outcome: 'error',
      errorType: 'InvalidParameterException',
      inferred: true,
    });
  });

  it('refuses autoVerifyPhone for a user without a phone number (rule 1)', async () => {
    // Prepare
    const invoker = answering<PreSignUpEvent>((event) => {
      event.response.autoVerifyPhone = true;
    });

    // Act
    const call = await simulateCognitoCall(invoker, signUp);

    // Assess
    expect(call.cognito).toMatchObject({ outcome: 'error', errorType: 'InvalidParameterException' });
  });

  it('ignores every flag on AdminCreateUser (rule 3)', async () => {
    // Prepare
    const invoker = answering<PreSignUpEvent>((event) => {
      event.response.autoConfirmUser = true;
      event.response.autoVerifyEmail = true;
    });

    // Act
    const call = await simulateCognitoCall(invoker, adminCreateUser);

    // Assess
    expect(call.cognito).toMatchObject({
      outcome: 'success',
      effective: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      notes: ['AdminCreateUser ignores the response flags: the user is created with a temporary password.'],
    });
  });

  it('notes that auto-confirming skips the code message and leaves the email unverified (rule 5)', async () => {
    // Prepare
    const invoker = answering<PreSignUpEvent>((event) => {
      event.response.autoConfirmUser = true;
    });

    // Act
    const call = await simulateCognitoCall(invoker, signUp);

    // Assess
    expect(call.cognito).toMatchObject({
      outcome: 'success',
      effective: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false },
      notes: [
        'Auto-confirmed: no confirmation code is sent, so CustomMessage_SignUp does not run.',
        'The email stays unverified: autoConfirmUser without autoVerifyEmail.',
      ],
    });
  });

  it('treats a flag that is not a boolean as unreadable output', async () => {
    // Prepare
    const invoker = answering<PreSignUpEvent>((event) => {
      (event.response as Record<string, unknown>).autoConfirmUser = 'true';
    });

    // Act
    const call = await simulateCognitoCall(invoker, signUp);

    // Assess
    expect(call.cognito).toMatchObject({ errorType: 'InvalidLambdaResponseException', inferred: true });
  });
});

describe('Harness: simulateCognitoCall, custom message rules (contract §3)', () => {
  const code = '{####}';

  it('sends a valid custom email, subject and SMS', async () => {
    // Prepare
    const invoker = messageReply({
      emailMessage: `<p>Your code is ${code}</p>`,
      emailSubject: 'Your code',
      smsMessage: `Code: ${code}`,
    });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage);

    // Assess
    expect(call.cognito).toMatchObject({
      outcome: 'success',
      delivery: { email: 'custom', emailSubject: 'custom', sms: 'custom' },
      notes: [],
    });
  });

  it('falls back to the default email when the code placeholder is missing (item 1)', async () => {
    // Prepare
    const invoker = messageReply({ emailMessage: '<p>Welcome aboard, friend</p>' });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage);

    // Assess
    expect(call.cognito).toMatchObject({
      outcome: 'success',
      delivery: { email: 'default' },
      notes: ['Cognito sends its default message: emailMessage does not contain the placeholder {####}.'],
    });
  });

  it('falls back to the default invitation when the username placeholder is missing (item 1)', async () => {
    // Prepare
    const invoker = messageReply({ emailMessage: `Your temporary password is ${code}` });

    // Act
    const call = await simulateCognitoCall(invoker, invitation);

    // Assess
    expect(call.cognito).toMatchObject({ delivery: { email: 'default' } });
  });

  it('sends an invitation that carries both placeholders (item 1)', async () => {
    // Prepare
    const invoker = messageReply({ emailMessage: `User {username}, password ${code}` });

    // Act
    const call = await simulateCognitoCall(invoker, invitation);

    // Assess
    expect(call.cognito).toMatchObject({ delivery: { email: 'custom' } });
  });

  it('falls back to the default email above 20,000 characters (item 2)', async () => {
    // Prepare
    const invoker = messageReply({ emailMessage: `${code}${'x'.repeat(20_000)}` });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage);

    // Assess
    expect(call.cognito).toMatchObject({
      delivery: { email: 'default' },
      notes: ['Cognito sends its default message: emailMessage has 20006 characters, more than 20000.'],
    });
  });

  it('sends an email of exactly 20,000 characters (item 2)', async () => {
    // Prepare
    const invoker = messageReply({ emailMessage: `${code}${'x'.repeat(20_000 - code.length)}` });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage);

    // Assess
    expect(call.cognito).toMatchObject({ delivery: { email: 'custom' } });
  });

  it('falls back to the default SMS above 140 characters (item 2)', async () => {
    // Prepare
    const invoker = messageReply({ smsMessage: `${code} ${'y'.repeat(140)}` });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage);

    // Assess
    expect(call.cognito).toMatchObject({ delivery: { sms: 'default', email: 'default' } });
  });

  it('falls back to the default subject above 140 characters (item 2)', async () => {
    // Prepare
    const invoker = messageReply({ emailSubject: 's'.repeat(141) });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage);

    // Assess
    expect(call.cognito).toMatchObject({ delivery: { emailSubject: 'default' } });
  });

  it('fails the call for a non-breaking space in the email body (item 3)', async () => {
    // Prepare
    const invoker = messageReply({ emailMessage: `Your code:\u00a0${code}` });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage);

    // Assess
    expect(call.cognito).toMatchObject({ outcome: 'error', errorType: 'InvalidParameterException' });
  });

  it('reports the default message for bad characters when so configured (item 3)', async () => {
    // Prepare
    const invoker = messageReply({ emailSubject: 'Hello\u0007' });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage, { invalidCharacters: 'default-message' });

    // Assess
    expect(call.cognito).toMatchObject({
      delivery: { emailSubject: 'default' },
      notes: [
        'Cognito sends its default message: emailSubject contains U+0007, outside the characters Cognito allows.',
      ],
    });
  });

  it('fails the call for an empty message', async () => {
    // Prepare
    const invoker = messageReply({ smsMessage: '' });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage);

    // Assess
    expect(call.cognito).toEqual({
      outcome: 'error',
      errorType: 'InvalidParameterException',
      message: 'The message is empty.',
      inferred: true,
    });
  });

  it('refuses custom email in a pool that sends with COGNITO_DEFAULT (item 4)', async () => {
    // Prepare
    const invoker = messageReply({ emailSubject: 'Your code' });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage, { emailSendingAccount: 'COGNITO_DEFAULT' });

    // Assess
    expect(call.cognito).toMatchObject({
      outcome: 'error',
      errorType: 'InvalidLambdaResponseException',
      inferred: true,
    });
  });

  it('lets a COGNITO_DEFAULT pool send a custom SMS (item 4)', async () => {
    // Prepare
    const invoker = messageReply({ smsMessage: `Code ${code}` });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage, { emailSendingAccount: 'COGNITO_DEFAULT' });

    // Assess
    expect(call.cognito).toMatchObject({ delivery: { sms: 'custom', email: 'default' } });
  });

  it('needs the link placeholder in a link-verifying pool', async () => {
    // Prepare
    const invoker = messageReply({ emailMessage: `Code ${code}` });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage, {
      emailVerificationOption: 'CONFIRM_WITH_LINK',
    });

    // Assess
    expect(call.cognito).toMatchObject({
      delivery: { email: 'default' },
      notes: [
        'Cognito sends its default message: emailMessage does not contain the placeholder {##Click Here##}.',
      ],
    });
  });

  it('treats a message field that is not a string as unreadable output', async () => {
    // Prepare
    const invoker = answering<CustomMessageEvent>((event) => {
      (event.response as Record<string, unknown>).smsMessage = 42;
    });

    // Act
    const call = await simulateCognitoCall(invoker, codeMessage);

    // Assess
    expect(call.cognito).toMatchObject({ errorType: 'InvalidLambdaResponseException', inferred: true });
  });
});
