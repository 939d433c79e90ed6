/**
 * The onboarding actions and failure queue a post confirmation environment configures: what the handler
 * wires, and what the replay tool checks a failure message against before it replays it.
 */
import type { Env } from '../../shared/config.js';
import { optionalRule } from '../../shared/handler-core.js';
import { addToGroups, addToGroupsFromEnv, GROUPS_METADATA_KEY } from './actions/add-to-groups.js';
import { publishUserConfirmed, publishUserConfirmedFromEnv } from './actions/publish-user-confirmed.js';
import { profileMetadataFields, writeProfile, writeProfileFromEnv } from './actions/write-profile.js';
import { type FailureQueue, sqsFailureQueue, sqsFailureQueueFromEnv } from './failure-queue.js';
import type { OnboardingAction } from './onboarding-action.js';

/** What {@link onboardingFromEnv} builds. */
export type Onboarding = {
  actions: OnboardingAction[];
  failureQueue?: FailureQueue;
  /** The ClientMetadata keys the enabled actions read: all a failure message keeps. */
  metadataKeys: string[];
};

/**
 * The enabled actions (each off while its setting is empty: `DEFAULT_GROUPS`/`SELF_SERVICE_GROUPS`,
 * `PROFILE_TABLE`, `EVENT_BUS_NAME`) and the failure queue (`FAILURE_QUEUE_URL`). Builds no client: the
 * SDK clients are created on first use.
 *
 * @throws ConfigurationError naming the variable.
 */
export function onboardingFromEnv(env: Env): Onboarding {
  const groups = addToGroupsFromEnv(env);
  const profile = writeProfileFromEnv(env);
  // The actions run concurrently and none depends on another.
  const actions: OnboardingAction[] = [
    ...optionalRule(groups, (options) => addToGroups(options)),
    ...optionalRule(profile, (options) => writeProfile(options)),
    ...optionalRule(publishUserConfirmedFromEnv(env), (options) => publishUserConfirmed(options)),
  ];
  const metadataKeys = [
    ...(groups === undefined ? [] : [GROUPS_METADATA_KEY]),
    ...(profile === undefined ? [] : Object.keys(profileMetadataFields)),
  ];
  const [failureQueue] = optionalRule(sqsFailureQueueFromEnv(env), (options) => sqsFailureQueue(options));
  return failureQueue === undefined ? { actions, metadataKeys } : { actions, failureQueue, metadataKeys };
}
