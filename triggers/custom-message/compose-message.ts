/**
 * The pure core of the custom message trigger: negotiates the locale, builds the verification link, renders
 * the three fields and checks each against Cognito's rules. A field that would break a rule is returned as
 * `null` (Cognito then sends the pool's own message) with a note saying why: a custom message problem must
 * never fail the user's API call (contract §3, Constraints item 3).
 */
import { type Env, readChoice, readList, readString } from '../../shared/config.js';
import type { CustomMessageEvent, CustomMessageResponse } from '../../shared/event-types.js';
import {
  BRACE_LIKE,
  checkMessageField,
  type EmailVerificationOption,
  isLinkVerificationSource,
  type MessageBreach,
  type MessageField,
} from '../../shared/message-rules.js';
import { checkWhole, OptionsError } from '../../shared/options.js';
import type { WithheldReason } from './caller-text.js';
import type { CompiledMessage, MessageCatalogue } from './message-catalogue.js';
import { type LocaleSource, negotiateLocale } from './negotiate-locale.js';
import {
  type RenderMode,
  renderTemplate,
  type TemplatePart,
  type TemplateValues,
} from './render-template.js';
import { sanitizeUserValue } from './sanitize-value.js';
import { attributeVariables, linkSources, type TemplateVariable } from './template-variables.js';
import { compiledCatalogue } from './templates/compiled.js';
import {
  buildVerificationLink,
  parseAllowedOrigins,
  parseConfirmUrl,
  type RedirectDropReason,
  type VerificationLinkSettings,
} from './verification-link.js';

/** Options of {@link composeMessages}. Configuration names match the environment variables they come from. */
export type ComposeMessagesOptions = {
  /** `APP_NAME`, shown in subjects, bodies and the layout's title. */
  appName: string;
  /** `SUPPORT_EMAIL`, for footers. Default: none (templates show it only inside a section). */
  supportEmail?: string;
  /** `DEFAULT_LOCALE`: one of the shipped locales. Default `en`. */
  defaultLocale?: string;
  /** `CONFIRM_URL`: required when a template uses `{{link}}`. */
  confirmUrl?: string;
  /** `ALLOWED_REDIRECT_ORIGINS`: origins a ClientMetadata `redirectUri` may point to. Default: none. */
  allowedRedirectOrigins?: readonly string[];
  /**
   * The fields to write. `emailMessage` and `emailSubject` only work when the pool sends email through SES
   * (`EmailSendingAccount: DEVELOPER`); with Cognito's default email Cognito answers
   * InvalidLambdaResponseException (contract §3, Constraints item 4). Default: all three.
   */
  fields?: readonly MessageField[];
  /**
   * `EMAIL_VERIFICATION_OPTION`: the pool's `VerificationMessageTemplate.DefaultEmailOption`. With
   * `CONFIRM_WITH_LINK`, sign-up and resend emails carry Cognito's link placeholder instead of the code and
   * are rendered from the `<source>.link.yaml` templates. Default `CONFIRM_WITH_CODE`.
   */
  emailOption?: EmailVerificationOption;
  /** The most code points one user value may take before it is cut with an ellipsis. Default 64. */
  maxValueLength?: number;
  /** The compiled templates. Default: the shipped ones (templates/compiled.ts). */
  catalogue?: MessageCatalogue;
};

const defaults = {
  supportEmail: '',
  defaultLocale: 'en',
  confirmUrl: undefined as string | undefined,
  allowedRedirectOrigins: [] as readonly string[],
  fields: ['emailSubject', 'emailMessage', 'smsMessage'] as readonly MessageField[],
  emailOption: 'CONFIRM_WITH_CODE' as EmailVerificationOption,
  maxValueLength: 64,
  catalogue: compiledCatalogue as MessageCatalogue,
};

/** Why one field could not be used: a Cognito rule, or a placeholder the event did not carry. */
export type FieldProblem = MessageBreach | { rule: 'missing-value'; variable: TemplateVariable };

/** Something the caller should log. Never carries a user value, a code or a ClientMetadata value. */
export type MessageNote =
  | { kind: 'metadata-ignored'; reason: string }
  | { kind: 'value-withheld'; variable: TemplateVariable; reason: WithheldReason }
  | { kind: 'redirect-dropped'; reason: RedirectDropReason }
  | { kind: 'unknown-source' }
  | { kind: 'field-dropped'; field: MessageField; problems: FieldProblem[] };

