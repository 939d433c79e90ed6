/**
 * The custom sender rule, one for both senders: decrypt the code Cognito encrypted, compose the message from
 * the custom message catalogue, and deliver it once (docs/custom-senders.md, "The toolkit's functions").
 *
 * Cognito invokes a sender asynchronously (contract §6): nobody waits for an answer, and a failure reaches
 * no user. So every failure throws (the core logs it and fails the invocation): Lambda retries it, and after
 * its retries the on-failure destination keeps the event (the code still encrypted). A retry that finds the
 * message already sent skips it (shared/custom-sender/send-once.ts).
 *
 * The plaintext code lives in this function's locals only: it never reaches a log line, a metric, a trace or
 * an error (the errors of decryption and delivery carry reasons, never values).
 *
 * The account-takeover notification (email only) carries no code and no address: the rule looks the user up
 * with AdminGetUser under the invocation's deadline, sends the catalogue's notification to the `email`
 * attribute when it is verified (`notifyUnverifiedEmail` sends to an unverified one too), and keys the
 * send-once record by the event's `EVENT_ID`. A user without an email (or with an unverified one), or gone, is
 * a logged skip (a retry could not change it); a failed lookup fails the invocation, so Lambda retries it.
 */

import {
  type CognitoClientProvider,
  CognitoRequestError,
  defaultCognitoClient,
  loadCognitoSdk,
} from '../../../shared/cognito-client.js';
import { type Env, readBoolean, readString } from '../../../shared/config.js';
import {
  type CodeKey,
  createCodeDecryptor,
  LOCAL_CODE_KEY,
  unescapeTemporaryPassword,
} from '../../../shared/custom-sender/code-cipher.js';
import {
  type DeliverEmailOptions,
  deliverEmail,
  deliverEmailFromEnv,
} from '../../../shared/custom-sender/deliver-email.js';
import {
  type DeliverSmsOptions,
  deliverSms,
  deliverSmsFromEnv,
} from '../../../shared/custom-sender/deliver-sms.js';
import type { DeliveryBounds, DeliveryReceipt } from '../../../shared/custom-sender/delivery-call.js';
import { DeliveryError, DeliveryFailure } from '../../../shared/custom-sender/delivery-error.js';
import {
  AccountTakeOverAttribute,
  type CustomEmailSenderAccountTakeOverEvent,
  type CustomSenderChannel,
  type CustomSenderEvent,
  CustomSenderSecret,
  CustomSenderTriggerSource,
  customSenderFactsOf,
} from '../../../shared/custom-sender/events.js';
import { type SendOnceOptions, sendOnce, sendOnceFromEnv } from '../../../shared/custom-sender/send-once.js';
import type { SesClientProvider } from '../../../shared/custom-sender/ses-client.js';
import type { SnsClientProvider } from '../../../shared/custom-sender/sns-client.js';
import { boundedSignal, withDeadline } from '../../../shared/deadline.js';
import type { DynamoDbClientProvider } from '../../../shared/dynamodb-client.js';
import { readDomainEntries } from '../../../shared/email.js';
import { ConfigurationError } from '../../../shared/errors.js';
import type { Rule, RuleContext } from '../../../shared/handler-core.js';
import { maskEmail, maskPhone } from '../../../shared/mask.js';
import { MetricName } from '../../../shared/metrics.js';
import { logger as sharedLogger } from '../../../shared/observability.js';
import { OptionsError } from '../../../shared/options.js';
import { declareSettings } from '../../../shared/settings.js';
import {
  type ComposeMessagesOptions,
  composeMessagesOptionsFromEnv,
} from '../../custom-message/compose-message.js';
import { type CodeSenderEvent, hasTemplate, notificationComposer, senderComposer } from '../compose.js';

