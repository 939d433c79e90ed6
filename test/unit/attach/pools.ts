/**
 * User pools for the attach tests: one `DescribeUserPool` answer with every field set, fast-check
 * arbitraries for any pool the SDK's types allow (both checked against the SDK's `UserPoolType`, so a new
 * field breaks the tests' build too), and a model of what `UpdateUserPool` does to a pool.
 */
import type {
  LambdaConfigType,
  UpdateUserPoolCommandInput,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import fc from 'fast-check';
import { USER_POOL_FIELDS, type UserPoolField } from '../../../attach/pool-fields.js';

import { EVERY_FIELD, functionArn, OURS } from '../../support/existing-pools.js';
import { MOTO_ACCOUNT_ID } from '../../support/moto-server.js';

export { functionArn, OURS };

export const ACCOUNT = MOTO_ACCOUNT_ID;

/** Functions that are not ours. */
export const THEIRS = [functionArn('theirs-a'), functionArn('theirs-b'), functionArn('theirs-c')] as const;

/** A `DescribeUserPool` answer with every field of the SDK's `UserPoolType` set, none to its default. */
export function everyFieldPool(): UserPoolType {
  const pool = {
    // What the moto suites set (password and sign-in policy, deletion protection, MFA, devices, email and SMS
    // configuration, tags, account recovery, tier), then what moto cannot return or the unit tests set apart.
    ...structuredClone(EVERY_FIELD),
    Id: 'us-east-1_AbC123',
    Name: 'existing-production-pool',
    LambdaConfig: {
      PreAuthentication: functionArn('their-pre-authentication'),
      PreTokenGeneration: functionArn('their-pre-token-generation'),
      PreTokenGenerationConfig: {
        LambdaVersion: 'V2_0',
        LambdaArn: functionArn('their-pre-token-generation'),
      },
      CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: functionArn('their-email-sender') },
      CustomSMSSender: { LambdaVersion: 'V1_0', LambdaArn: functionArn('their-sms-sender') },
      KMSKeyID: `arn:aws:kms:us-east-1:${ACCOUNT}:key/0f5e7c4e-6d5c-4f6b-9b1d-2f3a4b5c6d7e`,
      InboundFederation: { LambdaVersion: 'V1_0', LambdaArn: functionArn('their-federation') },
    },
    Status: 'Enabled',
    LastModifiedDate: new Date('2026-01-02T03:04:05.000Z'),
    CreationDate: new Date('2025-01-02T03:04:05.000Z'),
    SchemaAttributes: [{ Name: 'custom:tenant', AttributeDataType: 'String', Mutable: true }],
    AutoVerifiedAttributes: ['email'],
    AliasAttributes: ['preferred_username'],
    UsernameAttributes: ['email'],
    SmsVerificationMessage: 'Code: {####}',
    EmailVerificationMessage: 'Your code is {####}.',
    EmailVerificationSubject: 'Confirm your account',
    VerificationMessageTemplate: {
      SmsMessage: 'Code: {####}',
      EmailMessage: 'Your code is {####}.',
      EmailSubject: 'Confirm your account',
      EmailMessageByLink: 'Welcome! {##Confirm##}',
      EmailSubjectByLink: 'Confirm your address',
      DefaultEmailOption: 'CONFIRM_WITH_LINK',
    },
    SmsAuthenticationMessage: 'Sign-in code: {####}',
    EstimatedNumberOfUsers: 1234,
    SmsConfigurationFailure: 'SNSSandbox',
    EmailConfigurationFailure: 'none',
    Domain: 'example-auth',
    CustomDomain: 'auth.example.com',
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: true,
      UnusedAccountValidityDays: 3,
      InviteMessageTemplate: { SMSMessage: 'Hi {username} {####}', EmailMessage: 'Hi {username} {####}' },
    },
    UserPoolAddOns: {
      AdvancedSecurityMode: 'AUDIT',
      AdvancedSecurityAdditionalFlows: { CustomAuthMode: 'AUDIT' },
    },
    DcrConfiguration: { EnableStatus: 'Enabled', OpenDcrEnabled: false, AllowedScopes: ['orders/read'] },
    UsernameConfiguration: { CaseSensitive: false },
    Arn: `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_AbC123`,
    KeyConfiguration: {
      KeyType: 'CUSTOMER_MANAGED_KEY',
      KmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-1`,
    },
    IssuerConfiguration: { Type: 'UPDATED' },
    AcrConfiguration: {
      Level1: { AcrValue: 'urn:cognito:loa:1' },
      Level2: { AcrValue: 'urn:example:mfa' },
      Level3: { AcrValue: 'urn:cognito:loa:3' },
      Level4: { AcrValue: 'urn:cognito:loa:4' },
    },
  } satisfies Required<UserPoolType>;
  return pool;
}

/**
 * What `UpdateUserPool` makes of `pool`: every writable field becomes the request's (a field the request
 * leaves out is reset, here: gone), read-only fields stay, and `DcrConfiguration` stays when left out (the
 * one field Cognito documents as kept).
 */
export function updatedPool(pool: UserPoolType, request: UpdateUserPoolCommandInput): UserPoolType {
  const next: Record<string, unknown> = {};
  for (const [field, role] of Object.entries(USER_POOL_FIELDS) as [UserPoolField, object][]) {
    const value =
      'sentAs' in role
        ? (request as unknown as Record<string, unknown>)[(role as { sentAs: string }).sentAs]
        : pool[field];
    if (value !== undefined) next[field] = structuredClone(value);
  }
  if (request.DcrConfiguration === undefined && pool.DcrConfiguration !== undefined) {
    next.DcrConfiguration = structuredClone(pool.DcrConfiguration);
  }
  return next as UserPoolType;
}

const text = fc.string({ maxLength: 8 });
const foreignArn = fc.constantFrom(...THEIRS);
const versioned = <V extends string>(version: V) =>
  fc.record({ LambdaVersion: fc.constant(version), LambdaArn: foreignArn });

/** Any `LambdaConfig`, every slot either empty or another function. */
export const lambdaConfigArbitrary: fc.Arbitrary<LambdaConfigType> = fc.record(
  {
    PreSignUp: foreignArn,
    CustomMessage: foreignArn,
    PostConfirmation: foreignArn,
    PreAuthentication: foreignArn,
    PostAuthentication: foreignArn,
    DefineAuthChallenge: foreignArn,
    CreateAuthChallenge: foreignArn,
    VerifyAuthChallengeResponse: foreignArn,
    PreTokenGeneration: foreignArn,
    UserMigration: foreignArn,
    PreTokenGenerationConfig: fc.record({
      LambdaVersion: fc.constantFrom('V1_0', 'V2_0', 'V3_0'),
      LambdaArn: foreignArn,
    }),
    CustomSMSSender: versioned('V1_0'),
    CustomEmailSender: versioned('V1_0'),
    KMSKeyID: text,
    InboundFederation: versioned('V1_0'),
  } satisfies { [K in keyof Required<LambdaConfigType>]: fc.Arbitrary<LambdaConfigType[K]> },
  { requiredKeys: [] },
);

const optional = { requiredKeys: [] as [] };

/** Any `DescribeUserPool` answer the SDK's types allow (with an Id). */
export const poolArbitrary: fc.Arbitrary<UserPoolType> = fc.record(
  {
    Id: fc.constant('us-east-1_Prop1'),
    Name: text,
    Policies: fc.record(
      {
        PasswordPolicy: fc.record(
          {
            MinimumLength: fc.integer({ min: 6, max: 99 }),
            RequireUppercase: fc.boolean(),
            RequireLowercase: fc.boolean(),
            RequireNumbers: fc.boolean(),
            RequireSymbols: fc.boolean(),
            PasswordHistorySize: fc.integer({ min: 0, max: 24 }),
            TemporaryPasswordValidityDays: fc.integer({ min: 0, max: 365 }),
          },
          optional,
        ),
        SignInPolicy: fc.record({
          AllowedFirstAuthFactors: fc.subarray(['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] as const),
        }),
      },
      optional,
    ),
    DeletionProtection: fc.constantFrom('ACTIVE', 'INACTIVE'),
    LambdaConfig: lambdaConfigArbitrary,
    Status: fc.constantFrom('Enabled', 'Disabled'),
    LastModifiedDate: fc.date({ noInvalidDate: true }),
    CreationDate: fc.date({ noInvalidDate: true }),
    SchemaAttributes: fc.array(
      fc.record(
        { Name: text, AttributeDataType: fc.constantFrom('String', 'Number') },
        { requiredKeys: ['Name'] },
      ),
      { maxLength: 2 },
    ),
    AutoVerifiedAttributes: fc.subarray(['email', 'phone_number'] as const),
    AliasAttributes: fc.subarray(['email', 'phone_number', 'preferred_username'] as const),
    UsernameAttributes: fc.subarray(['email', 'phone_number'] as const),
    SmsVerificationMessage: text,
    EmailVerificationMessage: text,
    EmailVerificationSubject: text,
    VerificationMessageTemplate: fc.record(
      {
        SmsMessage: text,
        EmailMessage: text,
        EmailSubject: text,
        EmailMessageByLink: text,
        EmailSubjectByLink: text,
        DefaultEmailOption: fc.constantFrom('CONFIRM_WITH_CODE', 'CONFIRM_WITH_LINK'),
      },
      optional,
    ),
    SmsAuthenticationMessage: text,
    UserAttributeUpdateSettings: fc.record(
      { AttributesRequireVerificationBeforeUpdate: fc.subarray(['email', 'phone_number'] as const) },
      optional,
    ),
    MfaConfiguration: fc.constantFrom('OFF', 'ON', 'OPTIONAL'),
    DeviceConfiguration: fc.record(
      { ChallengeRequiredOnNewDevice: fc.boolean(), DeviceOnlyRememberedOnUserPrompt: fc.boolean() },
      optional,
    ),
    EstimatedNumberOfUsers: fc.nat(),
    EmailConfiguration: fc.record(
      {
        SourceArn: text,
        ReplyToEmailAddress: text,
        EmailSendingAccount: fc.constantFrom('COGNITO_DEFAULT', 'DEVELOPER'),
        From: text,
        ConfigurationSet: text,
      },
      optional,
    ),
    SmsConfiguration: fc.record(
      {
        SnsCallerArn: text,
        ExternalId: text,
        SnsRegion: text,
        EumsSms: fc.record(
          {
            CallerArn: text,
            ExternalId: text,
            OriginationIdentity: text,
            ConfigurationSetName: text,
            InEntityId: text,
            InTemplateId: text,
            Region: text,
          },
          { requiredKeys: ['CallerArn'] },
        ),
      },
      optional,
    ),
    UserPoolTags: fc.dictionary(text, text, { maxKeys: 3 }),
    SmsConfigurationFailure: text,
    EmailConfigurationFailure: text,
    Domain: text,
    CustomDomain: text,
    AdminCreateUserConfig: fc.record(
      {
        AllowAdminCreateUserOnly: fc.boolean(),
        UnusedAccountValidityDays: fc.integer({ min: 0, max: 365 }),
        InviteMessageTemplate: fc.record(
          { SMSMessage: text, EmailMessage: text, EmailSubject: text },
          optional,
        ),
      },
      optional,
    ),
    UserPoolAddOns: fc.record(
      {
        AdvancedSecurityMode: fc.constantFrom('OFF', 'AUDIT', 'ENFORCED'),
        AdvancedSecurityAdditionalFlows: fc.record(
          { CustomAuthMode: fc.constantFrom('AUDIT', 'ENFORCED') },
          optional,
        ),
      },
      { requiredKeys: ['AdvancedSecurityMode'] },
    ),
    DcrConfiguration: fc.record(
      {
        EnableStatus: fc.constantFrom('Enabled', 'Disabled'),
        OpenDcrEnabled: fc.boolean(),
        AuthenticatedGrantTypes: fc.subarray(['code', 'client_credentials'] as const),
        OpenDcrGrantTypes: fc.subarray(['code', 'client_credentials'] as const),
        AllowedScopes: fc.array(text, { maxLength: 2 }),
      },
      optional,
    ),
    UsernameConfiguration: fc.record({ CaseSensitive: fc.boolean() }),
    Arn: text,
    AccountRecoverySetting: fc.record(
      {
        RecoveryMechanisms: fc.array(
          fc.record({
            Priority: fc.integer({ min: 1, max: 2 }),
            Name: fc.constantFrom('verified_email', 'verified_phone_number', 'admin_only'),
          }),
          { maxLength: 2 },
        ),
      },
      optional,
    ),
    UserPoolTier: fc.constantFrom('LITE', 'ESSENTIALS', 'PLUS'),
    KeyConfiguration: fc.record(
      { KeyType: fc.constantFrom('AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KEY'), KmsKeyArn: text },
      optional,
    ),
    IssuerConfiguration: fc.record({ Type: fc.constantFrom('ORIGINAL', 'UPDATED') }, optional),
    AcrConfiguration: fc.dictionary(
      fc.constantFrom('Level1', 'Level2', 'Level3', 'Level4'),
      fc.record({
        AcrValue: fc.oneof(
          text,
          fc.constantFrom('urn:cognito:loa:1', 'urn:cognito:loa:2', 'urn:cognito:loa:3'),
        ),
      }),
    ),
  } satisfies { [K in keyof Required<UserPoolType>]: fc.Arbitrary<UserPoolType[K]> },
  { requiredKeys: ['Id'] },
);

/** Any non-empty choice of our functions. */
export const oursArbitrary = fc
  .subarray(['PreSignUp', 'CustomMessage', 'PostConfirmation'] as const, { minLength: 1 })
  .map((triggers) => Object.fromEntries(triggers.map((trigger) => [trigger, OURS[trigger]])));
