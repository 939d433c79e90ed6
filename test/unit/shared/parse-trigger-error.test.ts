import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SignUpRejection, SignUpUnavailableError } from '../../../shared/errors.js';
import { parseTriggerError } from '../../../shared/parse-trigger-error.js';
import { type RejectionCode, Rejections } from '../../../shared/rejection-codes.js';

/** What Cognito makes of a trigger's error message (contract §1, "Your function throws"). */
function asCognitoSaysIt(trigger: string, thrownMessage: string): string {
  return `${trigger} failed with error ${thrownMessage}.`;
}

const code = fc.stringMatching(/^[A-Z][A-Z0-9_]{1,63}$/);
const trigger = fc.constantFrom('PreSignUp', 'CustomMessage', 'PostConfirmation');

describe('Shared: parseTriggerError', () => {
  it("decodes the issue's example, dropping only the period Cognito added", () => {
    // Prepare
    const message =
      'PreSignUp failed with error EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed..';

    // Act
    const info = parseTriggerError(message);

    // Assess
    expect(info).toEqual({
      trigger: 'PreSignUp',
      code: 'EMAIL_DOMAIN_BLOCKED',
      message: 'Sign-up with this email domain is not allowed.',
    });
  });

  it.each([
    [
      'a real message without a code (amplify-ui-android #314)',
      'PreSignUp failed with error Registration from this domain is not allowed..',
    ],
    [
      'a real crash message (amplify-flutter #1051)',
      'PreSignUp failed with error callback is not a function.',
    ],
    [
      'a real post confirmation crash (dabit3 #108)',
      'PostConfirmation failed with error callback is not a function.',
    ],
    [
      'a time-out (contract §1)',
      'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    ],
    ['a missing permission (contract §1)', 'PreSignUp invocation failed due to error AccessDeniedException.'],
    ['an unusable reply (contract §1)', 'Unrecognizable lambda output'],
    ['a JavaScript error name in place of a code', 'PreSignUp failed with error TypeError: x is undefined.'],
    ['a one-letter code, which SignUpRejection refuses too', 'PreSignUp failed with error E: Nope..'],
    ['an unknown trigger name', 'PreSignIn failed with error EMAIL_DOMAIN_BLOCKED: Nope..'],
    ['the empty string', ''],
  ])('returns undefined for %s', (_label, message) => {
    // Prepare (nothing beyond the message)

    // Act
    const info = parseTriggerError(message);

    // Assess
    expect(info).toBeUndefined();
  });

  it('decodes a message behind the "UserLambdaValidationException: " prefix some SDKs print', () => {
    // Prepare
    const message =
      'UserLambdaValidationException: PreSignUp failed with error INVITE_REQUIRED: Invitations only..';

    // Act
    const info = parseTriggerError(message);

    // Assess
    expect(info).toEqual({ trigger: 'PreSignUp', code: 'INVITE_REQUIRED', message: 'Invitations only.' });
  });

  it.each(['CustomMessage', 'PostConfirmation'])('decodes a %s rejection', (name) => {
    // Prepare
    const message = asCognitoSaysIt(name, new SignUpUnavailableError().message);

    // Act
    const info = parseTriggerError(message);

    // Assess
    expect(info).toEqual({
      trigger: name,
      code: 'SIGNUP_UNAVAILABLE',
      message: 'Sign-up is temporarily unavailable. Please try again later.',
    });
  });

  it('ignores white space around the whole message', () => {
    // Prepare
    const message = '  PreSignUp failed with error INVITE_REQUIRED: Invitations only..\n';

    // Act
    const info = parseTriggerError(message);

    // Assess
    expect(info?.code).toBe('INVITE_REQUIRED');
  });

  it('keeps a sentence whole when Cognito added no period', () => {
    // Prepare
    const message = 'PreSignUp failed with error INVITE_REQUIRED: Invitations only';

    // Act
    const info = parseTriggerError(message);

    // Assess
    expect(info?.message).toBe('Invitations only');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 400],
    ['an Error object', new Error('PreSignUp failed with error INVITE_REQUIRED: Invitations only..')],
    [
      'an object with a message',
      { message: 'PreSignUp failed with error INVITE_REQUIRED: Invitations only..' },
    ],
  ])('returns undefined for %s, which is not a string', (_label, value) => {
    // Prepare (nothing beyond the value)

    // Act
    const info = parseTriggerError(value);

    // Assess
    expect(info).toBeUndefined();
  });

  it('returns undefined for a message over 4096 characters, even a well-formed one', () => {
    // Prepare
    const message = asCognitoSaysIt('PreSignUp', `INVITE_REQUIRED: ${'x'.repeat(4096)}`);

    // Act
    const info = parseTriggerError(message);

    // Assess
    expect(info).toBeUndefined();
  });

  it('returns promptly for a huge string', () => {
    // Prepare
    const message = `PreSignUp failed with error ${'A'.repeat(5_000_000)}`;
    const started = performance.now();

    // Act
    const info = parseTriggerError(message);

    // Assess
    expect(info).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("gives back code and sentence of any text in the rejection format, through Cognito's wrapping", () => {
    // Prepare
    const sentence = fc.string({ unit: 'binary', maxLength: 1000 });

    // Act
    const property = fc.property(trigger, code, sentence, (name, rejectionCode, text) => {
      const info = parseTriggerError(asCognitoSaysIt(name, `${rejectionCode}: ${text}`));
      expect(info).toEqual({ trigger: name, code: rejectionCode, message: text });
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });

  it('gives back code and sentence of every rejection the toolkit throws', () => {
    // Prepare
    const registered = fc.constantFrom(
      ...(Object.keys(Rejections) as RejectionCode[]).filter((key) => key !== 'SIGNUP_UNAVAILABLE'),
    );

    // Act
    const property = fc.property(trigger, registered, (name, rejectionCode) => {
      const thrown = new SignUpRejection(rejectionCode as Exclude<RejectionCode, 'SIGNUP_UNAVAILABLE'>);
      const info = parseTriggerError(asCognitoSaysIt(name, thrown.message));
      expect(info).toEqual({ trigger: name, code: rejectionCode, message: Rejections[rejectionCode] });
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });

  it('never throws, whatever it is given', () => {
    // Prepare
    const anything = fc.oneof(
      fc.anything(),
      fc.string({ unit: 'binary' }),
      fc.tuple(trigger, fc.string()).map(([name, rest]) => `${name} failed with error ${rest}`),
    );

    // Act
    const property = fc.property(anything, (value) => {
      parseTriggerError(value);
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});