/** Options of {@link sendMessage}. */
export type SendMessageOptions = {
  channel: CustomSenderChannel;
  /** The pool's KMS key (`CODE_KEY_ARN`), or a raw AES key for a local pipeline. */
  key: CodeKey;
  /** The catalogue's options (`APP_NAME`, `SUPPORT_EMAIL`, `DEFAULT_LOCALE`). */
  compose: ComposeMessagesOptions;
  /** Required for the email channel. */
  email?: DeliverEmailOptions;
  /** Required for the SMS channel. */
  sms?: DeliverSmsOptions;
  /** Duplicate control; without it every attempt sends. */
  sendOnce?: SendOnceOptions;
  /**
   * Whether the account-takeover notification also goes to an email the user never verified. Default `false`:
   * it tells where and from which device someone signed in, so it goes only to an address the user proved is
   * theirs. What Cognito itself does is not documented [I]; set it for a pool that never verifies emails.
   */
  notifyUnverifiedEmail?: boolean;
  /**
   * Hosts a one-click link of the account-takeover notification may point to beside Cognito's own
   * (`amazonaws.com`, `amazonaws.com.cn`, `amazoncognito.com` and their sub-domains), as domain entries
   * (`auth.example.com` that host, `*.example.com` its sub-domains): a pool whose links use its custom domain
   * [I]. A link on any other host is dropped (named in the log, never its value).
   */
  oneClickLinkHosts?: readonly string[];
  /** Clients (tests and local runs point them elsewhere); default: the AWS SDK's. */
  dependencies?: {
    ses?: SesClientProvider;
    sns?: SnsClientProvider;
    dynamodb?: DynamoDbClientProvider;
    /** AdminGetUser for the account-takeover notification (email channel only). */
    cognito?: CognitoClientProvider;
  };
  logger?: Pick<typeof sharedLogger, 'info' | 'warn' | 'error'>;
};

/** Where the message goes: the address of the channel, from the user's attributes. */
function destinationOf(event: CodeSenderEvent, channel: CustomSenderChannel): string {
  const attribute = channel === 'email' ? 'email' : 'phone_number';
  const value = event.request.userAttributes[attribute];
  if (typeof value === 'string' && value !== '') return value;
  throw new DeliveryError({
    channel,
    operation: channel === 'email' ? 'SendEmail' : 'Publish',
    reason: DeliveryFailure.BadAddress,
    maskedDestination: `no ${attribute}`,
  });
}

/**
 * Builds the rule; the key, the templates and the delivery settings are checked once, here (cold start),
 * with an `OptionsError` naming the option.
 *
 * @example
 * sendMessage({ channel: 'email', key: { keyArn }, compose: { appName: 'Example' }, email: { from } })
 */
