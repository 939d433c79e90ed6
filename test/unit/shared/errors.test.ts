import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  DeadlineExceededError,
  EventShapeError,
  MetadataInvalidError,
  SignUpFault,
  SignUpRejection,
  SignUpUnavailableError,
} from '../../../shared/errors.js';
import { Rejections } from '../../../shared/rejection-codes.js';

describe('Shared: SignUpRejection', () => {
  it('writes its message as "<CODE>: <sentence>", the text Cognito shows the user (contract §1)', () => {
    // Prepare
    const code = 'EMAIL_DOMAIN_BLOCKED';

    // Act
    const error = new SignUpRejection(code);

    // Assess
    expect(error.message).toBe('EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed.');
  });

  it('takes its sentence from the registry, in a field of its own beside the code', () => {
    // Prepare
    const code = 'INVITE_REQUIRED';

    // Act
    const error = new SignUpRejection(code);

    // Assess
    expect(error).toMatchObject({ name: 'SignUpRejection', code, sentence: Rejections.INVITE_REQUIRED });
  });

  it('keeps the cause it was given', () => {
    // Prepare
    const cause = new Error('lookup failed');

    // Act
    const error = new SignUpRejection('INVITE_REQUIRED', { cause });

    // Assess
    expect(error.cause).toBe(cause);
  });

  it('is an Error, so Lambda reports it as a function error', () => {
    // Prepare
    const error = new SignUpRejection('INVITE_REQUIRED');

    // Act
    const isError = error instanceof Error;

    // Assess
    expect(isError).toBe(true);
  });

  it.each([
    ['a code outside the registry', 'EMAIL_BLOCKED'],
    ['lower case', 'invite_required'],
    ['the empty string', ''],
    ["an Object.prototype member's name", 'toString'],
    ['SIGNUP_UNAVAILABLE, which is no decision about the user', 'SIGNUP_UNAVAILABLE'],
  ])('refuses %s', (_label, code) => {
    // Prepare
    const build = () => new SignUpRejection(code as never);

    // Act
    const act = () => build();

    // Assess
    expect(act).toThrow(TypeError);
  });

  it('declares code and sentence readonly (checked by tsc --noEmit)', () => {
    // Prepare
    const error = new SignUpRejection('INVITE_REQUIRED');
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
    expect(kept).toEqual({ code: 'INVITE_REQUIRED', sentence: Rejections.INVITE_REQUIRED });
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
      code: 'METADATA_INVALID',
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
    // No decision about the user was made: logs and shadow mode must never count it as a rejection.
    expect(error).not.toBeInstanceOf(SignUpRejection);
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
