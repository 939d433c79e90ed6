import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PasswordPolicy } from '../../../../local/cognito-local/internals.js';
import { passwordProblem } from '../../../../local/cognito-local/password-policy.js';
import { generatedTemporaryPassword } from '../../../../local/cognito-local/temporary-password.js';

const STRICT: PasswordPolicy = {
  MinimumLength: 12,
  RequireLowercase: true,
  RequireUppercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
};

describe('Cognito-local: generatedTemporaryPassword', () => {
  it('is as long as the policy asks, not the six characters cognito-local generates', () => {
    // Prepare
    const policy = STRICT;

    // Act
    const password = generatedTemporaryPassword(policy);

    // Assess
    expect(password).toHaveLength(12);
    expect(passwordProblem(password, policy)).toBeUndefined();
  });

  it("is 8 characters long under a policy without a minimum, Cognito's default", () => {
    // Prepare
    const policy: PasswordPolicy = {};

    // Act
    const password = generatedTemporaryPassword(policy);

    // Assess
    expect(password).toHaveLength(8);
  });

  it('conforms to any policy the model allows, whatever the random draws', () => {
    // Prepare
    const policies = fc.record({
      MinimumLength: fc.integer({ min: 6, max: 99 }),
      RequireLowercase: fc.boolean(),
      RequireUppercase: fc.boolean(),
      RequireNumbers: fc.boolean(),
      RequireSymbols: fc.boolean(),
    });
    const draws = fc.infiniteStream(fc.nat());

    // Act
    const property = fc.property(policies, draws, (policy, stream) => {
      const iterator = stream[Symbol.iterator]();
      const password = generatedTemporaryPassword(policy, (size) => (iterator.next().value ?? 0) % size);
      return password.length === policy.MinimumLength && passwordProblem(password, policy) === undefined;
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });

  it('holds no character that a message template, HTML or a URL would change', () => {
    // Prepare
    const policy = STRICT;

    // Act
    const passwords = Array.from({ length: 50 }, () => generatedTemporaryPassword(policy));

    // Assess
    for (const password of passwords) expect(password).toMatch(/^[A-Za-z0-9!*._~-]+$/);
  });
});
