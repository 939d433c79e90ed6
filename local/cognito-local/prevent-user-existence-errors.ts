/**
 * `PreventUserExistenceErrors: ENABLED` on the app client (contract §5b), where cognito-local answers as
 * though the setting did not exist. Under `ENABLED`:
 * - ForgotPassword for a user who does not exist, is disabled, or has no verified address, and
 *   ResendConfirmationCode for a user who does not exist or is disabled, answer as though a code had been sent,
 *   with made-up `CodeDeliveryDetails`, and nothing is sent;
 * - ConfirmForgotPassword for a user who does not exist or is disabled answers `CodeMismatchException`.
 * Under `LEGACY` (or no setting), ForgotPassword for a user without a verified address answers Cognito's
 * `InvalidParameterException: Cannot reset password for the user as there is no registered/verified email or
 * phone_number` [O, aws-amplify/aws-sdk-android#142 with AWS's answer, amazon-cognito-identity-js#678], where
 * cognito-local sent the code to the unverified address; the rest keeps cognito-local's answers
 * (`UserNotFoundException`). The setting is read per call from the app client.
 *
 * What is known:
 * - [D, archived Developer Guide `doc_source/cognito-user-pool-managing-errors.md`] ForgotPassword returns
 *   `CodeDeliveryDetails` "with a simulated delivery medium" for a user who is not found, and that medium "is
 *   determined by the input user name format and verification settings of the user pool";
 *   ResendConfirmationCode returns `CodeDeliveryDetails` for a user who does not exist.
 * - [O, aws-amplify/aws-sdk-ios#4837] For one pool, Cognito's ForgotPassword answered the same made-up
 *   `u***@y***` whatever user name was asked for: its made-up address need not follow the user name.
 *
 * What is inferred, and chosen here [I]:
 * - The medium ({@link simulatedMediumOf}): SMS for a user name in phone form (`+` and digits) when the pool
 *   verifies phone numbers or neither attribute; otherwise email, unless the pool verifies phone numbers only.
 * - The destination ({@link simulatedDeliveryOf}): the user name itself when it has the medium's form. On a
 *   pool that signs in by email (template.yaml's) a user's address is their user name, so an unknown user
 *   gets exactly the answer a known one would: nobody learns from it whether the account exists. This is
 *   deliberately not Cognito's fixed `u***@y***`, which tells such a user name apart. Any other user name
 *   gets an address made up from a hash of the pool id and the user name: the same at every call, as a real
 *   user's answer is.
 * The destination comes back unmasked: the router masks every answer in one place
 * (local/cognito-local/mask-destination.ts). Nothing is sent and nothing is stored; what remains different
 * is time (no message is rendered or delivered).
 */
import { createHash } from 'node:crypto';
import type {
  CognitoLocalErrors,
  CognitoService,
  Ctx,
  DeliveryDetails,
  Json,
  User,
  UserPoolService,
} from './internals.js';
import { DeliveryMedium } from './mask-destination.js';

/** The operations this correction may answer. */
export const USER_EXISTENCE_OPERATIONS: readonly string[] = [
  'ForgotPassword',
  'ResendConfirmationCode',
  'ConfirmForgotPassword',
];

/** Cognito's answer to ForgotPassword for a user with no verified email or phone number (LEGACY). */
export const NO_VERIFIED_ADDRESS =
  'Cannot reset password for the user as there is no registered/verified email or phone_number';

/** Cognito's CodeMismatchException message. */
export const CODE_MISMATCH = 'Invalid verification code provided, please try again.';

/** `PreventUserExistenceErrors` values. */
export const PreventUserExistenceErrors = { Enabled: 'ENABLED', Legacy: 'LEGACY' } as const;

/** A made-up delivery's attribute and medium. */
export type SimulatedMedium = Omit<DeliveryDetails, 'Destination'>;

const BY_EMAIL: SimulatedMedium = { AttributeName: 'email', DeliveryMedium: DeliveryMedium.Email };
const BY_SMS: SimulatedMedium = { AttributeName: 'phone_number', DeliveryMedium: DeliveryMedium.Sms };

// The forms a user name is read in: an address (one `@`, no spaces) and an E.164 phone number.
const EMAIL_FORM = /^[^@\s]+@[^@\s]+$/;
const PHONE_FORM = /^\+\d{4,15}$/;

/**
 * The medium a made-up delivery names, from the user name's form and the pool's `AutoVerifiedAttributes`.
 *
 * @example
 * simulatedMediumOf('nobody@example.com', ['email']); // { AttributeName: 'email', DeliveryMedium: 'EMAIL' }
 */