export function sendMessage(options: SendMessageOptions): Rule<CustomSenderEvent> {
  const { channel, dependencies = {} } = options;
  const log = options.logger ?? sharedLogger;
  const decrypt = createCodeDecryptor(options.key);
  const compose = senderComposer(options.compose);
  let deliver: (
    event: CodeSenderEvent,
    to: string,
    secret: string,
    bounds: DeliveryBounds,
  ) => Promise<DeliveryReceipt>;
  let locale = '';
  let fallbacks = 0;
  let notify: ReturnType<typeof accountTakeOverNotifier> | undefined;
  if (channel === 'email') {
    if (options.email === undefined) throw new OptionsError('email', 'set for the email channel');
    const send = deliverEmail(
      options.email,
      ...(dependencies.ses === undefined ? [] : [{ ses: dependencies.ses }]),
    );
    if (options.notifyUnverifiedEmail !== undefined && typeof options.notifyUnverifiedEmail !== 'boolean') {
      throw new OptionsError('notifyUnverifiedEmail', 'true or false');
    }
    notify = accountTakeOverNotifier({
      compose: notificationComposer(options.compose, options.oneClickLinkHosts ?? []),
      send,
      cognito: dependencies.cognito ?? defaultCognitoClient,
      notifyUnverifiedEmail: options.notifyUnverifiedEmail ?? false,
      log,
    });
    deliver = (event, to, secret, bounds) => {
      const message = compose(event, secret);
      locale = message.locale;
      fallbacks = message.fallbacks.length;
      return send({ to, subject: message.subject ?? options.compose.appName, html: message.body }, bounds);
    };
  } else {
    if (options.sms === undefined) throw new OptionsError('sms', 'set for the SMS channel');
    const send = deliverSms(
      options.sms,
      ...(dependencies.sns === undefined ? [] : [{ sns: dependencies.sns }]),
    );
    deliver = (event, to, secret, bounds) => {
      const message = compose(event, secret);
      locale = message.locale;
      fallbacks = message.fallbacks.length;
      return send({ to, text: message.body }, bounds);
    };
  }
  const once =
    options.sendOnce === undefined
      ? undefined
      : sendOnce(
          options.sendOnce,
          ...(dependencies.dynamodb === undefined ? [] : [{ dynamodb: dependencies.dynamodb }]),
        );

  return async function sendMessage(event, { deadline, signal, metrics }) {
    // What the composer reports for this message (one invocation at a time per instance, as in Lambda).
    locale = '';
    fallbacks = 0;
    const facts = customSenderFactsOf(event.triggerSource);
    if (
      notify !== undefined &&
      event.triggerSource === CustomSenderTriggerSource.CustomEmailSenderAccountTakeOverNotification
    ) {
      return notify(event as CustomEmailSenderAccountTakeOverEvent, { deadline, signal, metrics }, once);
    }
    if (facts === undefined || facts.channel !== channel || !hasTemplate(event.triggerSource)) {
      // A source of another channel, or one the parser passed through unknown: nothing to send.
      log.warn('custom sender source not delivered: no message for it', {
        triggerSource: event.triggerSource,
      });
      metrics.add(MetricName.MessagesSent, 0);
      return 'skipped';
    }
    const codeEvent = event as CodeSenderEvent;
    const to = destinationOf(codeEvent, channel);
    const bounds: DeliveryBounds = { deadline, signal };
    const send = async (sendBounds: DeliveryBounds) => {
      const decrypted = await decrypt(codeEvent.request.code, {
        deadline: Math.max(0, sendBounds.deadline - Date.now()),
        expectedUserPoolId: event.userPoolId,
      });
      const secret =
        facts.secret === CustomSenderSecret.TemporaryPassword
          ? unescapeTemporaryPassword(decrypted)
          : decrypted;
      return deliver(codeEvent, to, secret, sendBounds);
    };
    const identity = {
      userPoolId: event.userPoolId,
      userName: event.userName,
      triggerSource: event.triggerSource,
      ciphertext: codeEvent.request.code,
    };
    const outcome =
      once === undefined
        ? { status: 'sent' as const, result: await send(bounds), record: 'unguarded' }
        : await once(identity, bounds, send);
    const masked = channel === 'email' ? maskEmail(to) : maskPhone(to);
    if (outcome.status === 'skipped') {
      log.info('custom sender: already sent, skipped', { because: outcome.because, to: masked });
      metrics.add(MetricName.MessagesSent, 0);
      metrics.add(MetricName.DuplicateSendsSkipped);
      return 'skipped';
    }
    if (locale !== '') metrics.setLocale(locale);
    metrics.add(MetricName.MessagesSent);
    metrics.add(MetricName.DuplicateSendsSkipped, 0);
    metrics.add(MetricName.DefaultMessageFallbacks, fallbacks > 0 ? 1 : 0);
    log.info('custom sender: message sent', {
      channel,
      to: masked,
      locale,
      fallbacks,
      messageId: outcome.result.messageId,
      record: outcome.record,
    });
    return 'changed';
  };
}

/** What {@link accountTakeOverNotifier} works with, built once by {@link sendMessage}. */
type NotifierParts = {
  compose: ReturnType<typeof notificationComposer>;
  send: ReturnType<typeof deliverEmail>;
  cognito: CognitoClientProvider;
  notifyUnverifiedEmail: boolean;
  log: Pick<typeof sharedLogger, 'info' | 'warn' | 'error'>;
};

