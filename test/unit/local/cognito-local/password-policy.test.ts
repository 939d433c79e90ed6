import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PasswordPolicy, UserPoolService } from '../../../../local/cognito-local/internals.js';
import { enforcePasswordPolicy, passwordProblem } from '../../../../local/cognito-local/password-policy.js';
import { anyText } from '../../../support/arbitraries.js';
import { CognitoError } from '../../../support/cognito-error.js';

const SYMBOLS = [...'^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-'];
const STRICT: PasswordPolicy = {
  MinimumLength: 8,
  RequireLowercase: true,
  RequireUppercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
};

describe('Cognito-local: passwordProblem', () => {
  it.each([
    ['shorter than the minimum', 'aA1!', 'Password not long enough'],
    ['without lowercase', 'ABCDEFG1!', 'Password must have lowercase characters'],
    ['without uppercase', 'abcdefg1!', 'Password must have uppercase characters'],
    ['without a number', 'Abcdefgh!', 'Password must have numeric characters'],
    ['without a symbol', 'Abcdefg12', 'Password must have symbol characters'],
  ])('refuses a password %s in Cognito words', (_case, password, problem) => {
    // Prepare
    const policy = STRICT;

    // Act
    const found = passwordProblem(password, policy);

    // Assess
    expect(found).toBe(problem);
  });

  it('accepts a password that meets every rule', () => {
    // Prepare
    const password = 'Correct-Horse-42';

    // Act
    const found = passwordProblem(password, STRICT);

    // Assess
    expect(found).toBeUndefined();
  });

  it('counts an inner space as a symbol, as Cognito does', () => {
    // Prepare
    const password = 'Correct Horse 42';

    // Act
    const found = passwordProblem(password, STRICT);

    // Assess
    expect(found).toBeUndefined();
  });

  it.each([
    ['leading', ' CorrectHorse42'],
    ['trailing', 'CorrectHorse42 '],
  ])('does not count a %s space as a symbol', (_case, password) => {
    // Prepare
    const policy = STRICT;

    // Act
    const found = passwordProblem(password, policy);

    // Assess
    expect(found).toBe('Password must have symbol characters');
  });

  it('counts only Basic Latin letters for the upper and lower case rules', () => {
    // Prepare
    const password = 'ÉÇÀÈ-éçàè-42';

    // Act
    const found = passwordProblem(password, STRICT);

    // Assess
    expect(found).toBe('Password must have lowercase characters');
  });

  it('defaults the minimum length to 8 and checks nothing without a policy', () => {
    // Prepare
    const seven = 'aaaaaaa';

    // Act
    const withEmptyPolicy = passwordProblem(seven, {});
    const withoutPolicy = passwordProblem('', undefined);

    // Assess
    expect(withEmptyPolicy).toBe('Password not long enough');
    expect(withoutPolicy).toBeUndefined();
  });

  it('accepts every symbol of the set Cognito lists', () => {
    // Prepare
    const symbol = fc.constantFrom(...SYMBOLS);

    // Act
    const property = fc.property(
      symbol,
      (character) => passwordProblem(`Abcdefg1${character}`, STRICT) === undefined,
    );

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });

  it('answers any input with one of its problems or none, never throwing', () => {
    // Prepare
    const problems = new Set([
      undefined,
      'Password not long enough',
      'Password must have lowercase characters',
      'Password must have uppercase characters',
      'Password must have numeric characters',
      'Password must have symbol characters',
    ]);

    // Act
    const property = fc.property(
      anyText({ maxLength: 300 }),
      fc.integer({ min: 6, max: 99 }),
      (password, min) => problems.has(passwordProblem(password, { ...STRICT, MinimumLength: min })),
    );

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });

  it('refuses any password shorter than the minimum for its length first', () => {
    // Prepare
    const short = fc.string({ maxLength: 11 });

    // Act
    const property = fc.property(
      short,
      (password) =>
        passwordProblem(password, { ...STRICT, MinimumLength: 12 }) === 'Password not long enough',
    );

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Cognito-local: enforcePasswordPolicy', () => {
  const pool = { options: { Id: 'local_Example1', Policies: { PasswordPolicy: STRICT } } } as UserPoolService;
  const checkPassword = enforcePasswordPolicy({
    cognito: { getUserPoolForClientId: async () => pool, getUserPool: async () => pool },
    errors: { CognitoError },
  });

  it("throws InvalidPasswordException with Cognito's message for a weak password", async () => {
    // Prepare
    const body = { ClientId: 'client', Username: 'jane@example.com', Password: 'weak' };

    // Act
    const error = await checkPassword({ logger: undefined }, body).catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({
      code: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
  });

  it('lets a call without a password through (ConfirmForgotPassword needs one, cognito-local says so)', async () => {
    // Prepare
    const body = { ClientId: 'client', Username: 'jane@example.com' };

    // Act
    const outcome = await checkPassword({ logger: undefined }, body);

    // Assess
    expect(outcome).toBeUndefined();
  });

  it("refuses AdminCreateUser's weak TemporaryPassword in that operation's words", async () => {
    // Prepare
    const body = {
      UserPoolId: 'local_Example1',
      Username: 'jane@example.com',
      TemporaryPassword: 'Abcdefg1',
    };

    // Act
    const error = await checkPassword({ logger: undefined }, body).catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({
      code: 'InvalidPasswordException',
      message: 'Password did not conform with password policy: Password must have symbol characters',
    });
  });

  it('keeps a TemporaryPassword that conforms to the policy', async () => {
    // Prepare
    const body = {
      UserPoolId: 'local_Example1',
      Username: 'jane@example.com',
      TemporaryPassword: 'Correct-Horse-42',
    };

    // Act
    await checkPassword({ logger: undefined }, body);

    // Assess
    expect(body.TemporaryPassword).toBe('Correct-Horse-42');
  });

  it('gives AdminCreateUser without a TemporaryPassword one that conforms to the policy', async () => {
    // Prepare
    const policy: PasswordPolicy = { ...STRICT, MinimumLength: 12 };
    const strict12 = {
      options: { Id: 'local_Example1', Policies: { PasswordPolicy: policy } },
    } as UserPoolService;
    const check = enforcePasswordPolicy({
      cognito: { getUserPoolForClientId: async () => strict12, getUserPool: async () => strict12 },
      errors: { CognitoError },
    });
    const body: Record<string, unknown> = { UserPoolId: 'local_Example1', Username: 'jane@example.com' };

    // Act
    await check({ logger: undefined }, body);

    // Assess
    expect(body.TemporaryPassword).toHaveLength(12);
    expect(passwordProblem(String(body.TemporaryPassword), policy)).toBeUndefined();
  });
});
