/**
 * Rule 1 of pre sign-up: the sign-up attributes are present and well-formed, before any other rule reads
 * them. Attribute values are strings (contract §1) of up to 2,048 characters (contract §5) and may hold
 * anything, control characters included.
 */
import { type Env, readList, readString } from '../../../shared/config.js';
import { EmailLimits, normalizeEmail } from '../../../shared/email.js';
import { ConfigurationError, SignUpRejection } from '../../../shared/errors.js';
import type { PreSignUpEvent, StringMap } from '../../../shared/event-types.js';
import type { RuleOutcome } from '../../../shared/handler-core.js';
import { OptionsError } from '../../../shared/options.js';
import { declareSettings, SettingValue } from '../../../shared/settings.js';
import { TriggerSource } from '../../../shared/trigger-source.js';

/** Why an attribute was refused, for logs; the value itself is never kept. */
export const AttributeInvalidReason = {
  Missing: 'missing',
  ControlCharacter: 'control-character',
  TooLong: 'too-long',
  NotAnEmail: 'not-an-email',
  NotE164: 'not-e164',
  PatternMismatch: 'pattern-mismatch',
} as const;

/** One of {@link AttributeInvalidReason}. */
export type AttributeInvalidReason = (typeof AttributeInvalidReason)[keyof typeof AttributeInvalidReason];

/** A required attribute is missing, or an attribute is malformed. Keeps the attribute's name, never its value. */
export class AttributeInvalidError extends SignUpRejection {
  /** The attribute's name (from the configuration or the rule, never from the caller). */
  public readonly attribute: string;
  public readonly reason: AttributeInvalidReason;

  public constructor(attribute: string, reason: AttributeInvalidReason, options?: ErrorOptions) {
    super('ATTRIBUTE_INVALID', options);
    this.name = 'AttributeInvalidError';
    this.attribute = attribute;
    this.reason = reason;
  }
}

/** Options of {@link requireValidAttributes}. */
export type RequireValidAttributesOptions = {
  /** Attributes `SignUp` and `AdminCreateUser` must carry with a non-blank value. Default `['email']`. */
  required?: readonly string[];
  /**
   * Attribute name -> the pattern its whole value must match when present (the rule anchors it). Flags
   * `g`, `y` and `m` are refused: the first two make `test` stateful, the last unanchors `^` and `$`.
   */
  patterns?: Readonly<Record<string, RegExp>>;
};

const defaults = {
  required: ['email'] as readonly string[],
  patterns: {} as Readonly<Record<string, RegExp>>,
};

// Cognito's AttributeType.Name: 1–32 characters of letters, marks, symbols, numbers, punctuation (contract §5).
const ATTRIBUTE_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,32}$/u;
// ITU-T E.164 as Cognito stores `phone_number`: a plus, a non-zero digit, at most 15 digits in all.
const E164 = /^\+[1-9]\d{1,14}$/;
// C0/C1 controls, unpaired surrogates, and the bidirectional embeddings, overrides and isolates that make
// text display differently from what it is.
const CONTROL = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;
// No sane address holds whitespace; normalizeEmail trims, so the rule looks at the value itself.
const WHITESPACE = /\s/u;

