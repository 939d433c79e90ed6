/**
 * Post confirmation: onboards a newly confirmed user exactly once in effect (groups, profile, `UserConfirmed`
 * event), surviving Cognito's retries, and never re-onboards on a password reset.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
 */
import { defineTrigger } from '../../shared/define-trigger.js';
import type { PostConfirmationEvent } from '../../shared/event-types.js';
import { coreOptionsFromEnv, coreSettings, type Rule } from '../../shared/handler-core.js';
import { observabilitySettings } from '../../shared/observability.js';
import { configureFrom } from '../../shared/options.js';
import { parsePostConfirmationEvent } from '../../shared/parse-event.js';
import { sourcesOfTrigger } from '../../shared/trigger-source.js';
import { onboardingFromEnv, onboardingSettings } from './onboarding-from-env.js';
import { runOnboarding, runOnboardingFromEnv, runOnboardingSettings } from './run-onboarding.js';

/** The post confirmation trigger: one engine runs the onboarding actions. */
export const postConfirmation = defineTrigger({
  name: 'PostConfirmation',
  sources: sourcesOfTrigger.PostConfirmation,
  parse: parsePostConfirmationEvent,
  settings: [observabilitySettings, coreSettings, runOnboardingSettings, ...onboardingSettings],
  configure(env) {
    const rules: Rule<PostConfirmationEvent>[] = [
      configureFrom(runOnboardingSettings, () =>
        runOnboarding(runOnboardingFromEnv(env), onboardingFromEnv(env)),
      ),
    ];
    return { rules, core: coreOptionsFromEnv(env, rules) };
  },
});
