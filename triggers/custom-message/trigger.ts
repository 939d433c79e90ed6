/**
 * Custom message: renders localized, safe code, invitation and MFA messages that satisfy Cognito's rules.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 */
import { defineTrigger } from '../../shared/define-trigger.js';
import type { CustomMessageEvent } from '../../shared/event-types.js';
import { coreOptionsFromEnv, coreSettings, type Rule } from '../../shared/handler-core.js';
import { observabilitySettings } from '../../shared/observability.js';
import { configureFrom } from '../../shared/options.js';
import { parseCustomMessageEvent } from '../../shared/parse-event.js';
import { sourcesOfTrigger } from '../../shared/trigger-source.js';
import { renderMessages, renderMessagesFromEnv, renderMessagesSettings } from './rules/render-messages.js';

/** The custom message trigger: one rule renders every message. */
export const customMessage = defineTrigger({
  name: 'CustomMessage',
  sources: sourcesOfTrigger.CustomMessage,
  parse: parseCustomMessageEvent,
  settings: [observabilitySettings, coreSettings, renderMessagesSettings],
  configure(env) {
    const rules: Rule<CustomMessageEvent>[] = [
      configureFrom(renderMessagesSettings, () => renderMessages(renderMessagesFromEnv(env))),
    ];
    return { rules, core: coreOptionsFromEnv(env, rules) };
  },
});
