/**
 * Post confirmation: onboards a newly confirmed user exactly once in effect (groups, profile, `UserConfirmed`
 * event), surviving Cognito's retries, and never re-onboards on a password reset.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
 */
import type { PostConfirmationEvent } from '../../shared/event-types.js';
import {
  configureAtColdStart,
  coreOptionsFromEnv,
  createTriggerHandler,
  type Rule,
} from '../../shared/handler-core.js';
import { parsePostConfirmationEvent } from '../../shared/parse-event.js';
import { onboardingFromEnv } from './onboarding-from-env.js';
import { runOnboarding, runOnboardingFromEnv } from './run-onboarding.js';

const env = process.env;

const { rules, core } = configureAtColdStart(() => {
  const rules: Rule<PostConfirmationEvent>[] = [
    runOnboarding(runOnboardingFromEnv(env), onboardingFromEnv(env)),
  ];
  return { rules, core: coreOptionsFromEnv(env, rules) };
});

/** The Lambda entry point. */
export const handler = createTriggerHandler({
  ...core,
  trigger: 'PostConfirmation',
  parse: parsePostConfirmationEvent,
  rules,
});
