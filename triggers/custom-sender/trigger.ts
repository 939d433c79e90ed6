/**
 * The two custom sender triggers, declared from one definition: the same rule (rules/send-message.ts) for
 * the email and the SMS channel, each with its own parser and delivery settings.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html
 */

import { type Env, readChoice, readList } from '../../shared/config.js';
import { deliverEmailSettings } from '../../shared/custom-sender/deliver-email.js';
import { deliverSmsSettings } from '../../shared/custom-sender/deliver-sms.js';
import {
  type CustomEmailSenderEvent,
  type CustomSenderChannel,
  type CustomSenderEventOf,
  type CustomSMSSenderEvent,
  sourcesOfChannel,
  triggerNameOfChannel,
} from '../../shared/custom-sender/events.js';
import { parseCustomSenderEvent } from '../../shared/custom-sender/parse-event.js';
import { sendOnceSettings } from '../../shared/custom-sender/send-once.js';
import { defineTrigger, type TriggerDescriptor } from '../../shared/define-trigger.js';
import { ConfigurationError } from '../../shared/errors.js';
import {
  ASYNC_TRIGGER_BUDGET_MS,
  coreOptionsFromEnv,
  coreSettings,
  type Rule,
} from '../../shared/handler-core.js';
import { logger, observabilitySettings } from '../../shared/observability.js';
import { configureFrom } from '../../shared/options.js';
import { sendMessage, sendMessageFromEnv, sendMessageSettings } from './rules/send-message.js';

/**
 * The event of `channel`, checked by the tolerant parser; an undocumented source comes through as it is (the
 * core passes it through), a malformed ClientMetadata dropped with a log line (never its value).
 */
function parserOf<C extends CustomSenderChannel>(channel: C) {
  return function parse(raw: unknown): CustomSenderEventOf<C> {
    const result = parseCustomSenderEvent(raw, channel);
    if (result.ignoredClientMetadata !== undefined) {
      logger.warn('custom sender: ClientMetadata ignored', { reason: result.ignoredClientMetadata.reason });
    }
    return result.event as CustomSenderEventOf<C>;
  };
}

/**
 * A sender has no shadow mode: its one rule delivers the message, and a shadowed fault is only logged, so a
 * failed delivery would answer success (no retry, no failure queue record) and the code would be lost.
 * `RULES_MODE=shadow` or any `SHADOW_RULES` fails the cold start instead, naming the variable.
 */
function refuseShadowMode(env: Env): void {
  if (readChoice(env, 'RULES_MODE', ['enforce', 'shadow'], 'enforce') !== 'enforce') {
    throw new ConfigurationError('RULES_MODE', 'enforce (a custom sender has no shadow mode)');
  }
  if (readList(env, 'SHADOW_RULES').length > 0) {
    throw new ConfigurationError('SHADOW_RULES', 'empty (a custom sender has no shadow mode)');
  }
}

function senderTrigger<C extends CustomSenderChannel>(channel: C): TriggerDescriptor<CustomSenderEventOf<C>> {
  const deliverySettings = channel === 'email' ? deliverEmailSettings : deliverSmsSettings;
  return defineTrigger<CustomSenderEventOf<C>>({
    name: triggerNameOfChannel[channel],
    sources: sourcesOfChannel[channel],
    parse: parserOf(channel),
    settings: [observabilitySettings, coreSettings, sendMessageSettings, deliverySettings, sendOnceSettings],
    configure(env) {
      refuseShadowMode(env);
      const rules = [
        configureFrom(sendMessageSettings, () => sendMessage(sendMessageFromEnv(env, channel))),
      ] as Rule<CustomSenderEventOf<C>>[];
      return { rules, core: { ...coreOptionsFromEnv(env, rules), budgetMs: ASYNC_TRIGGER_BUDGET_MS } };
    },
  });
}

/** The custom email sender trigger. */
export const customEmailSender: TriggerDescriptor<CustomEmailSenderEvent> = senderTrigger('email');

/** The custom SMS sender trigger. */
export const customSmsSender: TriggerDescriptor<CustomSMSSenderEvent> = senderTrigger('sms');
