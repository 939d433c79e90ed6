import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppClient, User, UserPoolService } from '../../../../local/cognito-local/internals.js';
import { maskDestination } from '../../../../local/cognito-local/mask-destination.js';
import {
  preventUserExistenceErrors,
  simulatedDeliveryOf,
  simulatedMediumOf,
} from '../../../../local/cognito-local/prevent-user-existence-errors.js';
import { anyText } from '../../../support/arbitraries.js';

const POOL: UserPoolService['options'] = {
  Id: 'local_Example1',
  AutoVerifiedAttributes: ['email'],
  UsernameAttributes: ['email'],
};

const JANE: User = {
  Username: 'sub-1',
  UserStatus: 'UNCONFIRMED',
  Attributes: [{ Name: 'email', Value: 'jane@example.com' }],
};

describe('Cognito-local: simulatedMediumOf', () => {
  it.each([
    ['nobody@example.com', ['email'], 'EMAIL'],
    ['nobody', ['email'], 'EMAIL'],
    ['+14155554567', ['email'], 'EMAIL'],
    ['+14155554567', ['phone_number'], 'SMS'],
    ['+14155554567', ['email', 'phone_number'], 'SMS'],
    ['+14155554567', [], 'SMS'],
    ['nobody@example.com', ['phone_number'], 'SMS'],
    ['nobody@example.com', [], 'EMAIL'],
    ['nobody', [], 'EMAIL'],
  ])('names %j on a pool verifying %j by %s', (username, verified, medium) => {
    // Prepare
    const autoVerified = verified;

    // Act
    const simulated = simulatedMediumOf(username, autoVerified);

    // Assess
    expect(simulated.DeliveryMedium).toBe(medium);
    expect(simulated.AttributeName).toBe(medium === 'SMS' ? 'phone_number' : 'email');
  });
});

describe('Cognito-local: simulatedDeliveryOf', () => {
  it('names an email user name itself, so its masked form is what a user with that address gets', () => {
    // Prepare
    const username = 'nobody@example.com';

    // Act
    const details = simulatedDeliveryOf(username, POOL);

    // Assess
    expect(details).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: username });
  });

  it('names a phone user name itself on a pool that verifies phone numbers', () => {
    // Prepare
    const pool = { ...POOL, AutoVerifiedAttributes: ['phone_number'] };

    // Act
    const details = simulatedDeliveryOf('+14155554567', pool);

    // Assess
    expect(details).toEqual({
      AttributeName: 'phone_number',
      DeliveryMedium: 'SMS',
      Destination: '+14155554567',
    });
  });

  it('makes up an address of the medium for any other user name, the same at every call', () => {
    fc.assert(
      fc.property(
        anyText({ maxLength: 60 }),
        fc.constantFrom('email', 'phone_number'),
        (username, verified) => {
          // Prepare
          const pool = { ...POOL, AutoVerifiedAttributes: [verified] };

          // Act
          const first = simulatedDeliveryOf(username, pool);
          const again = simulatedDeliveryOf(username, pool);

          // Assess
          expect(again).toEqual(first);
          if (first.Destination !== username) {
            expect(first.Destination).toMatch(
              first.DeliveryMedium === 'SMS' ? /^\+1555\d{7}$/ : /^[a-z]@[a-z]\.example$/,
            );
          }
        },
      ),
    );
  });

  it('makes up addresses that differ between user names', () => {
    // Prepare
    const names = Array.from({ length: 50 }, (_, index) => `user-${index}`);

    // Act
    const masked = new Set(
      names.map((name) => {
        const details = simulatedDeliveryOf(name, POOL);
        return maskDestination(details.Destination, details.DeliveryMedium);
      }),
    );

    // Assess
    expect(masked.size).toBeGreaterThan(10);
  });
});

class CognitoError extends Error {
  public constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
class InvalidParameterError extends CognitoError {
  public constructor(message = 'Invalid parameter') {
    super('InvalidParameterException', message);
  }
}
const ERRORS = { CognitoError, InvalidParameterError };

const VERIFIED_JANE: User = {
  ...JANE,
  UserStatus: 'CONFIRMED',
  Attributes: [...JANE.Attributes, { Name: 'email_verified', Value: 'true' }],
};
const DISABLED_JANE: User = { ...VERIFIED_JANE, Enabled: false };

/** The correction over a pool holding `user` as jane@example.com (sub-1), behind a client with `client`. */
function correctionWith(client: AppClient | null, user: User = VERIFIED_JANE) {
  const pool: UserPoolService = {
    options: POOL,
    getUserByUsername: async (_ctx, username) =>
      username === 'jane@example.com' || username === 'sub-1' ? structuredClone(user) : null,
    saveUser: async () => undefined,
  };
  return preventUserExistenceErrors({
    cognito: { getAppClient: async () => client, getUserPoolForClientId: async () => pool },
    errors: ERRORS,
  });
}

const ENABLED = { PreventUserExistenceErrors: 'ENABLED' };
const LEGACY = { PreventUserExistenceErrors: 'LEGACY' };
const CTX = { logger: undefined };
const MADE_UP_FOR = (address: string) => ({
  CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: address },
});

