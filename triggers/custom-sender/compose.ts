/**
 * The message a custom sender delivers, composed from the custom message trigger's catalogue (the same
 * templates, locales, escaping and caller-text rules: triggers/custom-message/compose-message.ts), then
 * filled with the real code.
 *
 * How: the sender event becomes the custom message event Cognito would have sent for the same operation
 * (`CustomEmailSender_SignUp` -> `CustomMessage_SignUp`, …) with Cognito's placeholders as parameters; the
 * composer renders it exactly as it renders for Cognito; then every `{####}` becomes the decrypted code and
 * every `{username}` (invitations) the name the user signs in with, in one pass over the composed text, so
 * neither value can expand into the other. Caller text never forms a placeholder: the composer lets no brace
 * or `#` of a caller value through (docs/cognito-contract.md §3a), so only the template's placeholders are
 * filled. The code itself is inserted as it is: an HTML email gets it HTML-escaped (a temporary password
 * may hold `<` or `&`), an SMS or a subject as plain text.
 *
 * A field the composer had to drop (a template that breaks a Cognito rule, a value it cannot render) is
 * replaced by a plain fallback that still carries the code: there is no pool message to fall back on here,
 * and the user is waiting for the code. Such a fallback is counted (`DefaultMessageFallbacks`).
 *
 * The account-takeover notification has no code and no custom message counterpart: {@link notificationComposer}
 * renders the catalogue's `notifications` (triggers/custom-message/notification-template.ts, where the rule
 * each threat field passes is written) into the same layout, and fills in nothing afterwards.
 */

import type {
  CustomEmailSenderAccountTakeOverEvent,
  CustomEmailSenderCodeEvent,
  CustomSenderTriggerSource,
  CustomSMSSenderEvent,
} from '../../shared/custom-sender/events.js';
import { domainEntriesOf } from '../../shared/email.js';
import type { CustomMessageEvent, CustomMessageTriggerSource } from '../../shared/event-types.js';
import {
  type ComposeMessagesOptions,
  composeMessages,
  type MessageNote,
} from '../custom-message/compose-message.js';
import type { MessageCatalogue } from '../custom-message/message-catalogue.js';
import { lookupLocale } from '../custom-message/negotiate-locale.js';
import {
  accountTakeOverValues,
  type NotificationVariable,
  renderNotification,
} from '../custom-message/notification-template.js';
import { renderTemplate } from '../custom-message/render-template.js';
import { escapeHtml } from '../custom-message/sanitize-value.js';
import { compiledCatalogue } from '../custom-message/templates/compiled.js';
import { compiledNotifications } from '../custom-message/templates/compiled-notifications.js';

/** A sender event that carries a code or a temporary password. */
export type CodeSenderEvent = CustomEmailSenderCodeEvent | CustomSMSSenderEvent;

/** Cognito's placeholders, as the custom message trigger receives them (contract §3, Request). */
const CODE_PLACEHOLDER = '{####}';
const USERNAME_PLACEHOLDER = '{username}';
const LINK_PLACEHOLDER = '{##Click Here##}';

/** The custom message source whose template each sender source uses. */
const TEMPLATE_SOURCE: Readonly<Record<CodeSenderEvent['triggerSource'], CustomMessageTriggerSource>> = {
  CustomEmailSender_SignUp: 'CustomMessage_SignUp',
  CustomEmailSender_ResendCode: 'CustomMessage_ResendCode',
  CustomEmailSender_ForgotPassword: 'CustomMessage_ForgotPassword',
  CustomEmailSender_UpdateUserAttribute: 'CustomMessage_UpdateUserAttribute',
  CustomEmailSender_VerifyUserAttribute: 'CustomMessage_VerifyUserAttribute',
  CustomEmailSender_AdminCreateUser: 'CustomMessage_AdminCreateUser',
  CustomEmailSender_Authentication: 'CustomMessage_Authentication',
  CustomSMSSender_SignUp: 'CustomMessage_SignUp',
  CustomSMSSender_ResendCode: 'CustomMessage_ResendCode',
  CustomSMSSender_ForgotPassword: 'CustomMessage_ForgotPassword',
  CustomSMSSender_UpdateUserAttribute: 'CustomMessage_UpdateUserAttribute',
  CustomSMSSender_VerifyUserAttribute: 'CustomMessage_VerifyUserAttribute',
  CustomSMSSender_AdminCreateUser: 'CustomMessage_AdminCreateUser',
  CustomSMSSender_Authentication: 'CustomMessage_Authentication',
};

