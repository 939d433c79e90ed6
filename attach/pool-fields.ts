/**
 * Every field of a `DescribeUserPool` answer, and how each writable one goes back into an `UpdateUserPool`
 * request.
 *
 * `UpdateUserPool` resets every setting the request leaves out (aws-cli #3302 and #6698, serverless #6499,
 * amplify-cli #3646), so the only safe request carries every writable field back. Two tables, both checked by
 * the compiler against the SDK's own types, make that exhaustive:
 *
 * - {@link USER_POOL_FIELDS}: every member of `UserPoolType`, sent back (as which request field) or read-only.
 *   A `DescribeUserPool` answer with a key outside it is refused ({@link assertKnownFields}).
 * - `COPY`: one function per member of `UpdateUserPoolRequest`, reading it from the pool.
 *
 * When the SDK gains a field, `tsc --noEmit` fails here until the field is handled: a missing key in either
 * table does not satisfy its mapped type, and a removed one is an excess property.
 */
import type {
  AdminCreateUserConfigType,
  UpdateUserPoolCommandInput,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { UnknownPoolFieldError } from './errors.js';

/** What happens to one field of a `DescribeUserPool` answer. */
export type PoolFieldRole =
  /** Sent back in `UpdateUserPool` as this request field. */
  | { readonly sentAs: keyof UpdateUserPoolCommandInput }
  /** Not writable by `UpdateUserPool` (why); `volatile` when it changes on its own and a diff ignores it. */
  | { readonly readOnly: string; readonly volatile?: boolean };

/**
 * Every member of the SDK's `UserPoolType`. Note the two renamings: `Id` is the request's `UserPoolId` and
 * `Name` its `PoolName`.
 */
export const USER_POOL_FIELDS = {
  Id: { sentAs: 'UserPoolId' },
  Name: { sentAs: 'PoolName' },
  Policies: { sentAs: 'Policies' },
  DeletionProtection: { sentAs: 'DeletionProtection' },
  LambdaConfig: { sentAs: 'LambdaConfig' },
  Status: { readOnly: 'deprecated, no longer used', volatile: true },
  LastModifiedDate: { readOnly: 'set by Cognito on every change', volatile: true },
  CreationDate: { readOnly: 'set by Cognito' },
  SchemaAttributes: { readOnly: 'changed only by AddCustomAttributes' },
  AutoVerifiedAttributes: { sentAs: 'AutoVerifiedAttributes' },
  AliasAttributes: { readOnly: 'set only when the pool is created' },
  UsernameAttributes: { readOnly: 'set only when the pool is created' },
  SmsVerificationMessage: { sentAs: 'SmsVerificationMessage' },
  EmailVerificationMessage: { sentAs: 'EmailVerificationMessage' },
  EmailVerificationSubject: { sentAs: 'EmailVerificationSubject' },
  VerificationMessageTemplate: { sentAs: 'VerificationMessageTemplate' },
  SmsAuthenticationMessage: { sentAs: 'SmsAuthenticationMessage' },
  UserAttributeUpdateSettings: { sentAs: 'UserAttributeUpdateSettings' },
  MfaConfiguration: { sentAs: 'MfaConfiguration' },
  DeviceConfiguration: { sentAs: 'DeviceConfiguration' },
  EstimatedNumberOfUsers: { readOnly: 'a count kept by Cognito', volatile: true },
  EmailConfiguration: { sentAs: 'EmailConfiguration' },
  SmsConfiguration: { sentAs: 'SmsConfiguration' },
  UserPoolTags: { sentAs: 'UserPoolTags' },
  SmsConfigurationFailure: { readOnly: "a status of the pool's SMS set-up", volatile: true },
  EmailConfigurationFailure: { readOnly: "a status of the pool's email set-up", volatile: true },
  Domain: { readOnly: 'changed only by the UserPoolDomain operations' },
  CustomDomain: { readOnly: 'changed only by the UserPoolDomain operations' },
  AdminCreateUserConfig: { sentAs: 'AdminCreateUserConfig' },
  UserPoolAddOns: { sentAs: 'UserPoolAddOns' },
  DcrConfiguration: { sentAs: 'DcrConfiguration' },
  UsernameConfiguration: { readOnly: 'set only when the pool is created' },
  Arn: { readOnly: "the pool's identity" },
  AccountRecoverySetting: { sentAs: 'AccountRecoverySetting' },
  UserPoolTier: { sentAs: 'UserPoolTier' },
  KeyConfiguration: { sentAs: 'KeyConfiguration' },
  IssuerConfiguration: { sentAs: 'IssuerConfiguration' },
  AcrConfiguration: { sentAs: 'AcrConfiguration' },
} as const satisfies { readonly [K in keyof Required<UserPoolType>]: PoolFieldRole };

/** A name of {@link USER_POOL_FIELDS}. */
export type UserPoolField = keyof typeof USER_POOL_FIELDS;

/** A value the copier leaves out of, or changes in, the request, and why (printed by `--dry-run`). */
export type FieldAdjustment = { field: string; reason: string };

/** How one request field is read from the pool; `adjust` records a value deliberately not sent as it was. */
type Copy<K extends keyof UpdateUserPoolCommandInput> = (
  pool: UserPoolType,
  adjust: (adjustment: FieldAdjustment) => void,
) => UpdateUserPoolCommandInput[K];

// The deprecated top-level verification messages and the template member Cognito keeps them in.
const TEMPLATE_MEMBER = {
  SmsVerificationMessage: 'SmsMessage',
  EmailVerificationMessage: 'EmailMessage',
  EmailVerificationSubject: 'EmailSubject',
} as const;

/**
 * `SmsVerificationMessage`, `EmailVerificationMessage`, `EmailVerificationSubject` are "no longer used"
 * (SDK docs): Cognito keeps them in `VerificationMessageTemplate` and `DescribeUserPool` mirrors them at the
 * top level. When the template holds the same member, only the template is sent: it is what Cognito uses,
 * and sending both lets them disagree (Terraform and Crossplane had to reconcile the two). Without it in the
 * template, the deprecated field is the only carrier and is sent as it was.
 */
function deprecatedMessage<K extends keyof typeof TEMPLATE_MEMBER>(field: K): Copy<K> {
  return function copyDeprecatedMessage(pool, adjust) {
    const value = pool[field];
    const member = TEMPLATE_MEMBER[field];
    if (value === undefined || pool.VerificationMessageTemplate?.[member] === undefined) return value;
    adjust({
      field,
      reason: `deprecated; VerificationMessageTemplate.${member} is sent instead and carries the message`,
    });
    return undefined;
  };
}

/**
 * `AdminCreateUserConfig.UnusedAccountValidityDays` is the legacy spelling of
 * `Policies.PasswordPolicy.TemporaryPasswordValidityDays`; `DescribeUserPool` returns both, and
 * `UpdateUserPool` refuses the pair ("Please use TemporaryPasswordValidityDays in PasswordPolicy instead of
 * UnusedAccountValidityDays": aws-sdk-js #3817, pulumi-aws-native #1256; Terraform's provider retries
 * without it). So it is left out when the password policy carries the value, and sent otherwise.
 */
function adminCreateUserConfigOf(
  pool: UserPoolType,
  adjust: (adjustment: FieldAdjustment) => void,
): AdminCreateUserConfigType | undefined {
  const config = pool.AdminCreateUserConfig;
  const temporary = pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays;
  if (config?.UnusedAccountValidityDays === undefined || temporary === undefined) return config;
  const copy = { ...config };
  delete copy.UnusedAccountValidityDays;
  adjust({
    field: 'AdminCreateUserConfig.UnusedAccountValidityDays',
    reason:
      'legacy; Cognito refuses it beside Policies.PasswordPolicy.TemporaryPasswordValidityDays ' +
      `(${temporary}), which is sent and governs`,
  });
  return copy;
}

/**
 * `AcrConfiguration`: `DescribeUserPool` returns the effective names of the four ACR levels, "with default
 * names merged in"; custom names need the Essentials or Plus plan, and a level left out of the request keeps
 * its default name. So only the customised levels are sent: a Lite pool is not refused for naming its
 * defaults, and nothing changes. The default of `Level<n>` is taken to be `urn:cognito:loa:<n>` (the
 * developer guide's ACR claim values); a level with any other value is sent as it was.
 */
function acrConfigurationOf(
  pool: UserPoolType,
  adjust: (adjustment: FieldAdjustment) => void,
): UserPoolType['AcrConfiguration'] {
  const levels = pool.AcrConfiguration;
  if (levels === undefined) return undefined;
  const custom: NonNullable<UserPoolType['AcrConfiguration']> = {};
  for (const [level, config] of Object.entries(levels)) {
    const number = /^Level([1-9])$/.exec(level)?.[1];
    if (number !== undefined && config.AcrValue === `urn:cognito:loa:${number}`) {
      adjust({
        field: `AcrConfiguration.${level}`,
        reason: 'the default name, which a level left out keeps',
      });
      continue;
    }
    Object.defineProperty(custom, level, { value: config, enumerable: true, writable: true });
  }
  return Object.keys(custom).length === 0 ? undefined : custom;
}

/**
 * `DcrConfiguration` is the one field `UpdateUserPool` documents as kept when left out ("If you omit this
 * parameter, Amazon Cognito keeps the existing configuration"), while sending it replaces it whole and is
 * checked against the feature plan. Left out, it stays exactly as it is.
 */
function dcrConfigurationOf(
  pool: UserPoolType,
  adjust: (adjustment: FieldAdjustment) => void,
): UserPoolType['DcrConfiguration'] {
  if (pool.DcrConfiguration !== undefined) {
    adjust({ field: 'DcrConfiguration', reason: 'Cognito keeps it when a request leaves it out' });
  }
  return undefined;
}

/**
 * One copier per member of the SDK's `UpdateUserPoolRequest`. Everything not named above in a comment is
 * sent exactly as `DescribeUserPool` returned it: the feature plan (`UserPoolTier`) goes with `UserPoolAddOns`
 * and the other plan-bound settings, so Cognito checks them as the pair they already are; `LambdaConfig`
 * keeps every trigger, `PreTokenGenerationConfig`, `CustomEmailSender` / `CustomSMSSender` and `KMSKeyID`
 * (only the planner changes our trigger keys); `KeyConfiguration` and `IssuerConfiguration` "must match the
 * existing configuration" in secondary Regions, which a copy does.
 */
const COPY = {
  UserPoolId: (pool) => pool.Id,
  PoolName: (pool) => pool.Name,
  Policies: (pool) => pool.Policies,
  DeletionProtection: (pool) => pool.DeletionProtection,
  LambdaConfig: (pool) => pool.LambdaConfig,
  AutoVerifiedAttributes: (pool) => pool.AutoVerifiedAttributes,
  SmsVerificationMessage: deprecatedMessage('SmsVerificationMessage'),
  EmailVerificationMessage: deprecatedMessage('EmailVerificationMessage'),
  EmailVerificationSubject: deprecatedMessage('EmailVerificationSubject'),
  VerificationMessageTemplate: (pool) => pool.VerificationMessageTemplate,
  SmsAuthenticationMessage: (pool) => pool.SmsAuthenticationMessage,
  UserAttributeUpdateSettings: (pool) => pool.UserAttributeUpdateSettings,
  MfaConfiguration: (pool) => pool.MfaConfiguration,
  DeviceConfiguration: (pool) => pool.DeviceConfiguration,
  EmailConfiguration: (pool) => pool.EmailConfiguration,
  SmsConfiguration: (pool) => pool.SmsConfiguration,
  UserPoolTags: (pool) => pool.UserPoolTags,
  AdminCreateUserConfig: adminCreateUserConfigOf,
  UserPoolAddOns: (pool) => pool.UserPoolAddOns,
  DcrConfiguration: dcrConfigurationOf,
  AccountRecoverySetting: (pool) => pool.AccountRecoverySetting,
  UserPoolTier: (pool) => pool.UserPoolTier,
  KeyConfiguration: (pool) => pool.KeyConfiguration,
  IssuerConfiguration: (pool) => pool.IssuerConfiguration,
  AcrConfiguration: acrConfigurationOf,
} satisfies { [K in keyof Required<UpdateUserPoolCommandInput>]: Copy<K> };

/** The request fields, in the order the copier fills them (the SDK's order). */
export const REQUEST_FIELDS = Object.keys(COPY) as readonly (keyof UpdateUserPoolCommandInput)[];

/** An `UpdateUserPool` request that leaves the pool as it is, and what it deliberately does not send. */
export type WritableRequest = { request: UpdateUserPoolCommandInput; adjustments: FieldAdjustment[] };

/**
 * The `UpdateUserPool` request that sets every writable field of `pool` to what it is now (a deep copy: the
 * caller may change it). Fields without a value are left out.
 *
 * @example
 * const { request } = writableRequestOf(describeAnswer.UserPool);
 * request.LambdaConfig = { ...request.LambdaConfig, PreSignUp: arn };
 */
export function writableRequestOf(pool: UserPoolType): WritableRequest {
  const adjustments: FieldAdjustment[] = [];
  const adjust = (adjustment: FieldAdjustment): void => {
    adjustments.push(adjustment);
  };
  const request: Record<string, unknown> = {};
  for (const [field, copy] of Object.entries(COPY) as [string, Copy<keyof UpdateUserPoolCommandInput>][]) {
    const value = copy(pool, adjust);
    if (value !== undefined) request[field] = structuredClone(value);
  }
  return { request: request as unknown as UpdateUserPoolCommandInput, adjustments };
}

/**
 * Checks that every key of a `DescribeUserPool` answer is a field of {@link USER_POOL_FIELDS}; a key without
 * a value does not count.
 * @throws UnknownPoolFieldError naming the others.
 */
export function assertKnownFields(pool: UserPoolType): void {
  const unknown = Object.keys(pool).filter(
    (key) => !Object.hasOwn(USER_POOL_FIELDS, key) && (pool as Record<string, unknown>)[key] !== undefined,
  );
  if (unknown.length > 0) throw new UnknownPoolFieldError(unknown.sort());
}

/** Whether `field` changes on its own (a timestamp, a count, a status) and a diff should skip it. */
export function isVolatileField(field: string): boolean {
  if (!Object.hasOwn(USER_POOL_FIELDS, field)) return false;
  const role: PoolFieldRole = USER_POOL_FIELDS[field as UserPoolField];
  return 'volatile' in role && role.volatile === true;
}
