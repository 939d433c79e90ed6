/**
 * Client-side decoder of trigger errors. It depends on nothing but the list of trigger names
 * (shared/trigger-source.ts, itself dependency-free): apps import it from the client package's browser-safe
 * entry (packages/client, docs/client.md).
 *
 * Cognito wraps what a trigger throws as `"<Trigger> failed with error <message>."` (contract §1, "Errors
 * the API caller sees"), adding its own period after ours, so `"... is not allowed.."` is normal.
 */
import { TriggerName } from './trigger-source.js';

/** A decoded trigger rejection. */
export type TriggerErrorInfo = {
  /** The Cognito trigger name, for example `PreSignUp`. */
  trigger: string;
  /** The stable rejection code, for example `EMAIL_DOMAIN_BLOCKED`. */
  code: string;
  /** The user-safe sentence, without the code and without Cognito's added period. */
  message: string;
};

// Only this toolkit's triggers: their names come from the one list of triggers (shared/trigger-source.ts).
const TRIGGER_NAMES = Object.values(TriggerName);

const TRIGGER_ERROR = new RegExp(
  `^(?:[A-Za-z]+Exception: )?(${TRIGGER_NAMES.join('|')}) failed with error ([A-Z][A-Z0-9_]{1,63}): ([\\s\\S]*)$`,
);

/**
 * Decodes the message of a `UserLambdaValidationException` raised by one of this toolkit's triggers.
 * Returns `undefined` for any other text, including trigger errors without a code.
 *
 * @example
 * parseTriggerError('PreSignUp failed with error EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed..');
 * // { trigger: 'PreSignUp', code: 'EMAIL_DOMAIN_BLOCKED', message: 'Sign-up with this email domain is not allowed.' }
 */
export function parseTriggerError(message: unknown): TriggerErrorInfo | undefined {
  if (typeof message !== 'string' || message.length > 4096) return undefined;
  const match = TRIGGER_ERROR.exec(message.trim());
  if (match === null) return undefined;
  const [, trigger = '', code = '', rest = ''] = match;
  // Cognito appends one period to whatever the trigger threw; drop exactly that one.
  const sentence = rest.endsWith('.') ? rest.slice(0, -1) : rest;
  return { trigger, code, message: sentence };
}