/** The response to put on the event, and what to log about it. */
export type ComposedMessage = {
  response: CustomMessageResponse;
  locale: string;
  localeSource: LocaleSource;
  notes: MessageNote[];
};

const renderModes: Readonly<Record<MessageField, RenderMode>> = {
  emailSubject: 'text',
  emailMessage: 'html',
  smsMessage: 'text',
};

// Whether `name` is used outside any section that tests it, so its absence would drop the field.
function requiresVariable(parts: readonly TemplatePart[], name: TemplateVariable): boolean {
  return parts.some(
    (part) =>
      typeof part !== 'string' &&
      ('v' in part ? part.v === name : part.s !== name && requiresVariable(part.p, name)),
  );
}

function messagesOf(catalogue: MessageCatalogue): CompiledMessage[] {
  return Object.values(catalogue.locales).flatMap((locale) => Object.values(locale.messages));
}

const allFields: readonly string[] = defaults.fields;

function checkOptions(
  settings: typeof defaults & ComposeMessagesOptions,
): VerificationLinkSettings | undefined {
  const { catalogue, appName } = settings;
  const maxValueLength = checkWhole('maxValueLength', settings.maxValueLength, {
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
  });
  if (!Object.hasOwn(catalogue.locales, settings.defaultLocale)) {
    const shipped = Object.keys(catalogue.locales).join(', ');
    throw new OptionsError('defaultLocale', `one of the shipped locales (${shipped})`);
  }
  if (typeof appName !== 'string' || appName.trim() === '') {
    throw new OptionsError('appName', 'a non-empty name (the name users know the app by)');
  }
  if (sanitizeUserValue(appName, maxValueLength) !== appName.trim()) {
    throw new OptionsError('appName', `at most ${maxValueLength} printable characters`);
  }
  if (BRACE_LIKE.test(appName)) throw new OptionsError('appName', "a name without braces (Cognito's)");
  if (typeof settings.supportEmail !== 'string' || BRACE_LIKE.test(settings.supportEmail)) {
    throw new OptionsError('supportEmail', "an address without braces (Cognito's)");
  }
  if (settings.emailOption !== 'CONFIRM_WITH_CODE' && settings.emailOption !== 'CONFIRM_WITH_LINK') {
    throw new OptionsError('emailOption', 'CONFIRM_WITH_CODE or CONFIRM_WITH_LINK');
  }
  // Cognito counts UTF-16 units: 64 emoji are 128 of them, enough to push a subject past 140.
  if (appName.trim().length > maxValueLength) {
    throw new OptionsError('appName', `at most ${maxValueLength} characters (UTF-16 units)`);
  }
  if (!Array.isArray(settings.fields) || !settings.fields.every((field) => allFields.includes(field))) {
    throw new OptionsError('fields', `a list of ${allFields.join(', ')}`);
  }
  const allowedOrigins = parseAllowedOrigins(settings.allowedRedirectOrigins);
  if (settings.confirmUrl === undefined) {
    const linked = messagesOf(catalogue).some((message) =>
      Object.values(message).some((parts) => requiresVariable(parts, 'link')),
    );
    if (linked) {
      throw new OptionsError('confirmUrl', 'set: a template uses {{link}} outside a {{#link}} section');
    }
    return undefined;
  }
  return { confirmUrl: parseConfirmUrl(settings.confirmUrl), allowedOrigins };
}

/**
 * Builds the composer. Options are checked once, here (cold start), with an {@link OptionsError} naming the
 * option (renderMessagesSettings maps it to its variable); the returned function never throws for anything an
 * event or a caller can send.
 *
 * @example
 * const composeMessage = composeMessages({ appName: 'Example', confirmUrl: 'https://app.example.com/confirm' });
 * const { response, notes } = composeMessage(event);
 */
