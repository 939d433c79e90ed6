/**
 * An admin call may name the user by an alias (the email); Cognito resolves it to the user. Some
 * cognito-local operations compare the alias itself (AdminListGroupsForUser lists no group), so the internal
 * user name is passed on instead.
 */
import type { CognitoService, Ctx, Json } from './internals.js';

/** Whether an operation gets the alias resolved: the admin operations on an existing user. */
export function resolvesAlias(operation: string): boolean {
  return operation.startsWith('Admin') && operation !== 'AdminCreateUser';
}

/**
 * The body with `Username` replaced by the user's internal name (unchanged when no user has that name).
 *
 * @example
 * const resolve = withInternalUsername({ cognito });
 * await resolve(ctx, { UserPoolId, Username: 'jane@example.com' }); // { UserPoolId, Username: '<sub>' }
 */
export function withInternalUsername(dependencies: { cognito: Pick<CognitoService, 'getUserPool'> }) {
  const { cognito } = dependencies;
  return async function resolveAlias(ctx: Ctx, body: Json): Promise<Json> {
    if (typeof body.UserPoolId !== 'string' || typeof body.Username !== 'string') return body;
    const pool = await cognito.getUserPool(ctx, body.UserPoolId);
    const user = await pool.getUserByUsername(ctx, body.Username);
    return user === null ? body : { ...body, Username: user.Username };
  };
}
