import { describe, expect, it } from 'vitest';
import { withStoredUnverifiedFlags } from '../../../../local/cognito-local/unverified-flags.js';

const EMAIL = { Name: 'email', Value: 'jane@example.com' };
const PHONE = { Name: 'phone_number', Value: '+14155554567' };

describe('Cognito-local: withStoredUnverifiedFlags', () => {
  it.each([['AdminGetUser'], ['GetUser']])(
    'adds "false" beside each unflagged address in %s',
    (operation) => {
      // Prepare
      const answer = { Username: 'sub-1', UserAttributes: [{ Name: 'sub', Value: 'sub-1' }, EMAIL, PHONE] };

      // Act
      const corrected = withStoredUnverifiedFlags(operation, answer);

      // Assess
      expect(corrected).toEqual({
        Username: 'sub-1',
        UserAttributes: [
          { Name: 'sub', Value: 'sub-1' },
          EMAIL,
          PHONE,
          { Name: 'email_verified', Value: 'false' },
          { Name: 'phone_number_verified', Value: 'false' },
        ],
      });
    },
  );

  it.each([['ListUsers'], ['ListUsersInGroup']])(
    'flags every user %s lists, keeping a flag already there',
    (operation) => {
      // Prepare
      const verified = [EMAIL, { Name: 'email_verified', Value: 'true' }];
      const answer = {
        Users: [
          { Username: 'a', Attributes: [EMAIL] },
          { Username: 'b', Attributes: verified },
        ],
      };

      // Act
      const corrected = withStoredUnverifiedFlags(operation, answer);

      // Assess
      expect(corrected).toEqual({
        Users: [
          { Username: 'a', Attributes: [EMAIL, { Name: 'email_verified', Value: 'false' }] },
          { Username: 'b', Attributes: verified },
        ],
      });
    },
  );

  it('leaves a user without an address, and every other operation, as they are', () => {
    // Prepare
    const noAddress = { UserAttributes: [{ Name: 'name', Value: 'Jane' }] };
    const other = { UserAttributes: [EMAIL] };

    // Act
    const withoutAddress = withStoredUnverifiedFlags('AdminGetUser', noAddress);
    const otherOperation = withStoredUnverifiedFlags('AdminUpdateUserAttributes', other);

    // Assess
    expect(withoutAddress).toEqual(noAddress);
    expect(otherOperation).toBe(other);
  });
});
