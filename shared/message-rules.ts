/**
 * The rules Cognito applies to what a custom message trigger returns (contract §3 "Constraints"), as data
 * and as a checker. The trigger uses them at runtime and the replay harness uses them to predict what a
 * Cognito caller sees.
 */

/** Service-model bounds (contract §3 item 2, BOTO `MessageTemplateType` shapes). */
export const MessageLimits = {
  emailMinLength: 6,
  emailMaxLength: 20_000,
  smsMinLength: 6,
  smsMaxLength: 140,
  subjectMinLength: 1,
  subjectMaxLength: 140,
} as const;

// AWS evaluates these with Java regular expressions, where `\s` is ASCII whitespace only: a non-breaking
// space (U+00A0) or a zero-width joiner (U+200D, format class Cf) does NOT match (contract §3 item 3).
const JAVA_SPACE = ' \\t\\n\\u000b\\f\\r';
/** `[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*`: the characters an email body may hold. */
export const EMAIL_BODY_CHARACTERS = new RegExp(`^[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}${JAVA_SPACE}*]*$`, 'u');
/** `[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+`: the characters a subject may hold. */
export const SUBJECT_CHARACTERS = new RegExp(`^[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}${JAVA_SPACE}]+$`, 'u');

/** The first character outside `allowed`, as `U+XXXX`, or `undefined`. */
export function firstDisallowedCharacter(text: string, kind: 'body' | 'subject'): string | undefined {
  const single = kind === 'body' ? EMAIL_BODY_CHARACTERS : SUBJECT_CHARACTERS;
  for (const char of text) {
    if (!single.test(char))
      return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return undefined;
}

/** Why Cognito would not use one field as returned. */
export type MessageBreach =
  | { rule: 'empty' }
  | { rule: 'too-short'; length: number; min: number }
  | { rule: 'too-long'; length: number; max: number }
  | { rule: 'missing-placeholder'; placeholder: string }
  | { rule: 'invalid-character'; character: string };

/** A field of the custom message response. */
export type MessageField = 'emailMessage' | 'emailSubject' | 'smsMessage';

/** What the checker needs from the event. */
export type MessageCheckInput = {
  triggerSource: string;
  codeParameter: string;
  usernameParameter?: string | null | undefined;
  linkParameter?: string | null | undefined;
};

/** How the pool verifies email: with a code (default) or a link (`VerificationMessageTemplate.DefaultEmailOption`). */
export type EmailVerificationOption = 'CONFIRM_WITH_CODE' | 'CONFIRM_WITH_LINK';

/**
 * The sources whose email carries Cognito's verification link instead of the code when the pool verifies
 * email by link (`DefaultEmailOption: CONFIRM_WITH_LINK`).
 */
export const linkVerificationSources = ['CustomMessage_SignUp', 'CustomMessage_ResendCode'] as const;

/** One of {@link linkVerificationSources}. */
export type LinkVerificationSource = (typeof linkVerificationSources)[number];

const LINK_SOURCES: ReadonlySet<string> = new Set(linkVerificationSources);

/** Whether `source` sends Cognito's link instead of the code in a pool that verifies email by link. */
export function isLinkVerificationSource(source: string): source is LinkVerificationSource {
  return LINK_SOURCES.has(source);
}

/**
 * Braces and their look-alikes (small, fullwidth and vertical presentation forms, which compatibility
 * normalisation turns into braces). Cognito's placeholders are the only braces a message may carry, so
 * template text and configuration may hold none (docs/cognito-contract.md §3a).
 */
export const BRACE_LIKE = /[{}\uFE37\uFE38\uFE5B\uFE5C\uFF5B\uFF5D]/u;

/**
 * The sequences Cognito expands in a message it sends (docs/cognito-contract.md §3a): the code placeholder,
 * the user name placeholder and any link placeholder `{##<link text>##}`, plus the event's own spellings of
 * them (old samples send `####`). Counted left to right without overlap, as a replace-all finds them.
 */
export function countPlaceholders(
  text: string,
  parameters: Pick<MessageCheckInput, 'codeParameter' | 'usernameParameter' | 'linkParameter'>,
): number {
  const own = [parameters.codeParameter, parameters.usernameParameter, parameters.linkParameter]
    .filter((value): value is string => typeof value === 'string' && value !== '')
    .map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp([...own, '\\{####\\}', '\\{username\\}', '\\{##[\\s\\S]*?##\\}'].join('|'), 'g');
  return text.match(pattern)?.length ?? 0;
}

/** The placeholders a body must contain for this source (contract §3 item 1). */
export function requiredPlaceholders(
  field: 'emailMessage' | 'smsMessage',
  input: MessageCheckInput,
  emailOption: EmailVerificationOption = 'CONFIRM_WITH_CODE',
): string[] {
  if (input.triggerSource === 'CustomMessage_AdminCreateUser') {
    // The invitation carries both the user name and the temporary password.
    return [input.usernameParameter ?? '{username}', input.codeParameter];
  }
  if (
    field === 'emailMessage' &&
    emailOption === 'CONFIRM_WITH_LINK' &&
    LINK_SOURCES.has(input.triggerSource)
  ) {
    return [input.linkParameter ?? '{##Verify Email##}'];
  }
  return [input.codeParameter];
}

/**
 * Every rule one field breaks, in the order Cognito's checks are reported. `null` (keep the pool default)
 * breaks nothing.
 */
export function checkMessageField(
  field: MessageField,
  value: string | null,
  input: MessageCheckInput,
  emailOption: EmailVerificationOption = 'CONFIRM_WITH_CODE',
): MessageBreach[] {
  if (value === null) return [];
  if (value === '') return [{ rule: 'empty' }];
  const breaches: MessageBreach[] = [];
  const [min, max] =
    field === 'emailMessage'
      ? [MessageLimits.emailMinLength, MessageLimits.emailMaxLength]
      : field === 'smsMessage'
        ? [MessageLimits.smsMinLength, MessageLimits.smsMaxLength]
        : [MessageLimits.subjectMinLength, MessageLimits.subjectMaxLength];
  // Lengths are counted as Java counts them: UTF-16 code units, placeholders included.
  if (value.length < min) breaches.push({ rule: 'too-short', length: value.length, min });
  if (value.length > max) breaches.push({ rule: 'too-long', length: value.length, max });
  if (field !== 'emailSubject') {
    for (const placeholder of requiredPlaceholders(field, input, emailOption)) {
      if (!value.includes(placeholder)) breaches.push({ rule: 'missing-placeholder', placeholder });
    }
  }
  if (field !== 'smsMessage') {
    const character = firstDisallowedCharacter(value, field === 'emailSubject' ? 'subject' : 'body');
    if (character !== undefined) breaches.push({ rule: 'invalid-character', character });
  }
  return breaches;
}

/** A one-line English description of a breach, for notes and logs (never the message text itself). */
export function describeBreach(field: MessageField, breach: MessageBreach): string {
  switch (breach.rule) {
    case 'empty':
      return `${field} is an empty string`;
    case 'too-short':
      return `${field} has ${breach.length} characters, fewer than ${breach.min}`;
    case 'too-long':
      return `${field} has ${breach.length} characters, more than ${breach.max}`;
    case 'missing-placeholder':
      return `${field} does not contain the placeholder ${breach.placeholder}`;
    case 'invalid-character':
      return `${field} contains ${breach.character}, outside the characters Cognito allows`;
  }
}