export function composeMessages(
  options: ComposeMessagesOptions,
): (event: CustomMessageEvent) => ComposedMessage {
  const settings = { ...defaults, ...options };
  const linkSettings = checkOptions(settings);
  const { catalogue, fields, maxValueLength, emailOption } = settings;
  const shipped = Object.keys(catalogue.locales);

  return function composeMessage(event: CustomMessageEvent): ComposedMessage {
    const response: CustomMessageResponse = { smsMessage: null, emailMessage: null, emailSubject: null };
    const notes: MessageNote[] = [];
    const negotiated = negotiateLocale(event, shipped, settings.defaultLocale);
    if (negotiated.ignoredMetadata !== undefined) {
      notes.push({ kind: 'metadata-ignored', reason: negotiated.ignoredMetadata });
    }
    const composed = { response, locale: negotiated.locale, localeSource: negotiated.source, notes };
    const locale = catalogue.locales[negotiated.locale];
    const source = event.triggerSource;
    const codeMessage =
      locale !== undefined && Object.hasOwn(locale.messages, source) ? locale.messages[source] : undefined;
    if (locale === undefined || codeMessage === undefined) {
      notes.push({ kind: 'unknown-source' });
      return composed;
    }
    // A pool that verifies by link sends Cognito's link in sign-up and resend emails, never the code.
    const message =
      emailOption === 'CONFIRM_WITH_LINK' && isLinkVerificationSource(source)
        ? { ...codeMessage, ...locale.linkMessages[source] }
        : codeMessage;

    const values: Partial<Record<TemplateVariable, string>> = {
      appName: settings.appName,
      supportEmail: settings.supportEmail,
      lang: negotiated.locale,
      dir: locale.dir,
    };
    // Placeholders go in exactly as received: Cognito searches the message for them (contract §3, Request).
    if (typeof event.request.codeParameter === 'string') values.code = event.request.codeParameter;
    if (typeof event.request.usernameParameter === 'string')
      values.username = event.request.usernameParameter;
    if (typeof event.request.linkParameter === 'string') values.cognitoLink = event.request.linkParameter;
    const attributes = event.request.userAttributes;
    for (const name of attributeVariables) {
      const value = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
      if (typeof value === 'string') values[name] = value;
    }
    if (linkSettings !== undefined && linkSources.has(source)) {
      const built = buildVerificationLink(event, linkSettings);
      if (built.link !== undefined) values.link = built.link;
      if (built.redirectDropped !== undefined)
        notes.push({ kind: 'redirect-dropped', reason: built.redirectDropped });
    }

    const checkInput = {
      triggerSource: source,
      codeParameter: event.request.codeParameter,
      usernameParameter: event.request.usernameParameter,
      linkParameter: event.request.linkParameter,
    };
    const withheld = new Set<TemplateVariable>();
    for (const field of fields) {
      let rendered = renderTemplate(message[field], values, renderModes[field], maxValueLength);
      for (const variable of rendered.withheld) withheld.add(variable);
      if (field === 'emailMessage' && rendered.missing.length === 0) {
        const footer = renderTemplate(locale.footer, values, 'html', maxValueLength);
        const page: TemplateValues = { ...values, content: rendered.text, footer: footer.text };
        rendered = renderTemplate(catalogue.layout, page, 'html', maxValueLength);
      }
      const problems: FieldProblem[] =
        rendered.missing.length > 0
          ? rendered.missing.map((variable) => ({ rule: 'missing-value', variable }))
          : checkMessageField(field, rendered.text, checkInput, emailOption);
      if (problems.length === 0) response[field] = rendered.text;
      else notes.push({ kind: 'field-dropped', field, problems });
    }
    for (const variable of withheld) notes.push({ kind: 'value-withheld', variable, reason: 'not-a-name' });
    return composed;
  };
}

/**
 * Options of {@link composeMessages} from `APP_NAME`, `SUPPORT_EMAIL`, `DEFAULT_LOCALE`, `CONFIRM_URL`,
 * `ALLOWED_REDIRECT_ORIGINS` (comma-separated) and `EMAIL_VERIFICATION_OPTION`. The values are checked by
 * {@link composeMessages} (an unset `APP_NAME` included).
 * @throws ConfigurationError naming `EMAIL_VERIFICATION_OPTION` when it is not one of its choices.
 */
export function composeMessagesOptionsFromEnv(env: Env): ComposeMessagesOptions {
  const confirmUrl = readString(env, 'CONFIRM_URL', '');
  return {
    appName: readString(env, 'APP_NAME', ''),
    supportEmail: readString(env, 'SUPPORT_EMAIL', ''),
    defaultLocale: readString(env, 'DEFAULT_LOCALE', defaults.defaultLocale),
    allowedRedirectOrigins: readList(env, 'ALLOWED_REDIRECT_ORIGINS'),
    emailOption: readChoice(
      env,
      'EMAIL_VERIFICATION_OPTION',
      ['CONFIRM_WITH_CODE', 'CONFIRM_WITH_LINK'],
      defaults.emailOption,
    ),
    ...(confirmUrl === '' ? {} : { confirmUrl }),
  };
}
