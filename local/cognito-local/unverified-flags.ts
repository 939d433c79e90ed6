/**
 * The users an answer lists (AdminGetUser, GetUser, ListUsers, ListUsersInGroup) carry `email_verified` /
 * `phone_number_verified` `"false"` beside an address that is not verified, as Cognito stores it from sign-up
 * on [O, jagregory/cognito-local#386 reports the real pool's AdminGetUser; aws-amplify/aws-sdk-android#142
 * shows `email_verified false` on an auto-confirmed user]. cognito-local stores the flag only once it is
 * `"true"`, so its answers had none. The trigger events get the same flags (local/cognito-events.ts,
 * `withUnverifiedFlags`); for an administrator's user created without the flag, what Cognito stores is not
 * known [I], and it is shown `"false"` here too.
 */
import { withUnverifiedFlags } from '../cognito-events.js';
import type { Json } from './internals.js';

type ListedAttribute = { Name?: unknown; Value?: unknown };

/** `attributes` with a `"false"` flag appended for each unflagged address. */
function flagged(attributes: unknown): unknown {
  if (!Array.isArray(attributes)) return attributes;
  const values: Record<string, string> = {};
  for (const attribute of attributes as ListedAttribute[]) {
    if (typeof attribute?.Name === 'string' && typeof attribute.Value === 'string') {
      Object.defineProperty(values, attribute.Name, { value: attribute.Value, enumerable: true });
    }
  }
  const added = Object.entries(withUnverifiedFlags(values)).filter(([name]) => !Object.hasOwn(values, name));
  return [...attributes, ...added.map(([Name, Value]) => ({ Name, Value }))];
}

/**
 * The answer of `operation` with the unverified flags of every user it lists.
 *
 * @example
 * withStoredUnverifiedFlags('AdminGetUser', { UserAttributes: [{ Name: 'email', Value: 'jane@example.com' }] });
 * // { UserAttributes: [{ Name: 'email', … }, { Name: 'email_verified', Value: 'false' }] }
 */
export function withStoredUnverifiedFlags(operation: string, result: unknown): unknown {
  if (typeof result !== 'object' || result === null) return result;
  const answer = result as Json;
  if (operation === 'AdminGetUser' || operation === 'GetUser') {
    return { ...answer, UserAttributes: flagged(answer.UserAttributes) };
  }
  if ((operation === 'ListUsers' || operation === 'ListUsersInGroup') && Array.isArray(answer.Users)) {
    return {
      ...answer,
      Users: answer.Users.map((user: unknown) =>
        typeof user === 'object' && user !== null
          ? { ...user, Attributes: flagged((user as Json).Attributes) }
          : user,
      ),
    };
  }
  return result;
}
