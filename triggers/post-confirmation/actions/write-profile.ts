/**
 * Action `writeProfile`: creates the user's profile item in DynamoDB, once. The item is keyed by `sub` and
 * holds the allowlisted user attributes, the ClientMetadata fields of {@link profileMetadataFields} that
 * pass their schema, `userName` and `createdAt`.
 *
 * Exactly once in effect: the write is a PutItem conditioned on `attribute_not_exists(sub)`. Cognito retries
 * a slow post confirmation, a failed one may be replayed from the failure queue, and the SDK may retry a
 * PutItem whose answer was lost (contract §4, §6); each of those finds the item and gets
 * `ConditionalCheckFailedException`, which means "already created": success, never an overwrite.
 *
 * ClientMetadata comes from the caller of ConfirmSignUp (contract §5): only the declared fields are read, each
 * against its schema; a field that fails is left out of the item and logged (key and reason, never the
 * value). The user is already confirmed, so a bad field never costs the profile.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ClientMetadataFields } from '../../../shared/caller-keys.js';
import { type Env, readList, readString } from '../../../shared/config.js';
import {
  type DynamoDbClientProvider,
  DynamoDbRequestError,
  defaultDynamoDbClient,
  loadDynamoDbSdk,
} from '../../../shared/dynamodb-client.js';
import { MetadataInvalidError, SignUpFault } from '../../../shared/errors.js';
import type { PostConfirmationEvent } from '../../../shared/event-types.js';
import { createMetadataReader, type FieldSpec } from '../../../shared/metadata.js';
import { logger } from '../../../shared/observability.js';
import { OptionsError } from '../../../shared/options.js';
import { CallerValue, declareSettings } from '../../../shared/settings.js';
import type { OnboardingAction } from '../onboarding-action.js';

/** Options of {@link writeProfile}. */
export type WriteProfileOptions = {
  /** The table: a name or a table ARN. Its partition key is the string attribute `sub`. */
  tableName: string;
  /** User attributes copied to the item when present (Cognito's names: `email`, `given_name`, …). */
  attributes?: readonly string[];
  /** The values ClientMetadata `plan` may take; `plan` is never stored while this is empty. */
  plans?: readonly string[];
};

/** What the action calls out to. */
export type WriteProfileDependencies = {
  dynamodb: DynamoDbClientProvider;
  /** The clock `createdAt` is read from; tests fix it. */
  clock?: () => Date;
};

/** The partition key of the profile table. */
export const PROFILE_KEY = 'sub';

/**
 * The ClientMetadata fields a profile may carry, and the schema each must pass: the fields apps are told
 * (shared/caller-keys.ts).
 */
export const profileMetadataFields = {
  /** A referral code: letters, digits, `_` and `-`, at most 64. */
  referral: ClientMetadataFields.referral,
  /** One of the configured plans (`values` is filled in from `plans`). */
  plan: ClientMetadataFields.plan,
  /** `"true"` or `"false"`, stored as a boolean. */
  marketingConsent: ClientMetadataFields.marketingConsent,
} as const satisfies Record<string, FieldSpec>;

/** The user attributes copied when `attributes` is not given. */
export const defaultProfileAttributes: readonly string[] = [
  'email',
  'email_verified',
  'given_name',
  'family_name',
  'name',
  'locale',
  'zoneinfo',
];

/** The event has no usable `sub`: the item would have no key. Never replaced by a generated one. */
export class ProfileKeyMissingError extends SignUpFault {
  /** The JSON type found where the `sub` should be (`absent`, `string` when empty or too long, …). */
  public readonly found: string;

  public constructor(found: string, options?: ErrorOptions) {
    super(`Profile not written: request.userAttributes.sub is missing or unusable (${found})`, options);
    this.name = 'ProfileKeyMissingError';
    this.found = found;
  }
}

const defaults = {
  attributes: defaultProfileAttributes,
  plans: [] as readonly string[],
};

// Keys the action writes itself: an attribute of the same name would overwrite them in the item.
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  PROFILE_KEY,
  'userName',
  'createdAt',
  ...Object.keys(profileMetadataFields),
]);

