/**
 * Sends one composed email through Amazon SES v2 `SendEmail` (Simple content: subject, HTML and/or text
 * body, UTF-8), for a custom email sender: Cognito hands the function the code and expects it to
 * "process and deliver all email messages" (contract §3, custom email sender), so nothing else will.
 * Failures come out as one {@link DeliveryError} (delivery-error.ts): retryable or permanent, never quoting
 * an address or the content.
 *
 * @see https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-email-sender.html
 */
import { isRegion } from '../aws-client.js';
import { type Env, readList, readString } from '../config.js';
import { normalizeEmail } from '../email.js';
import { maskEmail } from '../mask.js';
import { configureFrom, OptionsError } from '../options.js';
import { declareSettings } from '../settings.js';
import { type DeliveryBounds, type DeliveryReceipt, deliveryCall } from './delivery-call.js';
import { DeliveryError, DeliveryFailure } from './delivery-error.js';
import { defaultSesClient, loadSesSdk, type SesClientProvider } from './ses-client.js';

/** Options of {@link deliverEmail}. */
export type DeliverEmailOptions = {
  /**
   * `FromEmailAddress`: `no-reply@example.com` or `Example <no-reply@example.com>`, an identity verified in
   * SES (or one `fromArn` authorises). A display name is printable ASCII: encode any other (RFC 2047
   * `=?UTF-8?B?…?=`), as SES requires.
   */
  from: string;
  /** `ReplyToAddresses`: where replies go, in the same form as `from`. */
  replyTo?: readonly string[];
  /** `ConfigurationSetName`: the set whose event destinations see the sends (bounces, complaints). */
  configurationSetName?: string;
  /** `FromEmailAddressIdentityArn`: the identity, possibly another account's, that authorises `from`. */
  fromArn?: string;
  /** `FeedbackForwardingEmailAddress`: where bounces and complaints go when feedback forwarding is on. */
  feedbackForwardingAddress?: string;
  /** `FeedbackForwardingEmailAddressIdentityArn`: the identity that authorises that address. */
  feedbackForwardingArn?: string;
  /** The SES Region (its identities are per Region); the function's own (`AWS_REGION`) when unset. */
  region?: string;
};

/** What {@link deliverEmail} calls out to. */
export type DeliverEmailDependencies = { ses: SesClientProvider };

/** One composed email: a subject and at least one of an HTML and a text body. */
export type EmailMessage = {
  /** The recipient: Cognito's `email` attribute. */
  to: string;
  subject: string;
  html?: string;
  text?: string;
};

/** Sends one email; resolves with SES's message id, or rejects with a {@link DeliveryError}. */
export type EmailDelivery = (message: EmailMessage, bounds: DeliveryBounds) => Promise<DeliveryReceipt>;

// `Display Name <address>` or a bare address; the name is printable ASCII without angle brackets.
const MAILBOX = /^(?:([\x20-\x3B\x3D\x3F-\x7E]*?)\s*<([^<>\s]+)>|([^<>\s]+))$/;
// SES v2: "up to 64 alphanumeric characters, including letters, numbers, hyphens (-) and underscores (_)".
const CONFIGURATION_SET = /^[A-Za-z0-9_-]{1,64}$/;
const IDENTITY_ARN = /^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/[^\s/]+$/;
// A line break in a subject would be a header injection if anything downstream built headers from it.
const CONTROL = /\p{Cc}/u;

/**
 * The address SES can send to: the local part as given (ASCII: SES has no SMTPUTF8) and the domain in
 * ASCII (punycode for an IDN, as SES requires), or `undefined` when the address is not one.
 */
export function sesAddress(address: unknown): string | undefined {
  if (typeof address !== 'string') return undefined;
  const normalized = normalizeEmail(address);
  if (normalized === undefined) return undefined;
  const local = address.slice(0, address.lastIndexOf('@'));
  if (!/^[\x21-\x7E]+$/.test(local)) return undefined;
  return `${local}@${normalized.domain}`;
}

