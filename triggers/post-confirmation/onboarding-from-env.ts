/**
 * The onboarding actions and failure queue a post confirmation environment configures: what the handler
 * wires, and what the replay tool checks a failure message against before it replays it.
 */
import type { Env } from '../../shared/config.js';
import { optionalRule } from '../../shared/options.js';
import type { SettingsDeclaration } from '../../shared/settings.js';
import { addToGroups, addToGroupsFromEnv, addToGroupsSettings } from './actions/add-to-groups.js';
import {
  publishUserConfirmed,
  publishUserConfirmedFromEnv,
  publishUserConfirmedSettings,
} from './actions/publish-user-confirmed.js';
import { writeProfile, writeProfileFromEnv, writeProfileSettings } from './actions/write-profile.js';
import {
  type FailureQueue,
  sqsFailureQueue,
  sqsFailureQueueFromEnv,
  sqsFailureQueueSettings,
} from './failure-queue.js';
import type { OnboardingAction } from './onboarding-action.js';

/** What the actions and the failure queue read, in the order {@link onboardingFromEnv} builds them. */
export const onboardingSettings: readonly SettingsDeclaration[] = [
  addToGroupsSettings,
  writeProfileSettings,
  publishUserConfirmedSettings,
  sqsFailureQueueSettings,
];

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
  // The actions run concurrently and none depends on another.
  const enabled: Array<{ action: OnboardingAction; settings: SettingsDeclaration }> = [
    ...optionalRule(addToGroupsSettings, addToGroupsFromEnv(env), (options) => ({
      action: addToGroups(options),
      settings: addToGroupsSettings,
    })),
    ...optionalRule(writeProfileSettings, writeProfileFromEnv(env), (options) => ({
      action: writeProfile(options),
      settings: writeProfileSettings,
    })),
    ...optionalRule(publishUserConfirmedSettings, publishUserConfirmedFromEnv(env), (options) => ({
      action: publishUserConfirmed(options),
      settings: publishUserConfirmedSettings,
    })),
  ];
  const actions: OnboardingAction[] = enabled.map(({ action }) => action);
  // A failure message keeps exactly the ClientMetadata keys the enabled actions declare they read.
  const metadataKeys = enabled.flatMap(({ settings }) =>
    (settings.clientMetadata ?? []).map(({ key }) => key),
  );
  const [failureQueue] = optionalRule(sqsFailureQueueSettings, sqsFailureQueueFromEnv(env), (options) =>
    sqsFailureQueue(options),
  );
  return failureQueue === undefined ? { actions, metadataKeys } : { actions, failureQueue, metadataKeys };
}