// A user attribute name in the service model: 1–32 characters [M]; `custom:` names included.
const ATTRIBUTE_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,32}$/u;
// TableName (3–255 of [a-zA-Z0-9_.-]) or a table ARN, which the API also accepts [M].
const TABLE_NAME = /^(?:arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/)?[a-zA-Z0-9_.-]{3,255}$/;
const PLAN = /^[A-Za-z0-9_.-]{1,64}$/;
// A user attribute value is at most 2,048 characters [M]; so is a DynamoDB partition key (in bytes).
const VALUE_MAX = 2048;
const SUB_MAX = 128;

function checkAttributes(attributes: readonly string[]): readonly string[] {
  const expected = `a list of user attribute names (1-32 characters) other than ${[...RESERVED_KEYS].join(', ')}`;
  if (!Array.isArray(attributes)) throw new OptionsError('attributes', expected);
  attributes.forEach((name: unknown, index) => {
    // A reserved key is one the action writes itself: the attribute would overwrite it in the item.
    if (
      typeof name !== 'string' ||
      !ATTRIBUTE_NAME.test(name) ||
      name === '__proto__' ||
      RESERVED_KEYS.has(name)
    ) {
      throw new OptionsError('attributes', `${expected} (entry ${index + 1} is not one)`);
    }
  });
  return [...new Set(attributes)];
}

function jsonTypeOfSub(sub: unknown): string {
  if (sub === undefined) return 'absent';
  if (sub === null) return 'null';
  return typeof sub;
}

/**
 * Writes the user's profile item once: keyed by `sub`, conditioned on `attribute_not_exists(sub)` (the
 * engine decides which sources onboard). Resolves `'done'` when it created the item, `'skipped'` when the
 * item already existed; throws {@link ProfileKeyMissingError} without a
 * `sub` and {@link DynamoDbRequestError} when the write failed.
 *
 * @example
 * const action = writeProfile({ tableName: 'Profiles', plans: ['free', 'pro'] });
 * // clientMetadata { plan: 'pro', referral: 'FRIEND-42', promo: 'x' } -> item { sub, email, …, plan: 'pro',
 * // referral: 'FRIEND-42', userName, createdAt }; `promo` is not in the schema and never reaches the item.
 */
