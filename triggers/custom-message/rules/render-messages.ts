/**
 * The custom message rule: renders the email subject, email body and SMS for the event's source and locale
 * and puts each that passes Cognito's rules on the response. A custom message problem never fails the
 * user's API call: a field that cannot be used stays `null` (the pool's own message), and an unexpected
 * error leaves all three `null`, logged (contract §3, Constraints item 3).
 */
import { ClientMetadataKey } from '../../../shared/caller-keys.js';
import { type Env, readChoice } from '../../../shared/config.js';
import type { CustomMessageEvent } from '../../../shared/event-types.js';
import type { Rule } from '../../../shared/handler-core.js';
import { loggableError } from '../../../shared/log-error.js';
import type { MessageField } from '../../../shared/message-rules.js';
import { MetricName } from '../../../shared/metrics.js';
import { logger as sharedLogger } from '../../../shared/observability.js';
import { CallerValue, declareSettings, SettingValue } from '../../../shared/settings.js';
import {
  type ComposeMessagesOptions,
  composeMessages,
  composeMessagesOptionsFromEnv,
} from '../compose-message.js';

/** Options of {@link renderMessages}: those of `composeMessages`, plus the logger. */
export type RenderMessagesOptions = ComposeMessagesOptions & {
  logger?: Pick<typeof sharedLogger, 'info' | 'warn' | 'error'>;
};

/**
 * Builds the rule; the templates and settings are checked once, here (cold start).
 *
 * @example
 * renderMessages({ appName: 'Example', confirmUrl: 'https://app.example.com/confirm' })
 */
export function renderMessages(options: RenderMessagesOptions): Rule<CustomMessageEvent> {
  const { logger, ...composeOptions } = options;
  const log = logger ?? sharedLogger;
  const composeMessage = composeMessages(composeOptions);

  return function renderMessages(event, { metrics }) {
    try {
      const { response, locale, localeSource, notes } = composeMessage(event);
      // Notes name rules, fields and reasons only: never a user value, a code or a ClientMetadata value.
      let dropped = false;
      for (const note of notes) {
        if (note.kind === 'field-dropped') {
          dropped = true;
          log.error('custom message field dropped: Cognito sends its default', { note });
        } else log.info('custom message note', { note });
      }
      event.response.emailSubject = response.emailSubject;
      event.response.emailMessage = response.emailMessage;
      event.response.smsMessage = response.smsMessage;
      log.info('custom message rendered', { locale, localeSource });
      const rendered = Object.values(response).some((value) => value !== null);
      // The locale is the catalogue's (the negotiation's result), never the tag the caller sent.
      if (rendered) metrics.setLocale(locale);
      metrics.add(MetricName.MessagesRendered, rendered ? 1 : 0);
      metrics.add(MetricName.DefaultMessageFallbacks, dropped ? 1 : 0);
      return rendered ? 'changed' : 'pass';
    } catch (error) {
      log.error('custom message failed: Cognito sends its default messages', {
        error: loggableError(error),
      });
      metrics.add(MetricName.DefaultMessageFallbacks);
      return 'pass';
    }
  };
}

/**
 * Options from `APP_NAME`, `SUPPORT_EMAIL`, `DEFAULT_LOCALE`, `CONFIRM_URL`, `ALLOWED_REDIRECT_ORIGINS` and
 * `EMAIL_SENDING_ACCOUNT`: with `COGNITO_DEFAULT` (no SES) only the SMS is customised, because Cognito refuses
 * custom email bodies and subjects then (contract §3, Constraints item 4).
 */
export function renderMessagesFromEnv(env: Env): RenderMessagesOptions {
  const account = readChoice(env, 'EMAIL_SENDING_ACCOUNT', ['DEVELOPER', 'COGNITO_DEFAULT'], 'DEVELOPER');
  const fields: readonly MessageField[] =
    account === 'DEVELOPER' ? ['emailSubject', 'emailMessage', 'smsMessage'] : ['smsMessage'];
  return { ...composeMessagesOptionsFromEnv(env), fields };
}

/** What {@link renderMessages} reads (shared/settings.ts). */
export const renderMessagesSettings = declareSettings({
  owner: 'renderMessages',
  variables: [
    { name: 'APP_NAME', option: 'appName' },
    { name: 'SUPPORT_EMAIL', option: 'supportEmail' },
    { name: 'DEFAULT_LOCALE', option: 'defaultLocale' },
    { name: 'CONFIRM_URL', option: 'confirmUrl' },
    {
      name: 'ALLOWED_REDIRECT_ORIGINS',
      option: 'allowedRedirectOrigins',
      value: SettingValue.RedirectOrigins,
    },
    { name: 'EMAIL_SENDING_ACCOUNT', option: 'fields' },
    { name: 'EMAIL_VERIFICATION_OPTION', option: 'emailOption' },
  ],
  clientMetadata: [
    { key: ClientMetadataKey.Locale, value: CallerValue.Locale },
    { key: ClientMetadataKey.RedirectUri, value: CallerValue.RedirectUri },
  ],
});