/** A `From` or `Reply-To` mailbox in the form SES takes, or `undefined` when it is not one. */
function sesMailbox(mailbox: unknown): string | undefined {
  if (typeof mailbox !== 'string') return undefined;
  const match = MAILBOX.exec(mailbox.trim());
  if (match === null) return undefined;
  const [, name, bracketed, bare] = match;
  const address = sesAddress(bracketed ?? bare);
  if (address === undefined) return undefined;
  return name === undefined || name.trim() === '' ? address : `${name.trim()} <${address}>`;
}

/** The options with their defaults, checked, and the mailboxes in the form SES takes. */
function checkedOptions(options: DeliverEmailOptions) {
  const mailboxText = 'an email address, or a display name (printable ASCII) and <address>';
  const from = sesMailbox(options.from);
  if (from === undefined) throw new OptionsError('from', mailboxText);
  const replyToList = options.replyTo ?? [];
  if (!Array.isArray(replyToList)) throw new OptionsError('replyTo', `a list of ${mailboxText}`);
  const replyTo = replyToList.map((entry: unknown, index) => {
    const mailbox = sesMailbox(entry);
    if (mailbox === undefined) {
      throw new OptionsError('replyTo', `a list of ${mailboxText} (entry ${index + 1} is not one)`);
    }
    return mailbox;
  });
  const { configurationSetName, fromArn, feedbackForwardingArn, region } = options;
  if (configurationSetName !== undefined && !CONFIGURATION_SET.test(configurationSetName)) {
    throw new OptionsError('configurationSetName', '1-64 letters, digits, hyphens or underscores');
  }
  const arnText = 'an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<identity>)';
  if (fromArn !== undefined && !IDENTITY_ARN.test(fromArn)) throw new OptionsError('fromArn', arnText);
  if (feedbackForwardingArn !== undefined && !IDENTITY_ARN.test(feedbackForwardingArn)) {
    throw new OptionsError('feedbackForwardingArn', arnText);
  }
  let feedbackForwardingAddress: string | undefined;
  if (options.feedbackForwardingAddress !== undefined) {
    feedbackForwardingAddress = sesAddress(options.feedbackForwardingAddress);
    if (feedbackForwardingAddress === undefined) {
      throw new OptionsError('feedbackForwardingAddress', 'an email address');
    }
  }
  if (region !== undefined && !isRegion(region)) {
    throw new OptionsError('region', 'an AWS Region such as us-east-1');
  }
  return { ...options, from, replyTo, feedbackForwardingAddress };
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * A sender of one email through SES v2 `SendEmail`, options checked once (at cold start). Refuses, before
 * any call, a recipient that is not an address SES can take (`bad-address`) and a message without a
 * subject or body, or with a control character in its subject (`invalid-message`), both permanent.
 * @throws OptionsError naming the option.
 *
 * @example
 * const send = deliverEmail({ from: 'Example <no-reply@example.com>', configurationSetName: 'auth' });
 * await send(
 *   { to: 'jane@example.com', subject: 'Your code', html: '<p>123456</p>', text: '123456' },
 *   { deadline: Date.now() + 10_000 },
 * );
 */
export function deliverEmail(
  options: DeliverEmailOptions,
  dependencies: DeliverEmailDependencies = { ses: defaultSesClient },
): EmailDelivery {
  const settings = checkedOptions(options);
  const { ses } = dependencies;
  if (typeof ses !== 'function') throw new OptionsError('dependencies.ses', 'a function');

  // What every message of the function shares: built once.
  const fixed = {
    FromEmailAddress: settings.from,
    ...(settings.replyTo.length === 0 ? {} : { ReplyToAddresses: [...settings.replyTo] }),
    ...(settings.configurationSetName === undefined
      ? {}
      : { ConfigurationSetName: settings.configurationSetName }),
    ...(settings.fromArn === undefined ? {} : { FromEmailAddressIdentityArn: settings.fromArn }),
    ...(settings.feedbackForwardingAddress === undefined
      ? {}
      : { FeedbackForwardingEmailAddress: settings.feedbackForwardingAddress }),
    ...(settings.feedbackForwardingArn === undefined
      ? {}
      : { FeedbackForwardingEmailAddressIdentityArn: settings.feedbackForwardingArn }),
  };

  return async function deliverEmail(message, bounds) {
    const maskedDestination = maskEmail(message.to);
    const target = { channel: 'email', operation: 'SendEmail', maskedDestination } as const;
    const to = sesAddress(message.to);
    if (to === undefined) throw new DeliveryError({ ...target, reason: DeliveryFailure.BadAddress });
    const { subject, html, text } = message as { subject: unknown; html: unknown; text: unknown };
    const hasBody = isText(html) || isText(text);
    if (!isText(subject) || CONTROL.test(subject) || !hasBody) {
      throw new DeliveryError({ ...target, reason: DeliveryFailure.InvalidMessage });
    }

    const answer = await deliveryCall(target, bounds, async (signal) => {
      const [client, { SendEmailCommand }] = await Promise.all([ses(settings.region), loadSesSdk()]);
      return client.send(
        new SendEmailCommand({
          ...fixed,
          Destination: { ToAddresses: [to] },
          Content: {
            Simple: {
              Subject: { Data: subject, Charset: 'UTF-8' },
              Body: {
                ...(isText(html) ? { Html: { Data: html, Charset: 'UTF-8' } } : {}),
                ...(isText(text) ? { Text: { Data: text, Charset: 'UTF-8' } } : {}),
              },
            },
          },
        }),
        { abortSignal: signal },
      );
    });
    return { messageId: answer.MessageId };
  };
}

/**
 * The options from `EMAIL_FROM_ADDRESS` (required), `EMAIL_REPLY_TO_ADDRESSES` (comma-separated),
 * `EMAIL_CONFIGURATION_SET`, `EMAIL_FROM_ARN`, `EMAIL_FEEDBACK_FORWARDING_ADDRESS`,
 * `EMAIL_FEEDBACK_FORWARDING_ARN` and `EMAIL_REGION`, checked at once: a bad or missing value throws a
 * `ConfigurationError` naming its variable. An empty variable is unset.
 */
export function deliverEmailFromEnv(env: Env): DeliverEmailOptions {
  const optional = (name: string, option: keyof DeliverEmailOptions) => {
    const value = readString(env, name, '');
    return value === '' ? {} : { [option]: value };
  };
  const replyTo = readList(env, 'EMAIL_REPLY_TO_ADDRESSES');
  const options: DeliverEmailOptions = {
    from: readString(env, 'EMAIL_FROM_ADDRESS', ''),
    ...(replyTo.length === 0 ? {} : { replyTo }),
    ...optional('EMAIL_CONFIGURATION_SET', 'configurationSetName'),
    ...optional('EMAIL_FROM_ARN', 'fromArn'),
    ...optional('EMAIL_FEEDBACK_FORWARDING_ADDRESS', 'feedbackForwardingAddress'),
    ...optional('EMAIL_FEEDBACK_FORWARDING_ARN', 'feedbackForwardingArn'),
    ...optional('EMAIL_REGION', 'region'),
  };
  // The factory's checks, reported by the variable each option came from.
  configureFrom(deliverEmailSettings, () => checkedOptions(options));
  return options;
}

/** What {@link deliverEmail} reads (shared/settings.ts). */
export const deliverEmailSettings = declareSettings({
  owner: 'deliverEmail',
  variables: [
    { name: 'EMAIL_FROM_ADDRESS', option: 'from' },
    { name: 'EMAIL_REPLY_TO_ADDRESSES', option: 'replyTo' },
    { name: 'EMAIL_CONFIGURATION_SET', option: 'configurationSetName' },
    { name: 'EMAIL_FROM_ARN', option: 'fromArn' },
    { name: 'EMAIL_FEEDBACK_FORWARDING_ADDRESS', option: 'feedbackForwardingAddress' },
    { name: 'EMAIL_FEEDBACK_FORWARDING_ARN', option: 'feedbackForwardingArn' },
    { name: 'EMAIL_REGION', option: 'region' },
  ],
});
