import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  preSignUpForAdminCreateUser,
  submittedAttributesOf,
} from '../../../../local/cognito-local/admin-create-user-pre-sign-up.js';
import type { Json, UserPoolService } from '../../../../local/cognito-local/internals.js';
import { anyText, prototypeKeys } from '../../../support/arbitraries.js';

function poolWith(existing: boolean): UserPoolService {
  return {
    options: { Id: 'local_Example1', UsernameAttributes: ['email'] },
    getUserByUsername: async () => (existing ? { Username: 'someone', Attributes: [] } : null),
    saveUser: async () => undefined,
  };
}

describe('Cognito-local: submittedAttributesOf', () => {
  it('keeps the entries with a string name and value', () => {
    // Prepare
    const submitted = [
      { Name: 'email', Value: 'jane@example.com' },
      { Name: 'name' },
      null,
      { Name: 7, Value: 'x' },
    ];

    // Act
    const attributes = submittedAttributesOf(submitted);

    // Assess
    expect(attributes).toEqual({ email: 'jane@example.com' });
  });

  it('reads any client input without throwing or touching Object.prototype', () => {
    // Prepare
    const name = fc.oneof(fc.constantFrom(...prototypeKeys), anyText({ maxLength: 20 }));
    const entry = fc.oneof(fc.record({ Name: name, Value: anyText({ maxLength: 20 }) }), fc.anything());
    const input = fc.oneof(fc.array(entry, { maxLength: 8 }), fc.anything());

    // Act
    const property = fc.property(input, (submitted) => {
      const attributes = submittedAttributesOf(submitted);
      return (
        Object.getPrototypeOf(attributes) === Object.prototype &&
        Object.values(attributes).every((value) => typeof value === 'string') &&
        Object.keys(Object.prototype).length === 0
      );
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Cognito-local: preSignUpForAdminCreateUser', () => {
  it('runs PreSignUp_AdminCreateUser with the admin client id and the email taken from the user name', async () => {
    // Prepare
    const calls: Json[] = [];
    const runPreSignUp = preSignUpForAdminCreateUser({
      cognito: { getUserPool: async () => poolWith(false) },
      triggers: { enabled: () => true, preSignUp: async (_ctx, params) => calls.push(params) },
    });

    // Act
    await runPreSignUp({ logger: undefined }, { UserPoolId: 'local_Example1', Username: 'jane@example.com' });

    // Assess
    expect(calls).toEqual([
      {
        clientId: 'CLIENT_ID_NOT_APPLICABLE',
        clientMetadata: undefined,
        source: 'PreSignUp_AdminCreateUser',
        userAttributes: [{ Name: 'email', Value: 'jane@example.com' }],
        username: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userPoolId: 'local_Example1',
      },
    ]);
  });

  it('runs no trigger for an existing user (the call fails with UsernameExistsException first)', async () => {
    // Prepare
    const calls: Json[] = [];
    const runPreSignUp = preSignUpForAdminCreateUser({
      cognito: { getUserPool: async () => poolWith(true) },
      triggers: { enabled: () => true, preSignUp: async (_ctx, params) => calls.push(params) },
    });

    // Act
    await runPreSignUp({ logger: undefined }, { UserPoolId: 'local_Example1', Username: 'jane@example.com' });

    // Assess
    expect(calls).toEqual([]);
  });
});