/** What the notifier reads of the rule's context. */
type NotifyContext = Pick<RuleContext, 'deadline' | 'signal' | 'metrics'>;

/** The user AdminGetUser found: `undefined` when the pool has no such user (deleted since the sign-in). */
async function lookUpUser(
  cognito: CognitoClientProvider,
  event: CustomEmailSenderAccountTakeOverEvent,
  deadline: number,
  signal: AbortSignal,
): Promise<ReadonlyMap<string, string> | undefined> {
  const client = await cognito(event.region);
  const { AdminGetUserCommand } = await loadCognitoSdk();
  const bounded = boundedSignal(signal, Math.max(0, deadline - Date.now()));
  try {
    const user = await withDeadline(
      'AdminGetUser',
      deadline,
      client.send(new AdminGetUserCommand({ UserPoolId: event.userPoolId, Username: event.userName }), {
        abortSignal: bounded.signal,
      }),
      { afterDueIo: true },
    );
    const attributes = new Map<string, string>();
    for (const attribute of user.UserAttributes ?? []) {
      if (typeof attribute.Name === 'string' && typeof attribute.Value === 'string') {
        attributes.set(attribute.Name, attribute.Value);
      }
    }
    return attributes;
  } catch (error) {
    const failure = new CognitoRequestError('AdminGetUser', error);
    if (failure.errorName === 'UserNotFoundException') return undefined;
    throw failure;
  } finally {
    bounded.clear();
  }
}

/** Why the notification has nowhere to go, or `undefined` when `to` is the user's address to send to. */
function unsendableBecause(
  attributes: ReadonlyMap<string, string> | undefined,
  notifyUnverifiedEmail: boolean,
): 'user-not-found' | 'no-email' | 'unverified-email' | undefined {
  if (attributes === undefined) return 'user-not-found';
  if ((attributes.get('email') ?? '') === '') return 'no-email';
  if (!notifyUnverifiedEmail && attributes.get('email_verified') !== 'true') return 'unverified-email';
  return undefined;
}

/**
 * The account-takeover half of {@link sendMessage}: look the user up, compose, send once (keyed by
 * `EVENT_ID`). Resolves `'skipped'` for a user without a verified email (or gone) and for a duplicate.
 */
function accountTakeOverNotifier({ compose, send, cognito, notifyUnverifiedEmail, log }: NotifierParts) {
  return async function sendAccountTakeOverNotification(
    event: CustomEmailSenderAccountTakeOverEvent,
    { deadline, signal, metrics }: NotifyContext,
    once: ReturnType<typeof sendOnce> | undefined,
  ): Promise<'changed' | 'skipped'> {
    const triggerSource = event.triggerSource;
    const attributes = await lookUpUser(cognito, event, deadline, signal);
    const because = unsendableBecause(attributes, notifyUnverifiedEmail);
    if (attributes === undefined || because !== undefined) {
      // Nothing a retry could change: logged and counted (MessagesSent 0, outcome skipped), not thrown.
      log.warn('custom sender: notification not sent, no verified email to send it to', {
        triggerSource,
        because,
      });
      metrics.add(MetricName.MessagesSent, 0);
      return 'skipped';
    }
    const to = attributes.get('email') ?? '';
    const message = compose(event, { attributes });
    const bounds: DeliveryBounds = { deadline, signal };
    const identity = {
      userPoolId: event.userPoolId,
      userName: event.userName,
      triggerSource,
      // No ciphertext here: the risk event's id is the same on every retry (send-once.ts).
      ciphertext: event.request.userAttributes[AccountTakeOverAttribute.EventId],
    };
    const deliver = (sendBounds: DeliveryBounds) =>
      send({ to, subject: message.subject, html: message.body }, sendBounds);
    const outcome =
      once === undefined
        ? { status: 'sent' as const, result: await deliver(bounds), record: 'unguarded' }
        : await once(identity, bounds, deliver);
    const masked = maskEmail(to);
    if (outcome.status === 'skipped') {
      log.info('custom sender: already sent, skipped', { because: outcome.because, to: masked });
      metrics.add(MetricName.MessagesSent, 0);
      metrics.add(MetricName.DuplicateSendsSkipped);
      return 'skipped';
    }
    metrics.setLocale(message.locale);
    metrics.add(MetricName.MessagesSent);
    metrics.add(MetricName.DuplicateSendsSkipped, 0);
    metrics.add(MetricName.DefaultMessageFallbacks, 0);
    log.info('custom sender: notification sent', {
      triggerSource,
      to: masked,
      locale: message.locale,
      withheld: message.withheld,
      messageId: outcome.result.messageId,
      record: outcome.record,
    });
    return 'changed';
  };
}