export function writeProfile(
  options: WriteProfileOptions,
  dependencies: WriteProfileDependencies = { dynamodb: defaultDynamoDbClient },
): OnboardingAction {
  const { tableName } = options;
  if (typeof tableName !== 'string' || !TABLE_NAME.test(tableName)) {
    throw new OptionsError('tableName', 'a DynamoDB table name or table ARN');
  }
  const attributes = checkAttributes(options.attributes ?? defaults.attributes);
  const plans = options.plans ?? defaults.plans;
  const plansExpected = 'a list of plan names (1-64 letters, digits, _ . -)';
  if (!Array.isArray(plans)) throw new OptionsError('plans', plansExpected);
  const badPlan = plans.findIndex((plan: unknown) => typeof plan !== 'string' || !PLAN.test(plan));
  if (badPlan !== -1) throw new OptionsError('plans', `${plansExpected} (entry ${badPlan + 1} is not one)`);
  const { dynamodb } = dependencies;
  const clock = dependencies.clock ?? (() => new Date());
  if (typeof dynamodb !== 'function') throw new OptionsError('dependencies.dynamodb', 'a function');
  if (typeof clock !== 'function') throw new OptionsError('dependencies.clock', 'a function');

  // One reader per field, so one bad field drops only itself. `plan` is not read at all without plans.
  const readers: readonly (readonly [string, (map: unknown) => Record<string, unknown>])[] = [
    ['referral', createMetadataReader('clientMetadata', { referral: profileMetadataFields.referral })],
    [
      'marketingConsent',
      createMetadataReader('clientMetadata', { marketingConsent: profileMetadataFields.marketingConsent }),
    ],
    ...(plans.length === 0
      ? []
      : [
          [
            'plan',
            createMetadataReader('clientMetadata', {
              plan: { ...profileMetadataFields.plan, values: plans },
            }),
          ] as const,
        ]),
  ];

  /** The schema-valid ClientMetadata fields as item attributes; the rest are logged by key and dropped. */
  function metadataAttributes(event: PostConfirmationEvent): [string, AttributeValue][] {
    const entries: [string, AttributeValue][] = [];
    const dropped = new Map<string, string>();
    for (const [field, read] of readers) {
      let value: unknown;
      try {
        value = read(event.request.clientMetadata)[field];
      } catch (error) {
        if (!(error instanceof MetadataInvalidError)) throw error;
        dropped.set(error.key ?? '(map)', error.reason);
        continue;
      }
      if (typeof value === 'boolean') entries.push([field, { BOOL: value }]);
      else if (typeof value === 'string') entries.push([field, { S: value }]);
    }
    if (dropped.size > 0) {
      logger.warn('profile: ClientMetadata fields ignored', {
        action: 'writeProfile',
        ignored: [...dropped].map(([key, reason]) => ({ key, reason })),
      });
    }
    return entries;
  }

  /** The allowlisted attributes the event carries, as item attributes. */
  function userAttributes(event: PostConfirmationEvent): [string, AttributeValue][] {
    const source = event.request.userAttributes;
    const entries: [string, AttributeValue][] = [];
    for (const name of attributes) {
      if (!Object.hasOwn(source, name)) continue;
      const value: unknown = source[name];
      // Federated events can carry empty strings (contract §1): absent says the same without a value.
      if (typeof value === 'string' && value !== '' && value.length <= VALUE_MAX) {
        entries.push([name, { S: value }]);
      }
    }
    return entries;
  }

  return async function writeProfile(event, context) {
    const sub: unknown = Object.hasOwn(event.request.userAttributes, PROFILE_KEY)
      ? event.request.userAttributes[PROFILE_KEY]
      : undefined;
    if (typeof sub !== 'string' || sub === '' || sub.length > SUB_MAX) {
      throw new ProfileKeyMissingError(jsonTypeOfSub(sub));
    }
    // fromEntries defines own properties: no attribute name can reach a prototype.
    const item: Record<string, AttributeValue> = Object.fromEntries([
      ...userAttributes(event),
      ...metadataAttributes(event),
      ['userName', { S: event.userName }],
      ['createdAt', { S: clock().toISOString() }],
      [PROFILE_KEY, { S: sub }],
    ]);

    const client = await dynamodb();
    const { PutItemCommand } = await loadDynamoDbSdk();
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': PROFILE_KEY },
        }),
        { abortSignal: context.signal },
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
        logger.info('profile: already exists, left as it is', { action: 'writeProfile' });
        return 'skipped';
      }
      throw new DynamoDbRequestError('PutItem', error);
    }
    logger.info('profile: created', { action: 'writeProfile', fields: Object.keys(item).length });
    return 'done';
  };
}

/**
 * The options from `PROFILE_TABLE` (a table name or ARN), `PROFILE_ATTRIBUTES` (comma-separated attribute
 * names; {@link defaultProfileAttributes} when empty) and `PROFILE_PLANS` (comma-separated plan names), or
 * `undefined` when `PROFILE_TABLE` is empty (the action is off). The values are checked by
 * {@link writeProfile}.
 */
export function writeProfileFromEnv(env: Env): Required<WriteProfileOptions> | undefined {
  const tableName = readString(env, 'PROFILE_TABLE', '');
  if (tableName === '') return undefined;
  const attributes = readList(env, 'PROFILE_ATTRIBUTES');
  return {
    tableName,
    attributes: attributes.length === 0 ? defaultProfileAttributes : attributes,
    plans: readList(env, 'PROFILE_PLANS'),
  };
}

/** What {@link writeProfile} reads (shared/settings.ts). */
export const writeProfileSettings = declareSettings({
  owner: 'writeProfile',
  variables: [
    {
      name: 'PROFILE_TABLE',
      option: 'tableName',
      calls: { service: 'dynamodb', offline: { value: '', says: 'profile writes off' } },
    },
    { name: 'PROFILE_ATTRIBUTES', option: 'attributes' },
    { name: 'PROFILE_PLANS', option: 'plans' },
  ],
  clientMetadata: Object.keys(profileMetadataFields).map((key) => ({ key, value: CallerValue.Free })),
});
