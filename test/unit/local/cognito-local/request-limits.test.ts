import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  enforceRequestLimits,
  requestLimitProblems,
  validationMessageOf,
} from '../../../../local/cognito-local/request-limits.js';

class InvalidParameterError extends Error {
  public readonly code = 'InvalidParameterException';
}

/** Within every limit of the model (contract §5): a name the pattern accepts, values under their maxima. */
const withinLimits = fc.record({
  Username: fc.stringMatching(/^[a-z0-9.@_+-]{1,128}$/),
  Password: fc.stringMatching(/^[!-~]{0,256}$/),
  UserAttributes: fc.array(
    fc.record({ Name: fc.stringMatching(/^[a-z:_]{1,32}$/), Value: fc.string({ maxLength: 2048 }) }),
    { maxLength: 4 },
  ),
  ValidationData: fc.array(
    fc.record({ Name: fc.stringMatching(/^[a-z _]{1,32}$/), Value: fc.string({ maxLength: 2048 }) }),
    { maxLength: 4 },
  ),
  ClientMetadata: fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 200 }), { maxKeys: 4 }),
});

describe('Cognito-local: requestLimitProblems', () => {
  it('finds nothing in a request within every limit of the model', () => {
    fc.assert(
      fc.property(withinLimits, (body) => {
        // Act
        const problems = requestLimitProblems(body);

        // Assess
        expect(problems).toEqual([]);
      }),
    );
  });

  it.each([
    [
      'Username',
      { Username: 'u'.repeat(129) },
      "Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
    ],
    [
      'Username',
      { Username: '' },
      "Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'Username',
      { Username: 'jane doe' },
      "Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    ],
    [
      'Password',
      { Password: 'p'.repeat(257) },
      "Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256",
    ],
    [
      'Password',
      { Password: 'two words' },
      "Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+",
    ],
    [
      'ConfirmationCode',
      { ConfirmationCode: '' },
      "Value '' at 'confirmationCode' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'a ValidationData name',
      { ValidationData: [{ Name: 'n'.repeat(33), Value: 'v' }] },
      `Value '${'n'.repeat(33)}' at 'validationData.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 32`,
    ],
    [
      'a user attribute value',
      {
        UserAttributes: [
          { Name: 'email', Value: 'e' },
          { Name: 'name', Value: 'v'.repeat(2049) },
        ],
      },
      "Value at 'userAttributes.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 2048",
    ],
  ])("names %s over its limit in the model's words, without a sensitive value", (_member, body, expected) => {
    // Act
    const problems = requestLimitProblems(body);

    // Assess
    expect(problems).toEqual([expected]);
  });

  it('reads the patterns as Java does: a non-breaking space is no whitespace to [\\S]+ (contract §3 item 3)', () => {
    // Prepare
    const body = { Password: 'Correct\u00a0Horse-42' };

    // Act
    const problems = requestLimitProblems(body);

    // Assess
    expect(problems).toEqual([]);
  });

  it('counts characters, not UTF-16 units: 128 emoji make a valid user name', () => {
    // Prepare
    const body = { Username: '😀'.repeat(128) };

    // Act
    const problems = requestLimitProblems(body);

    // Assess
    expect(problems).toEqual([]);
  });
});

describe('Cognito-local: validationMessageOf and enforceRequestLimits', () => {
  it('counts the problems and joins them as AWS does', () => {
    // Prepare
    const problems = ['first', 'second'];

    // Act
    const one = validationMessageOf(['first']);
    const two = validationMessageOf(problems);

    // Assess
    expect(one).toBe('1 validation error detected: first');
    expect(two).toBe('2 validation errors detected: first; second');
  });

  it('refuses a request over a limit with InvalidParameterException and lets one within them through', () => {
    // Prepare
    const checkLimits = enforceRequestLimits({ InvalidParameterError });

    // Act
    const refused = () => checkLimits({ Username: 'jane@example.com', Password: 'p'.repeat(257) });
    const accepted = () => checkLimits({ Username: 'jane@example.com', Password: 'Correct-Horse-42' });

    // Assess
    expect(refused).toThrow(InvalidParameterError);
    expect(refused).toThrow(
      "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256",
    );
    expect(accepted).not.toThrow();
  });
});
