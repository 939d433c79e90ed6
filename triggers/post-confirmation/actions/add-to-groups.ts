/**
 * Action `addToGroups`: adds a newly confirmed user to the configured default groups, and to the groups the
 * sign-up asked for in ClientMetadata key `groups` only where each is listed as self-service.
 *
 * ClientMetadata comes from the caller of ConfirmSignUp (contract §5), so it is attacker-controlled: a
 * requested name is matched exactly (case-sensitive) against `selfServiceGroups` and anything else is
 * ignored and logged, masked. No ClientMetadata content can reach a group outside
 * `defaultGroups ∪ selfServiceGroups`.
 *
 * Retries: Cognito retries a slow post confirmation and a failed one may be replayed from the failure queue
 * (contract §4, §6). AdminAddUserToGroup on a user already in the group succeeds without a second membership
 * [D, API reference: "adds a user to a group"; O, cognito-local keeps members as a set], so running the
 * action again completes what a partial failure left undone and changes nothing else.
 */
import {
  CallerMetadataLimits,
  ClientMetadataFields,
  ClientMetadataKey,
} from '../../../shared/caller-keys.js';
import {
  type CognitoClientProvider,
  CognitoRequestError,
  defaultCognitoClient,
  loadCognitoSdk,
} from '../../../shared/cognito-client.js';
import { type Env, readList, readWholeNumber } from '../../../shared/config.js';
import { MetadataInvalidError, SignUpFault } from '../../../shared/errors.js';
import type { PostConfirmationEvent } from '../../../shared/event-types.js';
import { maskValue } from '../../../shared/mask.js';
import { createMetadataReader } from '../../../shared/metadata.js';
import { logger } from '../../../shared/observability.js';
import { checkWhole, OptionsError } from '../../../shared/options.js';
import { CallerValue, declareSettings } from '../../../shared/settings.js';
import type { OnboardingAction } from '../onboarding-action.js';

/** Options of {@link addToGroups}. */
export type AddToGroupsOptions = {
  /** Every confirmed sign-up joins these. */
  defaultGroups?: readonly string[];
  /** Groups a sign-up may ask for in ClientMetadata key `groups`; nothing else is ever granted from it. */
  selfServiceGroups?: readonly string[];
  /**
   * The longest `groups` value read, in characters; a longer one is ignored as a whole. At most 16,384, the
   * metadata reader's bound on a whole map.
   */
  maxRequestLength?: number;
};

/** What the action calls out to: a lazy Cognito client getter. */
export type AddToGroupsDependencies = {
  cognito: CognitoClientProvider;
};

/** The ClientMetadata key a sign-up names its requested groups in, comma-separated. */
export const GROUPS_METADATA_KEY = ClientMetadataKey.Groups;

/** One or more AdminAddUserToGroup calls failed; the groups that did succeed stay added. */
export class GroupMembershipError extends SignUpFault {
  /** The groups the user could not be added to (configuration values, not PII). */
  public readonly failedGroups: readonly string[];
  /** The SDK's error name of the first failure. */
  public readonly errorName: string;

  public constructor(failedGroups: readonly string[], cause: CognitoRequestError) {
    super(`AdminAddUserToGroup failed for ${failedGroups.length} group(s): ${cause.errorName}`, { cause });
    this.name = 'GroupMembershipError';
    this.failedGroups = failedGroups;
    this.errorName = cause.errorName;
  }
}

const defaults = {
  defaultGroups: [] as readonly string[],
  selfServiceGroups: [] as readonly string[],
  // The bound apps are told (shared/caller-keys.ts).
  maxRequestLength: ClientMetadataFields.groups.maxLength,
};

const defaultDependencies: AddToGroupsDependencies = { cognito: defaultCognitoClient };

// The metadata reader's bound on a whole ClientMetadata map: a longer value could never be read.
const MAX_REQUEST_LENGTH = CallerMetadataLimits.clientMetadata.maxTotalLength;

// GroupNameType in the service model: 1–128 characters of letters, marks, symbols, numbers, punctuation [M].
const GROUP_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

const GROUP_NAMES = 'a list of Cognito group names (1-128 characters, no comma)';

function checkGroups(option: string, groups: readonly string[]): readonly string[] {
  if (!Array.isArray(groups)) throw new OptionsError(option, GROUP_NAMES);
  groups.forEach((group: unknown, index) => {
    // A comma could never be requested through the comma-separated `groups` value.
    if (typeof group !== 'string' || !GROUP_NAME.test(group) || group.includes(',')) {
      throw new OptionsError(option, `${GROUP_NAMES} (entry ${index + 1} is not one)`);
    }
  });
  return [...new Set(groups)];
}

/** The requested names, split on commas, trimmed, without empty items or duplicates. */
function requestedGroupsOf(value: string): readonly string[] {
  return [
    ...new Set(
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    ),
  ];
}

/**
 * Adds the user to `defaultGroups`, plus each group requested in ClientMetadata `groups` that is listed in
 * `selfServiceGroups`. The engine decides which sources onboard (runOnboarding: a password reset only when
 * `ONBOARD_ON_PASSWORD_RESET`, for users imported with `RESET_REQUIRED`, whose first confirmation it is).
 * Resolves `'done'` when at least one group was applied, `'skipped'` when there was none to apply; throws
 * {@link GroupMembershipError} when a call failed (after trying every group).
 *
 * @example
 * const action = addToGroups({ defaultGroups: ['users'], selfServiceGroups: ['beta'] });
 * // clientMetadata { groups: 'beta,admins' }: the user joins `users` and `beta`; `admins` is logged, masked.
 */