/**
 * The key from `CODE_KEY_ARN` (the pool's KMS key, full ARN), or, for a local pipeline without KMS only,
 * `CODE_KEY_RAW_AES` (a base64 AES-256 key); exactly one of them.
 */
export function codeKeyFromEnv(env: Env): CodeKey {
  const keyArn = readString(env, 'CODE_KEY_ARN', '');
  const rawAes = readString(env, 'CODE_KEY_RAW_AES', '');
  if (keyArn !== '' && rawAes !== '') {
    throw new ConfigurationError(
      'CODE_KEY_RAW_AES',
      'unset when CODE_KEY_ARN is set (one key decrypts the codes)',
    );
  }
  if (rawAes !== '') {
    const rawAesKey = Buffer.from(rawAes, 'base64');
    if (rawAesKey.length !== 32 || rawAesKey.toString('base64') !== rawAes) {
      throw new ConfigurationError('CODE_KEY_RAW_AES', 'a base64 AES-256 key (32 bytes)');
    }
    return { rawAesKey, ...LOCAL_CODE_KEY };
  }
  if (keyArn === '')
    throw new ConfigurationError('CODE_KEY_ARN', "the full ARN of the pool's KMS key (KMSKeyID)");
  return { keyArn };
}

/** The options of the `channel` sender from its environment (docs/custom-senders.md, "Configuration"). */
export function sendMessageFromEnv(env: Env, channel: CustomSenderChannel): SendMessageOptions {
  const once = sendOnceFromEnv(env);
  const notifyUnverifiedEmail = readBoolean(env, 'NOTIFY_UNVERIFIED_EMAIL', false);
  const oneClickLinkHosts = readDomainEntries(env, 'ONE_CLICK_LINK_HOSTS');
  return {
    channel,
    key: codeKeyFromEnv(env),
    compose: composeMessagesOptionsFromEnv(env),
    ...(channel === 'email' ? { email: deliverEmailFromEnv(env) } : { sms: deliverSmsFromEnv(env) }),
    ...(once === undefined ? {} : { sendOnce: once }),
    // Read (and so checked) for both senders, as both declare it; only the email sender notifies.
    ...(channel === 'email' ? { notifyUnverifiedEmail, oneClickLinkHosts } : {}),
  };
}

/** What {@link sendMessage} itself reads (delivery and duplicate control declare their own). */
export const sendMessageSettings = declareSettings({
  owner: 'sendMessage',
  variables: [
    { name: 'CODE_KEY_ARN', option: 'key' },
    {
      name: 'CODE_KEY_RAW_AES',
      option: 'key',
      secret: { fake: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', says: 'a local AES-256 key' },
    },
    { name: 'APP_NAME', option: 'compose' },
    { name: 'SUPPORT_EMAIL', option: 'compose' },
    { name: 'DEFAULT_LOCALE', option: 'compose' },
    { name: 'NOTIFY_UNVERIFIED_EMAIL', option: 'notifyUnverifiedEmail' },
    { name: 'ONE_CLICK_LINK_HOSTS', option: 'oneClickLinkHosts' },
  ],
});
