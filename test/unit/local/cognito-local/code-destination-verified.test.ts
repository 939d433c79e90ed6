import { describe, expect, it } from 'vitest';
import {
  markCodeDestinationVerified,
  withAttribute,
} from '../../../../local/cognito-local/code-destination-verified.js';
import type { User, UserPoolService } from '../../../../local/cognito-local/internals.js';

describe('Cognito-local: withAttribute', () => {
  it('replaces an attribute that is there and adds one that is not', () => {
    // Prepare
    const attributes = [
      { Name: 'email', Value: 'jane@example.com' },
      { Name: 'email_verified', Value: 'false' },
    ];

    // Act
    const replaced = withAttribute(attributes, 'email_verified', 'true');
    const added = withAttribute([], 'email_verified', 'true');

    // Assess
    expect(replaced).toEqual([
      { Name: 'email', Value: 'jane@example.com' },
      { Name: 'email_verified', Value: 'true' },
    ]);
    expect(added).toEqual([{ Name: 'email_verified', Value: 'true' }]);
  });
});

describe('Cognito-local: markCodeDestinationVerified', () => {
  const user: User = {
    Username: 'sub-1',
    UserStatus: 'UNCONFIRMED',
    Attributes: [{ Name: 'email', Value: 'jane@example.com' }],
    ConfirmationCode: '123456',
  };

  function poolSaving(saved: User[]): UserPoolService {
    return {
      options: { Id: 'local_Example1', AutoVerifiedAttributes: ['email'] },
      getUserByUsername: async () => structuredClone(user),
      saveUser: async (_ctx, changed) => {
        saved.push(changed);
      },
    };
  }
  const selectAppropriateDeliveryMethod = () => ({
    AttributeName: 'email',
    DeliveryMedium: 'EMAIL',
    Destination: 'j***@example.com',
  });

  it('marks the email verified when the code is right', async () => {
    // Prepare
    const saved: User[] = [];
    const markVerified = markCodeDestinationVerified({
      cognito: { getUserPoolForClientId: async () => poolSaving(saved) },
      selectAppropriateDeliveryMethod,
    });

    // Act
    await markVerified(
      { logger: undefined },
      { ClientId: 'c', Username: 'sub-1', ConfirmationCode: '123456' },
    );

    // Assess
    expect(saved.map((changed) => changed.Attributes)).toEqual([
      [
        { Name: 'email', Value: 'jane@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    ]);
  });

  it('changes nothing for a wrong code', async () => {
    // Prepare
    const saved: User[] = [];
    const markVerified = markCodeDestinationVerified({
      cognito: { getUserPoolForClientId: async () => poolSaving(saved) },
      selectAppropriateDeliveryMethod,
    });

    // Act
    await markVerified(
      { logger: undefined },
      { ClientId: 'c', Username: 'sub-1', ConfirmationCode: '000000' },
    );

    // Assess
    expect(saved).toEqual([]);
  });
});
