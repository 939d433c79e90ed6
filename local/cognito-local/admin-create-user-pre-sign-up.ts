/**
 * Pre sign-up for AdminCreateUser (`PreSignUp_AdminCreateUser`, contract §2), which cognito-local skips: it
 * runs before the user is created, with the submitted attributes and, in an email-as-username pool, the
 * email taken from the user name. A rejection fails the call and no user is created.
 */
import { randomUUID } from 'node:crypto';
import {
  type Attribute,
  AWS_ADMIN_CLIENT_ID,
  type CognitoService,
  type Ctx,
  type Json,
  type Triggers,
} from './internals.js';

/** The attributes of an AdminCreateUser call as a map (`UserAttributes` entries with a string value). */
export function submittedAttributesOf(userAttributes: unknown): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (!Array.isArray(userAttributes)) return attributes;
  for (const entry of userAttributes as Partial<Attribute>[]) {
    if (typeof entry?.Name === 'string' && typeof entry.Value === 'string') {
      Object.defineProperty(attributes, entry.Name, {
        value: entry.Value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return attributes;
}

/** What {@link preSignUpForAdminCreateUser} reads the pool from, and runs the trigger with. */
export type PreSignUpForAdminCreateUserDependencies = {
  cognito: Pick<CognitoService, 'getUserPool'>;
  triggers: Pick<Triggers, 'enabled' | 'preSignUp'>;
};

/**
 * The correction, for AdminCreateUser.
 *
 * @example
 * const preSignUp = preSignUpForAdminCreateUser({ cognito, triggers });
 * await preSignUp(ctx, { UserPoolId, Username, UserAttributes }); // throws when pre sign-up rejects
 */
export function preSignUpForAdminCreateUser(dependencies: PreSignUpForAdminCreateUserDependencies) {
  const { cognito, triggers } = dependencies;
  return async function runPreSignUp(ctx: Ctx, body: Json): Promise<void> {
    if (!triggers.enabled('PreSignUp')) return;
    const pool = await cognito.getUserPool(ctx, String(body.UserPoolId));
    // An existing user fails the call first (UsernameExistsException), with no trigger run.
    if ((await pool.getUserByUsername(ctx, String(body.Username))) !== null) return;
    const attributes = submittedAttributesOf(body.UserAttributes);
    const emailPool = pool.options.UsernameAttributes?.includes('email') === true;
    if (emailPool && attributes.email === undefined) attributes.email = String(body.Username);
    await triggers.preSignUp(ctx, {
      clientId: AWS_ADMIN_CLIENT_ID,
      clientMetadata: body.ClientMetadata,
      source: 'PreSignUp_AdminCreateUser',
      userAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      // The user does not exist yet; in an email-as-username pool Cognito names it by a new `sub`.
      username: emailPool ? randomUUID() : String(body.Username),
      userPoolId: pool.options.Id,
    });
  };
}