/**
 * Whether `source` has a code template (every documented source but the account-takeover notification, which
 * {@link notificationComposer} composes).
 */
export function hasTemplate(
  source: CustomSenderTriggerSource | string,
): source is CodeSenderEvent['triggerSource'] {
  return Object.hasOwn(TEMPLATE_SOURCE, source);
}

/** A composed message, code filled in. Secret: never log it. */
export type SenderMessage = {
  /** Email only. */
  subject?: string;
  /** Email: HTML; SMS: text. */
  body: string;
  locale: string;
  /** Fields replaced by the plain fallback (each counts as a fallback). */
  fallbacks: ('subject' | 'body')[];
  /** What to log (never a value). */
  notes: MessageNote[];
};

/**
 * `text` with every code and user name placeholder filled in one pass (so a value holding the other
 * placeholder stays as it is), each value escaped for HTML when `html`.
 *
 * @example
 * fillPlaceholders('Code {####} for {username}', { code: '123456', username: 'jane@example.com' }, false);
 */
export function fillPlaceholders(
  text: string,
  values: { code: string; username: string },
  html: boolean,
): string {
  const shown = (value: string) => (html ? escapeHtml(value) : value);
  return text.replace(/\{####\}|\{username\}/g, (placeholder) =>
    shown(placeholder === CODE_PLACEHOLDER ? values.code : values.username),
  );
}

/**
 * The name the user signs in with, for `{username}`: the user name, except in a pool whose users sign in with
 * their email or phone number (`UsernameAttributes`), where the user name is the generated `sub` the user never
 * sees (docs/cognito-contract.md §1, `userName` [O]): there, the address of the message's own channel (the
 * email for an email, the phone number for an SMS), else the other one.
 */
function signInNameOf(event: CodeSenderEvent): string {
  const attributes = event.request.userAttributes;
  if (attributes.sub === undefined || event.userName !== attributes.sub) return event.userName;
  const [own, other] =
    event.request.type === 'customSMSSenderRequestV1'
      ? [attributes.phone_number, attributes.email]
      : [attributes.email, attributes.phone_number];
  return own ?? other ?? event.userName;
}

/** The custom message event Cognito would have sent for the same operation, with its placeholders. */
function customMessageEventOf(event: CodeSenderEvent): CustomMessageEvent {
  const triggerSource = TEMPLATE_SOURCE[event.triggerSource];
  const clientMetadata = event.request.clientMetadata;
  return {
    version: '1',
    triggerSource,
    region: event.region,
    userPoolId: event.userPoolId,
    userName: event.userName,
    callerContext: {
      awsSdkVersion: event.callerContext.awsSdkVersion ?? 'aws-sdk-unknown-unknown',
      clientId: event.callerContext.clientId,
    },
    request: {
      userAttributes: event.request.userAttributes,
      codeParameter: CODE_PLACEHOLDER,
      linkParameter: LINK_PLACEHOLDER,
      usernameParameter: triggerSource === 'CustomMessage_AdminCreateUser' ? USERNAME_PLACEHOLDER : null,
      ...(clientMetadata === null || clientMetadata === undefined ? {} : { clientMetadata }),
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  };
}

/**
 * Builds the composer of a sender (options checked once, at cold start, as the custom message trigger
 * checks them; links are never used: a sender's email carries the code itself).
 *
 * @example
 * const compose = senderComposer({ appName: 'Example' });
 * const message = compose(event, '123456');
 */
export function senderComposer(options: ComposeMessagesOptions) {
  const compose = composeMessages({ ...options, emailOption: 'CONFIRM_WITH_CODE' });
  const appName = options.appName.trim();
  return function composeSenderMessage(event: CodeSenderEvent, secret: string): SenderMessage {
    const { response, locale, notes } = compose(customMessageEventOf(event));
    const values = { code: secret, username: signInNameOf(event) };
    const fallbacks: SenderMessage['fallbacks'] = [];
    const orFallback = (text: string | null, field: 'subject' | 'body', fallback: string) => {
      if (text !== null) return text;
      fallbacks.push(field);
      return fallback;
    };
    if (event.request.type === 'customSMSSenderRequestV1') {
      const text = orFallback(response.smsMessage, 'body', `${appName}: ${CODE_PLACEHOLDER}`);
      return { body: fillPlaceholders(text, values, false), locale, fallbacks, notes };
    }
    const invitation = event.triggerSource === 'CustomEmailSender_AdminCreateUser';
    const subject = orFallback(response.emailSubject, 'subject', appName);
    const body = orFallback(
      response.emailMessage,
      'body',
      `<p>${escapeHtml(appName)}</p><p>${invitation ? `${USERNAME_PLACEHOLDER}<br>` : ''}${CODE_PLACEHOLDER}</p>`,
    );
    return {
      subject: fillPlaceholders(subject, values, false),
      body: fillPlaceholders(body, values, true),
      locale,
      fallbacks,
      notes,
    };
  };
}

/** A composed notification (no code in it). Holds the user's sign-in details: never log it. */
export type SenderNotification = {
  subject: string;
  /** HTML, in the catalogue's layout. */
  body: string;
  locale: string;
  /** The variables whose value broke its rule and was left out (names only, for the log). */
  withheld: NotificationVariable[];
};

/** What the composer knows of the recipient: the attributes AdminGetUser returned. */
export type NotificationRecipient = { attributes: ReadonlyMap<string, string> };

/**
 * Builds the composer of the account-takeover notification from the compiled notifications, in the
 * catalogue's layout (options checked once, as for {@link senderComposer}; `extraLinkHosts` are domain
 * entries, shared/email.ts, a one-click link may point to beside Cognito's hosts). The locale is the user's
 * `locale` attribute when it names a shipped locale (the event carries neither attributes nor ClientMetadata),
 * else `DEFAULT_LOCALE`. Every threat field goes through its rule
 * (triggers/custom-message/notification-template.ts); nothing is filled in after rendering, so no value can
 * become a placeholder.
 *
 * @example
 * const compose = notificationComposer({ appName: 'Example' });
 * const message = compose(event, { attributes: new Map([['locale', 'fr']]) });
 */
export function notificationComposer(
  options: ComposeMessagesOptions,
  extraLinkHosts: readonly string[] = [],
) {
  composeMessages(options); // the same checks, once: an option that fails there fails here
  const linkHosts = domainEntriesOf(extraLinkHosts, 'oneClickLinkHosts');
  const catalogue: MessageCatalogue = options.catalogue ?? compiledCatalogue;
  const defaultLocale = options.defaultLocale ?? 'en';
  const maxValueLength = options.maxValueLength ?? 64;
  const appName = options.appName;
  const supportEmail = options.supportEmail ?? '';
  // A locale needs both its notification and its layout direction.
  const shipped = Object.keys(compiledNotifications).filter(
    (locale) => catalogue.locales[locale] !== undefined,
  );
  return function composeAccountTakeOverNotification(
    event: CustomEmailSenderAccountTakeOverEvent,
    recipient: NotificationRecipient,
  ): SenderNotification {
    const requested = recipient.attributes.get('locale');
    const locale = (requested === undefined ? undefined : lookupLocale(requested, shipped)) ?? defaultLocale;
    const compiled = catalogue.locales[locale];
    const notification = compiledNotifications[locale]?.accountTakeOver;
    if (compiled === undefined || notification === undefined) {
      // Unreachable with the compiled catalogue (every locale has every notification); a custom catalogue
      // whose DEFAULT_LOCALE ships no notification gets here.
      throw new Error(`The catalogue has no account-takeover notification for ${locale}`);
    }
    const values = { ...accountTakeOverValues(event.request.userAttributes), appName, supportEmail };
    const subject = renderNotification(notification.emailSubject, values, 'text', maxValueLength, linkHosts);
    const content = renderNotification(notification.emailMessage, values, 'html', maxValueLength, linkHosts);
    const footer = renderNotification(notification.footer, values, 'html', maxValueLength, linkHosts);
    const page = renderTemplate(
      catalogue.layout,
      { lang: locale, dir: compiled.dir, appName, content: content.text, footer: footer.text },
      'html',
      maxValueLength,
    );
    return {
      subject: subject.text,
      body: page.text,
      locale,
      withheld: [...new Set([...content.withheld, ...subject.withheld, ...footer.withheld])],
    };
  };
}
