/**
 * Custom message: renders localized, safe code, invitation and MFA messages that satisfy Cognito's rules.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 */

import type { CustomMessageEvent } from '../../shared/event-types.js';
import {
  configureAtColdStart,
  coreOptionsFromEnv,
  createTriggerHandler,
  type Rule,
} from '../../shared/handler-core.js';
import { parseCustomMessageEvent } from '../../shared/parse-event.js';
import { renderMessages, renderMessagesFromEnv } from './rules/render-messages.js';

const env = process.env;

const { rules, core } = configureAtColdStart(() => {
  const rules: Rule<CustomMessageEvent>[] = [renderMessages(renderMessagesFromEnv(env))];
  return { rules, core: coreOptionsFromEnv(env, rules) };
});

/** The Lambda entry point. */
export const handler = createTriggerHandler({
  ...core,
  trigger: 'CustomMessage',
  parse: parseCustomMessageEvent,
  rules,
});
