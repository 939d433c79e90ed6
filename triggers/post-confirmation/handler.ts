/**
 * Post confirmation: onboards a user once Cognito has confirmed them.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
 */
import { configureAtColdStart, coreOptionsFromEnv, createTriggerHandler } from '../../shared/handler-core.js';
import { parsePostConfirmationEvent } from '../../shared/parse-event.js';

/** The Lambda entry point. With no onboarding actions yet it returns the event as it came. */
export const handler = createTriggerHandler({
  ...configureAtColdStart(() => coreOptionsFromEnv(process.env)),
  trigger: 'PostConfirmation',
  parse: parsePostConfirmationEvent,
  rules: [],
});
