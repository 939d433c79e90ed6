/**
 * Custom message: rewrites the code, invitation and MFA messages Cognito is about to send.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 */
import { configureAtColdStart, coreOptionsFromEnv, createTriggerHandler } from '../../shared/handler-core.js';
import { parseCustomMessageEvent } from '../../shared/parse-event.js';

/** The Lambda entry point. With no templates yet the three fields stay `null`: the pool's own messages. */
export const handler = createTriggerHandler({
  ...configureAtColdStart(() => coreOptionsFromEnv(process.env)),
  trigger: 'CustomMessage',
  parse: parseCustomMessageEvent,
  rules: [],
});