describe('Cognito-local: preventUserExistenceErrors', () => {
  it.each([
    ['ForgotPassword', 'an unknown user', VERIFIED_JANE, 'nobody@example.com'],
    ['ForgotPassword', 'a disabled user', DISABLED_JANE, 'jane@example.com'],
    ['ForgotPassword', 'a user without a verified address', JANE, 'jane@example.com'],
    ['ResendConfirmationCode', 'an unknown user', JANE, 'nobody@example.com'],
    ['ResendConfirmationCode', 'a disabled user', { ...JANE, Enabled: false }, 'jane@example.com'],
  ])(
    'under ENABLED answers %s for %s with made-up CodeDeliveryDetails (contract §5b)',
    async (operation, _label, user, username) => {
      // Prepare
      const answerUnknownUser = correctionWith(ENABLED, user);

      // Act
      const answer = await answerUnknownUser(CTX, operation, { ClientId: 'client-1', Username: username });

      // Assess
      expect(answer).toEqual(MADE_UP_FOR(username));
    },
  );

  it.each([
    ['an unknown user', VERIFIED_JANE, 'nobody@example.com'],
    ['a disabled user', DISABLED_JANE, 'jane@example.com'],
  ])(
    'under ENABLED answers ConfirmForgotPassword for %s with CodeMismatchException (contract §5b)',
    async (_label, user, username) => {
      // Prepare
      const answerUnknownUser = correctionWith(ENABLED, user);

      // Act
      const answering = answerUnknownUser(CTX, 'ConfirmForgotPassword', {
        ClientId: 'client-1',
        Username: username,
      });

      // Assess
      await expect(answering).rejects.toMatchObject({
        code: 'CodeMismatchException',
        message: 'Invalid verification code provided, please try again.',
      });
    },
  );

  it.each([
    [
      'ForgotPassword for a verified user under ENABLED',
      ENABLED,
      VERIFIED_JANE,
      'ForgotPassword',
      'jane@example.com',
    ],
    ['ForgotPassword by internal name', ENABLED, VERIFIED_JANE, 'ForgotPassword', 'sub-1'],
    [
      'ResendConfirmationCode for a known user under ENABLED',
      ENABLED,
      JANE,
      'ResendConfirmationCode',
      'jane@example.com',
    ],
    [
      'ConfirmForgotPassword for a known user under ENABLED',
      ENABLED,
      VERIFIED_JANE,
      'ConfirmForgotPassword',
      'jane@example.com',
    ],
    [
      'ForgotPassword for an unknown user under LEGACY',
      LEGACY,
      VERIFIED_JANE,
      'ForgotPassword',
      'nobody@example.com',
    ],
    [
      'ForgotPassword for a disabled user under LEGACY',
      LEGACY,
      DISABLED_JANE,
      'ForgotPassword',
      'jane@example.com',
    ],
    [
      'ConfirmForgotPassword for an unknown user under LEGACY',
      LEGACY,
      VERIFIED_JANE,
      'ConfirmForgotPassword',
      'nobody@example.com',
    ],
    [
      'ForgotPassword for an unknown user of a client without the setting',
      {},
      VERIFIED_JANE,
      'ForgotPassword',
      'nobody@example.com',
    ],
    ['ForgotPassword of an unknown client', null, VERIFIED_JANE, 'ForgotPassword', 'nobody@example.com'],
    ['another operation', ENABLED, VERIFIED_JANE, 'SignUp', 'nobody@example.com'],
  ])('lets the operation run for %s', async (_label, client, user, operation, username) => {
    // Prepare
    const answerUnknownUser = correctionWith(client as AppClient | null, user);

    // Act
    const answer = await answerUnknownUser(CTX, operation, { ClientId: 'client-1', Username: username });

    // Assess
    expect(answer).toBeUndefined();
  });

  it("under LEGACY refuses ForgotPassword for a user without a verified address with Cognito's InvalidParameterException", async () => {
    // Prepare
    const answerUnknownUser = correctionWith(LEGACY, JANE);

    // Act
    const answering = answerUnknownUser(CTX, 'ForgotPassword', {
      ClientId: 'client-1',
      Username: 'jane@example.com',
    });

    // Assess
    await expect(answering).rejects.toThrow(
      new InvalidParameterError(
        'Cannot reset password for the user as there is no registered/verified email or phone_number',
      ),
    );
  });

  it('lets the operation run (and fail as cognito-local fails it) when ClientId or Username is missing', async () => {
    // Prepare
    const answerUnknownUser = correctionWith(ENABLED);

    // Act
    const answers = await Promise.all([
      answerUnknownUser(CTX, 'ForgotPassword', { Username: 'nobody@example.com' }),
      answerUnknownUser(CTX, 'ForgotPassword', { ClientId: 'client-1' }),
    ]);

    // Assess
    expect(answers).toEqual([undefined, undefined]);
  });
});
