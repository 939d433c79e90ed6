/**
 * Cognito never answers with the address a code went to, only a masked form of it in
 * `CodeDeliveryDetails.Destination` (contract §5b); cognito-local answers with the address itself. Every
 * answer passes through {@link withMaskedDestinations} (local/cognito-local/routes.ts), so the masking is done
 * in one place, by {@link maskDestination}, for each operation that returns `CodeDeliveryDetails` (SignUp,
 * ResendConfirmationCode, ForgotPassword, GetUserAttributeVerificationCode) or `CodeDeliveryDetailsList`
 * (UpdateUserAttributes).
 *
 * What is known and what is inferred of the masks:
 * - email: the local part's first character, `***@`, the domain's first character and `***`
 *   (`jane@example.com` gives `j***@e***`): recordings of real Cognito (contract §5b) and a captured
 *   ForgotPassword answer (`u***@y***`, aws-amplify/aws-sdk-ios#4837) have exactly this form [O]. A value
 *   without `@` keeps its first character only [I: Cognito only sends codes to valid addresses].
 * - SMS: `+`, eight `*` and the number's last four digits (`+********1234`): seen in an SMS answer
 *   (aws-amplify/amplify-js#7253) and in an SDK issue's example (aws-amplify/amplify-js#2341) [O]. That the
 *   count of `*` stays eight whatever the number's length is inferred from those two [I]; a number of fewer
 *   than eight digits keeps none, so a mask never shows half of a number or more [I].
 */
import type { DeliveryDetails, Json } from './internals.js';

/** `CodeDeliveryDetails.DeliveryMedium` values. */
export const DeliveryMedium = { Email: 'EMAIL', Sms: 'SMS' } as const;
/** One of {@link DeliveryMedium}. */
export type DeliveryMedium = (typeof DeliveryMedium)[keyof typeof DeliveryMedium];

/** What replaces the hidden part of each half of an email address. */
const EMAIL_MASK = '***';
/** What replaces a phone number's hidden digits, the `+` included. */
const PHONE_MASK = '+********';
/** The digits a phone mask keeps, at the end of the number. */
const KEPT_PHONE_DIGITS = 4;
/** The fewest digits a number must have for the mask to keep any. */
const FEWEST_DIGITS_TO_KEEP_ANY = 2 * KEPT_PHONE_DIGITS;

/** The first character (code point) of `text`, or `''`. */
function firstCharacterOf(text: string): string {
  const [first] = text;
  return first ?? '';
}

/** `j***@e***` for `jane@example.com`: the address is split at its last `@`. */
function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return `${firstCharacterOf(value)}${EMAIL_MASK}`;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return `${firstCharacterOf(local)}${EMAIL_MASK}@${firstCharacterOf(domain)}${EMAIL_MASK}`;
}

/** `+********4567` for `+14155554567`: only the last four digits are kept. */
function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  const kept = digits.length >= FEWEST_DIGITS_TO_KEEP_ANY ? digits.slice(-KEPT_PHONE_DIGITS) : '';
  return `${PHONE_MASK}${kept}`;
}

/**
 * The destination as Cognito shows it: a phone number for `SMS`, an email address for any other medium.
 *
 * @example
 * maskDestination('jane@example.com', 'EMAIL'); // 'j***@e***'
 * maskDestination('+14155554567', 'SMS'); // '+********4567'
 */
export function maskDestination(value: string, medium: string): string {
  return medium === DeliveryMedium.Sms ? maskPhone(value) : maskEmail(value);
}

/** Whether `value` is a `CodeDeliveryDetails` object with a string `Destination`. */
function isDeliveryDetails(value: unknown): value is DeliveryDetails {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { Destination?: unknown }).Destination === 'string'
  );
}

/** The details with `Destination` masked for their `DeliveryMedium` (anything else unchanged). */
function maskedDetails(value: unknown): unknown {
  if (!isDeliveryDetails(value)) return value;
  return { ...value, Destination: maskDestination(value.Destination, String(value.DeliveryMedium)) };
}

/**
 * An operation's answer with every `CodeDeliveryDetails.Destination` (and every one in
 * `CodeDeliveryDetailsList`) masked; any other answer is returned as it is.
 *
 * @example
 * withMaskedDestinations({ CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL',
 *   Destination: 'jane@example.com' } }); // { CodeDeliveryDetails: { …, Destination: 'j***@e***' } }
 */
export function withMaskedDestinations(answer: unknown): unknown {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return answer;
  const masked: Json = { ...(answer as Json) };
  if ('CodeDeliveryDetails' in masked) masked.CodeDeliveryDetails = maskedDetails(masked.CodeDeliveryDetails);
  if (Array.isArray(masked.CodeDeliveryDetailsList)) {
    masked.CodeDeliveryDetailsList = masked.CodeDeliveryDetailsList.map(maskedDetails);
  }
  return masked;
}
