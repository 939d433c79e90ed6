/**
 * ConfirmSignUp proves the address the code went to: Cognito marks it verified (`email_verified: "true"`),
 * which cognito-local leaves unset (contract §4). Runs before cognito-local confirms the user, so post
 * confirmation sees the verified attribute.
 */
import type { Attribute, CognitoLocalModules, CognitoService, Ctx, Json } from './internals.js';

/** The attributes with `name` set to `value` (replaced when present). */
export function withAttribute(attributes: readonly Attribute[], name: string, value: string): Attribute[] {
  return [...attributes.filter((attribute) => attribute.Name !== name), { Name: name, Value: value }];
}

/** What {@link markCodeDestinationVerified} reads and writes users with. */
export type MarkCodeDestinationVerifiedDependencies = {
  cognito: Pick<CognitoService, 'getUserPoolForClientId'>;
  selectAppropriateDeliveryMethod: CognitoLocalModules['selectAppropriateDeliveryMethod'];
};

/**
 * The correction, for ConfirmSignUp; a wrong code changes nothing (cognito-local then refuses the call).
 *
 * @example
 * const markVerified = markCodeDestinationVerified({ cognito, selectAppropriateDeliveryMethod });
 * await markVerified(ctx, { ClientId, Username, ConfirmationCode });
 */
export function markCodeDestinationVerified(dependencies: MarkCodeDestinationVerifiedDependencies) {
  const { cognito, selectAppropriateDeliveryMethod } = dependencies;
  return async function markVerified(ctx: Ctx, body: Json): Promise<void> {
    const pool = await cognito.getUserPoolForClientId(ctx, String(body.ClientId));
    const user = await pool.getUserByUsername(ctx, String(body.Username));
    if (user?.ConfirmationCode === undefined || user.ConfirmationCode !== body.ConfirmationCode) return;
    const details = selectAppropriateDeliveryMethod(pool.options.AutoVerifiedAttributes ?? [], user);
    if (details === null) return;
    await pool.saveUser(ctx, {
      ...user,
      Attributes: withAttribute(user.Attributes, `${details.AttributeName}_verified`, 'true'),
    });
  };
}
