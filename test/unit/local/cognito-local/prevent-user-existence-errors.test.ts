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

/** A pool holding Jane only, behind a client with `client`'s settings. */
function cognitoWith(client: AppClient | null, options: UserPoolService['options'] = POOL) {
  const pool: UserPoolService = {
    options,
    getUserByUsername: async (_ctx, username) =>
      username === 'jane@example.com' || username === 'sub-1' ? structuredClone(JANE) : null,
    saveUser: async () => undefined,
  };
  return { getAppClient: async () => client, getUserPoolForClientId: async () => pool };
}

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

describe('Cognito-local: preventUserExistenceErrors', () => {
  it('answers an unknown user with made-up CodeDeliveryDetails when the client sets ENABLED', async () => {
    // Prepare
    const answerUnknownUser = preventUserExistenceErrors({
      cognito: cognitoWith({ PreventUserExistenceErrors: 'ENABLED' }),
    });

    // Act
    const answer = await answerUnknownUser(
      { logger: undefined },
      { ClientId: 'client-1', Username: 'nobody@example.com' },
    );

    // Assess
    expect(answer).toEqual({
      CodeDeliveryDetails: {
        AttributeName: 'email',
        DeliveryMedium: 'EMAIL',
        Destination: 'nobody@example.com',
      },
    });
  });

  it.each([
    ['a known user under ENABLED', { PreventUserExistenceErrors: 'ENABLED' }, 'jane@example.com'],
    ['a known user named by internal name', { PreventUserExistenceErrors: 'ENABLED' }, 'sub-1'],
    ['an unknown user under LEGACY', { PreventUserExistenceErrors: 'LEGACY' }, 'nobody@example.com'],
    ['an unknown user of a client without the setting', {}, 'nobody@example.com'],
    ['an unknown client', null, 'nobody@example.com'],
  ])('lets the operation run for %s', async (_label, client, username) => {
    // Prepare
    const answerUnknownUser = preventUserExistenceErrors({ cognito: cognitoWith(client) });

    // Act
    const answer = await answerUnknownUser(
      { logger: undefined },
      { ClientId: 'client-1', Username: username },
    );

    // Assess
    expect(answer).toBeUndefined();
  });

  it('lets the operation run (and fail as cognito-local fails it) when ClientId or Username is missing', async () => {
    // Prepare
    const answerUnknownUser = preventUserExistenceErrors({
      cognito: cognitoWith({ PreventUserExistenceErrors: 'ENABLED' }),
    });

    // Act
    const answers = await Promise.all([
      answerUnknownUser({ logger: undefined }, { Username: 'nobody@example.com' }),
      answerUnknownUser({ logger: undefined }, { ClientId: 'client-1' }),
    ]);

    // Assess
    expect(answers).toEqual([undefined, undefined]);
  });
});
