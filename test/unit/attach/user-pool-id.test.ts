import { describe, expect, it } from 'vitest';
import { MalformedUserPoolIdError, UserPoolRegionMismatchError } from '../../../attach/errors.js';
import { checkUserPoolRegion, parseUserPoolId } from '../../../attach/user-pool-id.js';

describe('Attach: parseUserPoolId', () => {
  it.each([
    ['us-east-1_AbC123', 'us-east-1'],
    ['us-gov-west-1_x', 'us-gov-west-1'],
    ['ap-southeast-4_0123456789abcdef0123456789abcdef', 'ap-southeast-4'],
    ['il-central-1_Z', 'il-central-1'],
  ])('reads the Region of %s', (userPoolId, region) => {
    // Prepare
    const id = userPoolId;

    // Act
    const parts = parseUserPoolId(id);

    // Assess
    expect(parts).toEqual({ userPoolId, region });
  });

  it.each([
    ['no Region', 'AbC123'],
    ['no id', 'us-east-1_'],
    ['a made-up Region', 'Europe_AbC123'],
    ['a character Cognito never uses', 'us-east-1_AbC-123'],
    ['a pool ARN', 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123'],
    ['more than 55 characters', `us-east-1_${'a'.repeat(46)}`],
  ])('refuses an id with %s', (_case, userPoolId) => {
    // Prepare
    const id = userPoolId;

    // Act
    const parse = () => parseUserPoolId(id);

    // Assess
    expect(parse).toThrow(MalformedUserPoolIdError);
  });
});

describe('Attach: checkUserPoolRegion', () => {
  it("refuses a pool of another Region than the client's, naming both", () => {
    // Prepare
    const userPoolId = 'eu-west-1_AbC123';

    // Act
    const check = () => checkUserPoolRegion(userPoolId, 'us-east-1');

    // Assess
    expect(check).toThrow(UserPoolRegionMismatchError);
    expect(check).toThrow(
      expect.objectContaining({ poolRegion: 'eu-west-1', clientRegion: 'us-east-1', userPoolId }),
    );
  });
});