/** The value of an attribute the caller actually sent: an own, non-empty string. */
function sentValueOf(attributes: StringMap, name: string): string | undefined {
  if (!Object.hasOwn(attributes, name)) return undefined;
  const value: unknown = attributes[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const NAMES = 'attribute names (1 to 32 characters, no spaces)';

function requiredOf(required: unknown): readonly string[] {
  if (!Array.isArray(required)) throw new OptionsError('required', `a list of ${NAMES}`);
  required.forEach((name: unknown, index) => {
    if (typeof name !== 'string' || !ATTRIBUTE_NAME.test(name)) {
      throw new OptionsError('required', `a list of ${NAMES} (entry ${index + 1} is not one)`);
    }
  });
  return [...required];
}

function patternsOf(patterns: unknown): ReadonlyMap<string, RegExp> {
  const expected = `a map of ${NAMES} to regular expressions`;
  if (typeof patterns !== 'object' || patterns === null || Array.isArray(patterns)) {
    throw new OptionsError('patterns', expected);
  }
  const compiled = new Map<string, RegExp>();
  for (const [name, pattern] of Object.entries(patterns)) {
    if (!ATTRIBUTE_NAME.test(name)) {
      throw new OptionsError('patterns', `${expected} (a key is not an attribute name)`);
    }
    if (!(pattern instanceof RegExp)) {
      throw new OptionsError('patterns', `${expected} (the one for ${name} is not a RegExp)`);
    }
    if (/[gym]/.test(pattern.flags)) {
      throw new OptionsError(
        'patterns',
        `${expected} without the g, y or m flag (the one for ${name} has one)`,
      );
    }
    // Anchored here, so `[a-z]+` cannot pass `abc<script>` on a partial match.
    compiled.set(name, new RegExp(`^(?:${pattern.source})$`, pattern.flags));
  }
  return compiled;
}

/**
 * Refuses a sign-up whose attributes are missing or malformed (`ATTRIBUTE_INVALID`):
 * - `SignUp` and `AdminCreateUser`: every `required` attribute is present and not blank;
 * - every source, ExternalProvider included (identity providers map what they have, so nothing is
 *   required of them): `email`, when present, is a sane address of at most 254 characters
 *   (shared/email.ts); `phone_number` is E.164; each attribute with a pattern matches it whole; none of
 *   these holds a control character.
 *
 * An empty value counts as absent. Patterns come from the operator and run on values of up to 2,048
 * characters: keep them free of nested quantifiers.
 *
 * @example
 * const rule = requireValidAttributes({
 *   required: ['email', 'custom:tenant'],
 *   patterns: { 'custom:tenant': /[a-z0-9-]{1,32}/u },
 * });
 */
export function requireValidAttributes(
  options: RequireValidAttributesOptions = {},
): (event: PreSignUpEvent) => RuleOutcome {
  const settings = { ...defaults, ...options };
  const required = requiredOf(settings.required);
  const patterns = patternsOf(settings.patterns);

  return function requireValidAttributes(event: PreSignUpEvent): RuleOutcome {
    const attributes = event.request.userAttributes;
    const source = event.triggerSource;
    if (source === TriggerSource.PreSignUpSignUp || source === TriggerSource.PreSignUpAdminCreateUser) {
      for (const name of required) {
        // Blank counts as missing: `"  "` is no more a name than `""`.
        if ((sentValueOf(attributes, name)?.trim() ?? '') === '') {
          throw new AttributeInvalidError(name, AttributeInvalidReason.Missing);
        }
      }
    }

    const email = sentValueOf(attributes, 'email');
    if (email !== undefined) {
      if (CONTROL.test(email)) {
        throw new AttributeInvalidError('email', AttributeInvalidReason.ControlCharacter);
      }
      if (email.length > EmailLimits.maxLength) {
        throw new AttributeInvalidError('email', AttributeInvalidReason.TooLong);
      }
      if (WHITESPACE.test(email) || normalizeEmail(email) === undefined) {
        throw new AttributeInvalidError('email', AttributeInvalidReason.NotAnEmail);
      }
    }

    const phone = sentValueOf(attributes, 'phone_number');
    if (phone !== undefined) {
      if (CONTROL.test(phone)) {
        throw new AttributeInvalidError('phone_number', AttributeInvalidReason.ControlCharacter);
      }
      if (!E164.test(phone)) throw new AttributeInvalidError('phone_number', AttributeInvalidReason.NotE164);
    }

    for (const [name, pattern] of patterns) {
      const value = sentValueOf(attributes, name);
      if (value === undefined) continue;
      if (CONTROL.test(value)) throw new AttributeInvalidError(name, AttributeInvalidReason.ControlCharacter);
      if (!pattern.test(value)) throw new AttributeInvalidError(name, AttributeInvalidReason.PatternMismatch);
    }
    return 'pass';
  };
}

const PATTERNS_EXPECTED =
  'a JSON object mapping attribute names to regular expressions, e.g. {"custom:tenant":"^[a-z0-9-]{1,32}$"}';

function patternsFromEnv(env: Env): Readonly<Record<string, RegExp>> {
  const raw = readString(env, 'ATTRIBUTE_PATTERNS', '');
  if (raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ConfigurationError('ATTRIBUTE_PATTERNS', PATTERNS_EXPECTED, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigurationError('ATTRIBUTE_PATTERNS', PATTERNS_EXPECTED);
  }
  // Only read here (JSON, then each source compiled); the names are the factory's to check.
  const patterns: [string, RegExp][] = [];
  for (const [name, source] of Object.entries(parsed)) {
    if (typeof source !== 'string' || source === '') {
      throw new ConfigurationError('ATTRIBUTE_PATTERNS', PATTERNS_EXPECTED);
    }
    try {
      patterns.push([name, new RegExp(source, 'u')]);
    } catch (error) {
      throw new ConfigurationError(
        'ATTRIBUTE_PATTERNS',
        `valid regular expressions (with the u flag); the one for ${name} is not`,
        { cause: error },
      );
    }
  }
  // fromEntries defines own properties, so even a `__proto__` key stays an attribute name.
  return Object.fromEntries(patterns);
}

/**
 * Options of {@link requireValidAttributes} from the environment, read once at cold start (the rule is
 * always on); the names are checked by the factory:
 * - `REQUIRED_ATTRIBUTES`: comma-separated attribute names (default `email`; `none` requires nothing);
 * - `ATTRIBUTE_PATTERNS`: JSON object, attribute name -> regular expression source, compiled with the `u`
 *   flag and anchored by the rule.
 * @throws ConfigurationError naming the variable, for a value that cannot be read.
 */
export function requireValidAttributesFromEnv(env: Env): Required<RequireValidAttributesOptions> {
  const listed = readList(env, 'REQUIRED_ATTRIBUTES');
  // `none` is how the variable says "nothing": alone, or it is not a list of names.
  if (listed.includes('none') && listed.length > 1) {
    throw new ConfigurationError('REQUIRED_ATTRIBUTES', `a comma-separated list of ${NAMES}, or "none"`);
  }
  const required = listed.length === 0 ? defaults.required : listed[0] === 'none' ? [] : listed;
  return { required, patterns: patternsFromEnv(env) };
}

/** What {@link requireValidAttributes} reads (shared/settings.ts). */
export const requireValidAttributesSettings = declareSettings({
  owner: 'requireValidAttributes',
  variables: [
    { name: 'REQUIRED_ATTRIBUTES', option: 'required' },
    { name: 'ATTRIBUTE_PATTERNS', option: 'patterns', value: SettingValue.AttributePatterns },
  ],
});