export function addToGroups(
  options: AddToGroupsOptions,
  dependencies: AddToGroupsDependencies = defaultDependencies,
): OnboardingAction {
  const settings = { ...defaults, ...options };
  const deps = dependencies;
  const defaultGroups = checkGroups('defaultGroups', settings.defaultGroups);
  const selfService = new Set(checkGroups('selfServiceGroups', settings.selfServiceGroups));
  const maxRequestLength = checkWhole('maxRequestLength', settings.maxRequestLength, {
    min: 1,
    max: MAX_REQUEST_LENGTH,
  });
  if (typeof deps.cognito !== 'function') throw new OptionsError('dependencies.cognito', 'a function');
  const readClientMetadata = createMetadataReader('clientMetadata', {
    [GROUPS_METADATA_KEY]: { type: 'string', maxLength: maxRequestLength },
  });

  /** The self-service groups the event asks for; everything else is logged (masked) and dropped. */
  function selfServiceGroupsRequested(event: PostConfirmationEvent): readonly string[] {
    let requested: string | undefined;
    try {
      requested = readClientMetadata(event.request.clientMetadata)[GROUPS_METADATA_KEY];
    } catch (error) {
      if (!(error instanceof MetadataInvalidError)) throw error;
      // The user is already confirmed: a malformed request only loses the requested groups.
      logger.warn('groups: ClientMetadata ignored', {
        action: 'addToGroups',
        key: error.key,
        reason: error.reason,
      });
      return [];
    }
    if (requested === undefined) return [];
    const granted: string[] = [];
    const ignored: string[] = [];
    for (const group of requestedGroupsOf(requested)) {
      if (selfService.has(group)) granted.push(group);
      else ignored.push(maskValue(group));
    }
    if (ignored.length > 0) {
      logger.warn('groups: requested groups ignored (not self-service)', {
        action: 'addToGroups',
        ignored: ignored.slice(0, 10),
        ignoredCount: ignored.length,
      });
    }
    return granted;
  }

  return async function addToGroups(event, context) {
    const groups = [...new Set([...defaultGroups, ...selfServiceGroupsRequested(event)])];
    if (groups.length === 0) return 'skipped';

    const client = await deps.cognito(event.region);
    const { AdminAddUserToGroupCommand } = await loadCognitoSdk();
    // Each group is its own idempotent call: all are tried, so one failure never holds the others back.
    const results = await Promise.allSettled(
      groups.map(async (group) => {
        try {
          await client.send(
            new AdminAddUserToGroupCommand({
              UserPoolId: event.userPoolId,
              Username: event.userName,
              GroupName: group,
            }),
            { abortSignal: context.signal },
          );
        } catch (error) {
          throw new CognitoRequestError('AdminAddUserToGroup', error);
        }
      }),
    );
    const failures = results.flatMap((result, index) =>
      result.status === 'rejected' ? [{ group: groups[index] ?? '', reason: result.reason as unknown }] : [],
    );
    const first = failures[0];
    if (first !== undefined) {
      throw new GroupMembershipError(
        failures.map((failure) => failure.group),
        first.reason instanceof CognitoRequestError
          ? first.reason
          : new CognitoRequestError('AdminAddUserToGroup', first.reason),
      );
    }
    logger.info('groups: user added', { action: 'addToGroups', groups });
    return 'done';
  };
}

/**
 * The options from `DEFAULT_GROUPS`, `SELF_SERVICE_GROUPS` (comma-separated group names) and
 * `GROUPS_REQUEST_MAX_LENGTH`, or `undefined` when both lists are empty (the action has nothing to do).
 * The values are checked by {@link addToGroups}; `GROUPS_REQUEST_MAX_LENGTH` is read either way, so one that
 * is not a number fails the cold start even while the action is off.
 *
 * @throws ConfigurationError naming the variable, for a value that cannot be read.
 */
export function addToGroupsFromEnv(env: Env): Required<AddToGroupsOptions> | undefined {
  const defaultGroups = readList(env, 'DEFAULT_GROUPS');
  const selfServiceGroups = readList(env, 'SELF_SERVICE_GROUPS');
  const maxRequestLength = readWholeNumber(env, 'GROUPS_REQUEST_MAX_LENGTH', defaults.maxRequestLength);
  if (defaultGroups.length === 0 && selfServiceGroups.length === 0) return undefined;
  return { defaultGroups, selfServiceGroups, maxRequestLength };
}

/** What {@link addToGroups} reads (shared/settings.ts). */
export const addToGroupsSettings = declareSettings({
  owner: 'addToGroups',
  variables: [
    {
      name: 'DEFAULT_GROUPS',
      option: 'defaultGroups',
      calls: { service: 'cognito-idp', offline: { value: '', says: 'group writes off' } },
    },
    {
      name: 'SELF_SERVICE_GROUPS',
      option: 'selfServiceGroups',
      calls: { service: 'cognito-idp', offline: { value: '', says: 'group writes off' } },
    },
    { name: 'GROUPS_REQUEST_MAX_LENGTH', option: 'maxRequestLength' },
  ],
  clientMetadata: [{ key: GROUPS_METADATA_KEY, value: CallerValue.Free }],
});
