/**
 * SecretHash, which cognito-local does not check: an app client with a secret requires
 * `SecretHash = Base64(HMAC-SHA256(client secret, Username + ClientId))` on the operations that name a user
 * without a token, and answers `NotAuthorizedException` when it is missing or wrong.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CognitoLocalErrors, CognitoService, Ctx, Json } from './internals.js';

/** The operations a client with a secret must sign. */
export const SECRET_HASH_OPERATIONS: readonly string[] = [
  'SignUp',
  'ConfirmSignUp',
  'ResendConfirmationCode',
  'ForgotPassword',
  'ConfirmForgotPassword',
];

/** The SecretHash of a user name for a client, as raw bytes. */
export function secretHashOf(clientSecret: string, username: string, clientId: string): Buffer {
  return createHmac('sha256', clientSecret).update(`${username}${clientId}`).digest();
}

/** Whether a Base64 `SecretHash` is the one the client's secret gives (compared in constant time). */
export function isValidSecretHash(
  given: string,
  clientSecret: string,
  username: string,
  clientId: string,
): boolean {
  const expected = secretHashOf(clientSecret, username, clientId);
  const actual = Buffer.from(given, 'base64');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** What {@link requireSecretHash} reads the app clients from, and throws with. */
export type RequireSecretHashDependencies = {
  cognito: Pick<CognitoService, 'getAppClient'>;
  errors: Pick<CognitoLocalErrors, 'NotAuthorizedError'>;
};

/**
 * The check, for the operations of {@link SECRET_HASH_OPERATIONS}; a client without a secret passes.
 *
 * @example
 * const checkSecretHash = requireSecretHash({ cognito, errors });
 * await checkSecretHash(ctx, body); // throws NotAuthorizedError when the hash is missing or wrong
 */
export function requireSecretHash(dependencies: RequireSecretHashDependencies) {
  const { cognito, errors } = dependencies;
  return async function checkSecretHash(ctx: Ctx, body: Json): Promise<void> {
    const clientId = typeof body.ClientId === 'string' ? body.ClientId : undefined;
    if (clientId === undefined) return;
    const secret = (await cognito.getAppClient(ctx, clientId))?.ClientSecret;
    if (secret === undefined || secret === '') return;
    if (typeof body.SecretHash !== 'string') {
      throw new errors.NotAuthorizedError(
        `Client ${clientId} is configured for secret but secret was not received`,
      );
    }
    if (!isValidSecretHash(body.SecretHash, secret, String(body.Username), clientId)) {
      throw new errors.NotAuthorizedError(`Unable to verify secret hash for client ${clientId}`);
    }
  };
}
