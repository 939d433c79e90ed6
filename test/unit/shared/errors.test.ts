import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  DeadlineExceededError,
  EventShapeError,
  MetadataInvalidError,
  RejectionCode,
  SignUpFault,
  SignUpRejection,
  SignUpUnavailableError,
} from '../../../shared/errors.js';

describe('Shared: SignUpRejection', () => {
  it('writes its message as "<CODE>: <sentence>", the text Cognito shows the user (contract §1)', () => {
    // Prepare
    const sentence = 'Sign-up with this email domain is not allowed.';

    // Act
    const error = new SignUpRejection('EMAIL_DOMAIN_BLOCKED', sentence);

    // Assess
    expect(error.message).toBe('EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed.');
  });

  it('keeps the code and the sentence in fields of their own', () => {
    // Prepare
    const sentence = 'Invitations only.';

    // Act
    const error = new SignUpRejection('INVITE_REQUIRED', sentence);

    // Assess
    expect(error).toMatchObject({ name: 'SignUpRejection', code: 'INVITE_REQUIRED', sentence });
  });

  it('keeps the cause it was given', () => {
    // Prepare
    const cause = new Error('lookup failed');

    // Act
    const error = new SignUpRejection('INVITE_REQUIRED', 'Invitations only.', { cause });

    // Assess
    expect(error.cause).toBe(cause);
  });

  it('is an Error, so Lambda reports it as a function error', () => {
    // Prepare
    const error = new SignUpRejection('INVITE_REQUIRED', 'Invitations only.');

    // Act
    const isError = error instanceof Error;

    // Assess
    expect(isError).toBe(true);
  });

  it.each([
    ['lower case', 'email_blocked'],
    ['a single character', 'E'],
    ['a leading digit', '1_BLOCKED'],
    ['a leading underscore', '_BLOCKED'],
    ['a space', 'EMAIL BLOCKED'],
    ['a colon, which would break the message format', 'EMAIL:BLOCKED'],
    ['the empty string', ''],
    ['65 characters', `A${'B'.repeat(64)}`],
  ])('refuses a code with %s', (_label, code) => {
    // Prepare
    const build = () => new SignUpRejection(code, 'Anything.');

    // Act
    const act = () => build();

    // Assess
    expect(act).toThrow(TypeError);
  });

  it('accepts a 64-character code', () => {
    // Prepare
    const code = `A${'B'.repeat(63)}`;

    // Act
    const error = new SignUpRejection(code, 'Anything.');

    // Assess
    expect(error.code).toBe(code);
  });

  it('declares code and sentence readonly (checked by tsc --noEmit)', () => {
    // Prepare
    const error = new SignUpRejection('INVITE_REQUIRED', 'Invitations only.');
    const tryToChange = (target: SignUpRejection) => {
      // @ts-expect-error: code is readonly
      target.code = 'OTHER';
      // @ts-expect-error: sentence is readonly
      target.sentence = 'Other.';
    };

    // Act
    const kept = { code: error.code, sentence: error.sentence };

    // Assess
    expect(typeof tryToChange).toBe('function');
    expect(kept).toEqual({ code: 'INVITE_REQUIRED', sentence: 'Invitations only.' });
  });
});

describe('Shared: MetadataInvalidError', () => {
  it('shows the user a fixed sentence under METADATA_INVALID, whatever the key and reason', () => {
    // Prepare
    const reason = 'is longer than 10 characters';

    // Act
    const error = new MetadataInvalidError('validationData', 'invite', reason);

    // Assess
    expect(error.message).toBe('METADATA_INVALID: The sign-up request contains invalid data.');
  });

  it('keeps source, key and reason for the logs', () => {
    // Prepare
    const cause = new Error('inner');

    // Act
    const error = new MetadataInvalidError('clientMetadata', undefined, 'has more than 50 entries', {
      cause,
    });

    // Assess
    expect(error).toMatchObject({
      name: 'MetadataInvalidError',
      code: RejectionCode.MetadataInvalid,
      source: 'clientMetadata',
      key: undefined,
      reason: 'has more than 50 entries',
      cause,
    });
    expect(error).toBeInstanceOf(SignUpRejection);
  });
});

describe('Shared: SignUpUnavailableError', () => {
  it('shows the user a generic sentence under SIGNUP_UNAVAILABLE and keeps the fault as cause', () => {
    // Prepare
    const cause = new ConfigurationError('BLOCKED_EMAIL_DOMAINS', 'a list of domains');

    // Act
    const error = new SignUpUnavailableError({ cause });

    // Assess
    expect(error).toMatchObject({
      name: 'SignUpUnavailableError',
      code: 'SIGNUP_UNAVAILABLE',
      message: 'SIGNUP_UNAVAILABLE: Sign-up is temporarily unavailable. Please try again later.',
      cause,
    });
    expect(error).toBeInstanceOf(SignUpRejection);
  });
});

describe('Shared: faults', () => {
  it('names a plain SignUpFault and keeps its cause', () => {
    // Prepare
    const cause = new Error('inner');

    // Act
    const error = new SignUpFault('Something broke', { cause });

    // Assess
    expect(error).toMatchObject({ name: 'SignUpFault', message: 'Something broke', cause });
    expect(error).not.toBeInstanceOf(SignUpRejection);
  });

  it('names the variable and the expected format in a ConfigurationError', () => {
    // Prepare
    const variable = 'MAX_ATTEMPTS';

    // Act
    const error = new ConfigurationError(variable, 'a whole number from 1 to 5');

    // Assess
    expect(error).toMatchObject({
      name: 'ConfigurationError',
      variable: 'MAX_ATTEMPTS',
      expected: 'a whole number from 1 to 5',
      message: 'Invalid configuration: MAX_ATTEMPTS must be a whole number from 1 to 5',
    });
    expect(error).toBeInstanceOf(SignUpFault);
  });

  it('names the field, the expected shape and the JSON type found in an EventShapeError', () => {
    // Prepare
    const path = 'request.userAttributes';

    // Act
    const error = new EventShapeError(path, 'an object', 'null');

    // Assess
    expect(error).toMatchObject({
      name: 'EventShapeError',
      path,
      expected: 'an object',
      found: 'null',
      message: 'Malformed event: request.userAttributes must be an object, found null',
    });
    expect(error).toBeInstanceOf(SignUpFault);
  });

  it('names the operation and its budget in a DeadlineExceededError', () => {
    // Prepare
    const cause = new Error('aborted');

    // Act
    const error = new DeadlineExceededError('invite lookup', 1200, { cause });

    // Assess
    expect(error).toMatchObject({
      name: 'DeadlineExceededError',
      operation: 'invite lookup',
      budgetMs: 1200,
      message: 'invite lookup did not finish within 1200 ms',
      cause,
    });
    expect(error).toBeInstanceOf(SignUpFault);
  });
});
