/**
 * ResendConfirmationCode, which cognito-local lacks: a new code for an unconfirmed user, sent through the
 * custom message trigger (`CustomMessage_ResendCode`), answered with `CodeDeliveryDetails`.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ResendConfirmationCode.html
 */
import type {
  CognitoLocalErrors,
  CognitoLocalModules,
  CognitoService,
  Ctx,
  Json,
  Messages,
} from './internals.js';

/** What {@link resendConfirmationCode} reads, sends with and throws with. */
export type ResendConfirmationCodeDependencies = {
  cognito: Pick<CognitoService, 'getUserPoolForClientId'>;
  messages: Messages;
  otp: CognitoLocalModules['otp'];
  selectAppropriateDeliveryMethod: CognitoLocalModules['selectAppropriateDeliveryMethod'];
  errors: Pick<CognitoLocalErrors, 'UserNotFoundError' | 'InvalidParameterError'>;
};

/**
 * The operation.
 *
 * @example
 * const resend = resendConfirmationCode({ cognito, messages, otp, selectAppropriateDeliveryMethod, errors });
 * await resend(ctx, { ClientId, Username }); // { CodeDeliveryDetails: { … } }
 */
export function resendConfirmationCode(dependencies: ResendConfirmationCodeDependencies) {
  const { cognito, messages, otp, selectAppropriateDeliveryMethod, errors } = dependencies;
  return async function resendCode(ctx: Ctx, body: Json): Promise<unknown> {
    const pool = await cognito.getUserPoolForClientId(ctx, String(body.ClientId));
    const user = await pool.getUserByUsername(ctx, String(body.Username));
    if (user === null) throw new errors.UserNotFoundError('Username/client id combination not found.');
    if (user.UserStatus !== 'UNCONFIRMED')
      throw new errors.InvalidParameterError('User is already confirmed.');
    const details = selectAppropriateDeliveryMethod(pool.options.AutoVerifiedAttributes ?? [], user);
    if (details === null) {
      throw new errors.InvalidParameterError(
        'User has no attribute matching desired auto verified attributes',
      );
    }
    const code = otp();
    await messages.deliver(
      ctx,
      'ResendCode',
      body.ClientId,
      pool.options.Id,
      user,
      code,
      body.ClientMetadata,
      details,
    );
    await pool.saveUser(ctx, { ...user, ConfirmationCode: code });
    return { CodeDeliveryDetails: details };
  };
}
