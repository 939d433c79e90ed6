/**
 * Pre sign-up: decides who may sign up and whether they are confirmed and verified.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
import { coreOptionsFromEnv, createTriggerHandler } from '../../shared/handler-core.js';
import { parsePreSignUpEvent } from '../../shared/parse-event.js';

/** The Lambda entry point. With no rules yet it answers Cognito's default: every flag stays `false`. */
export const handler = createTriggerHandler({
  ...coreOptionsFromEnv(process.env),
  trigger: 'PreSignUp',
  parse: parsePreSignUpEvent,
  rules: [],
});