export function simulatedMediumOf(
  username: string,
  autoVerifiedAttributes: readonly string[],
): SimulatedMedium {
  const verifiesEmail = autoVerifiedAttributes.includes('email');
  const verifiesPhone = autoVerifiedAttributes.includes('phone_number');
  if (PHONE_FORM.test(username) && (verifiesPhone || !verifiesEmail)) return BY_SMS;
  return verifiesEmail || !verifiesPhone ? BY_EMAIL : BY_SMS;
}

/** An address of the medium made up from `seed`: always the same for the same seed. */
function madeUpDestination(medium: string, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  if (medium === DeliveryMedium.Sms) {
    return `+1555${Array.from(digest.subarray(2, 9), (byte) => byte % 10).join('')}`;
  }
  const letterOf = (byte: number) => String.fromCharCode(97 + (byte % 26));
  return `${letterOf(digest.readUInt8(0))}@${letterOf(digest.readUInt8(1))}.example`;
}

/**
 * The made-up `CodeDeliveryDetails` for a user name nobody has, unmasked.
 *
 * @example
 * simulatedDeliveryOf('nobody@example.com', { Id: 'local_Example1', AutoVerifiedAttributes: ['email'] });
 * // { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'nobody@example.com' }
 */
export function simulatedDeliveryOf(username: string, pool: UserPoolService['options']): DeliveryDetails {
  const medium = simulatedMediumOf(username, pool.AutoVerifiedAttributes ?? []);
  const form = medium.DeliveryMedium === DeliveryMedium.Sms ? PHONE_FORM : EMAIL_FORM;
  const destination = form.test(username)
    ? username
    : madeUpDestination(medium.DeliveryMedium, `${pool.Id}\n${username}`);
  return { ...medium, Destination: destination };
}

/** Whether the user has an address Cognito may send a password reset code to. */
export function hasVerifiedAddress(user: User): boolean {
  const value = (name: string) => user.Attributes.find((attribute) => attribute.Name === name)?.Value;
  return (
    (value('email') !== undefined && value('email_verified') === 'true') ||
    (value('phone_number') !== undefined && value('phone_number_verified') === 'true')
  );
}

/** What {@link preventUserExistenceErrors} reads the client, the pool and the user from, and throws. */
export type PreventUserExistenceErrorsDependencies = {
  cognito: Pick<CognitoService, 'getAppClient' | 'getUserPoolForClientId'>;
  errors: Pick<CognitoLocalErrors, 'CognitoError' | 'InvalidParameterError'>;
};

/**
 * The correction, for the operations of {@link USER_EXISTENCE_OPERATIONS}: Cognito's answer when the user's
 * existence or state must not show (or, under LEGACY, the missing verified address), or `undefined` when the
 * operation should run as usual.
 *
 * @example
 * const answerUnknownUser = preventUserExistenceErrors({ cognito, errors });
 * await answerUnknownUser(ctx, 'ForgotPassword', { ClientId, Username: 'nobody@example.com' });
 * // { CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'nobody@example.com' } }
 */
export function preventUserExistenceErrors(dependencies: PreventUserExistenceErrorsDependencies) {
  const { cognito, errors } = dependencies;
  return async function answerUnknownUser(
    ctx: Ctx,
    operation: string,
    body: Json,
  ): Promise<Json | undefined> {
    if (typeof body.ClientId !== 'string' || typeof body.Username !== 'string') return undefined;
    const client = await cognito.getAppClient(ctx, body.ClientId);
    const enabled = client?.PreventUserExistenceErrors === PreventUserExistenceErrors.Enabled;
    const pool = await cognito.getUserPoolForClientId(ctx, body.ClientId);
    const user = await pool.getUserByUsername(ctx, body.Username);
    const hidden = user === null || user.Enabled === false;
    const madeUp = { CodeDeliveryDetails: simulatedDeliveryOf(body.Username, pool.options) };
    switch (operation) {
      case 'ForgotPassword': {
        const unverified = user !== null && !hasVerifiedAddress(user);
        if (enabled && (hidden || unverified)) return madeUp;
        if (!enabled && !hidden && unverified) throw new errors.InvalidParameterError(NO_VERIFIED_ADDRESS);
        return undefined;
      }
      case 'ResendConfirmationCode':
        return enabled && hidden ? madeUp : undefined;
      case 'ConfirmForgotPassword':
        if (enabled && hidden) throw new errors.CognitoError('CodeMismatchException', CODE_MISMATCH);
        return undefined;
      default:
        return undefined;
    }
  };
}
