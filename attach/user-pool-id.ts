/**
 * A user pool id names its Region: `us-east-1_AbC123` lives in `us-east-1`. Checked before any request, so a
 * typo or a pool of another Region fails with its real reason instead of Cognito's "not found".
 */
import { MalformedUserPoolIdError, UserPoolRegionMismatchError } from './errors.js';

// Cognito's own pattern is `[\w-]+_[0-9a-zA-Z]+` (at most 55 characters); the part before the underscore is
// a Region name: two letters, one or more words, a number (us-east-1, us-gov-west-1, ap-southeast-4).
const USER_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d{1,2})_([0-9A-Za-z]+)$/;
const MAX_LENGTH = 55;

/** A user pool id, split. */
export type UserPoolIdParts = { userPoolId: string; region: string };

/**
 * The Region a well-formed user pool id names.
 * @throws MalformedUserPoolIdError when `userPoolId` is not `<region>_<id>`.
 *
 * @example
 * parseUserPoolId('eu-west-1_AbC123'); // { userPoolId: 'eu-west-1_AbC123', region: 'eu-west-1' }
 */
export function parseUserPoolId(userPoolId: string): UserPoolIdParts {
  const match = userPoolId.length <= MAX_LENGTH ? USER_POOL_ID.exec(userPoolId) : null;
  if (match === null || match[1] === undefined) throw new MalformedUserPoolIdError(userPoolId);
  return { userPoolId, region: match[1] };
}

/**
 * Checks that `userPoolId` is well formed and names `clientRegion`.
 * @throws MalformedUserPoolIdError, or UserPoolRegionMismatchError when the id names another Region.
 */
export function checkUserPoolRegion(userPoolId: string, clientRegion: string): UserPoolIdParts {
  const parts = parseUserPoolId(userPoolId);
  if (parts.region !== clientRegion) {
    throw new UserPoolRegionMismatchError(userPoolId, parts.region, clientRegion);
  }
  return parts;
}
