/**
 * A user pool as a team already runs it in production, for the attach suites against moto: every field
 * UpdateUserPool can write (that moto returns) set to something other than its default, another team's
 * triggers included. moto's UpdateUserPool resets what a request leaves out, as Cognito does, so a setting
 * the attach core failed to send back shows as a difference.
 *
 * What moto does not model, and so what these suites cannot see: it checks none of Cognito's cross-field
 * rules (feature plan against threat protection, KMSKeyID with a custom sender, UnusedAccountValidityDays
 * beside TemporaryPasswordValidityDays); it does not move LastModifiedDate on update; and its botocore model
 * lacks DcrConfiguration, KeyConfiguration, IssuerConfiguration, AcrConfiguration and SmsConfiguration.EumsSms,
 * so it never returns them and the pool below does not set them (the unit tests cover their copying); and
 * its update drops create-only fields (UsernameAttributes, UsernameConfiguration) that Cognito keeps.
 */
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { MOTO_ACCOUNT_ID } from './moto-server.js';

/** A Lambda function ARN in moto's account and us-east-1. */
export const functionArn = (name: string) => `arn:aws:lambda:us-east-1:${MOTO_ACCOUNT_ID}:function:${name}`;

/** The toolkit's three functions. */
export const OURS = {
  PreSignUp: functionArn('ours-pre-sign-up'),
  CustomMessage: functionArn('ours-custom-message'),
  PostConfirmation: functionArn('ours-post-confirmation'),
} as const;

/** Another team's pre sign-up function. */
export const THEIRS = functionArn('their-pre-sign-up');

/** Every field UpdateUserPool can write (that moto returns), set to something other than its default. */
export const EVERY_FIELD = {
  Policies: {
    PasswordPolicy: {
      MinimumLength: 14,
      RequireUppercase: false,
      RequireLowercase: true,
      RequireNumbers: false,
      RequireSymbols: true,
      PasswordHistorySize: 5,
      TemporaryPasswordValidityDays: 3,
    },
    SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] },
  },
  DeletionProtection: 'ACTIVE',
  LambdaConfig: {
    PreAuthentication: functionArn('their-pre-authentication'),
    PostAuthentication: functionArn('their-post-authentication'),
    PreTokenGeneration: functionArn('their-pre-token-generation'),
    PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: functionArn('their-pre-token-generation') },
    CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: functionArn('their-email-sender') },
    KMSKeyID: `arn:aws:kms:us-east-1:${MOTO_ACCOUNT_ID}:key/0f5e7c4e-6d5c-4f6b-9b1d-2f3a4b5c6d7e`,
  },
  AutoVerifiedAttributes: ['email', 'phone_number'],
  VerificationMessageTemplate: {
    SmsMessage: 'Your sign-up code: {####}',
    EmailMessage: 'Welcome! Your code is {####}.',
    EmailSubject: 'Confirm your account',
    EmailMessageByLink: 'Welcome! {##Confirm your address##}',
    EmailSubjectByLink: 'Confirm your address',
    DefaultEmailOption: 'CONFIRM_WITH_LINK',
  },
  SmsAuthenticationMessage: 'Your sign-in code: {####}',
  UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
  MfaConfiguration: 'OPTIONAL',
  DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  EmailConfiguration: {
    EmailSendingAccount: 'DEVELOPER',
    SourceArn: `arn:aws:ses:us-east-1:${MOTO_ACCOUNT_ID}:identity/example.com`,
    From: 'Example <no-reply@example.com>',
    ReplyToEmailAddress: 'support@example.com',
    ConfigurationSet: 'sign-up',
  },
  SmsConfiguration: {
    SnsCallerArn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/cognito-sms`,
    ExternalId: 'sign-up-sms',
    SnsRegion: 'us-east-1',
  },
  UserPoolTags: { team: 'identity', 'cost center': '42' },
  AdminCreateUserConfig: {
    AllowAdminCreateUserOnly: true,
    InviteMessageTemplate: {
      SMSMessage: 'You are invited: {username} {####}',
      EmailMessage: 'You are invited, {username}: {####}',
      EmailSubject: 'Your invitation',
    },
  },
  UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
  AccountRecoverySetting: {
    RecoveryMechanisms: [
      { Priority: 1, Name: 'verified_phone_number' },
      { Priority: 2, Name: 'verified_email' },
    ],
  },
  UserPoolTier: 'PLUS',
  // Not the create-only fields (UsernameAttributes, AliasAttributes, UsernameConfiguration): UpdateUserPool has
  // no such parameters, so Cognito keeps them, but moto keeps every setting in one dictionary that an update
  // replaces, and would drop them.
} satisfies Omit<CreateUserPoolCommandInput, 'PoolName'>;

/** Our three triggers added, as diff lines (attach/diff-pools.ts). */
export const OUR_LINES = [
  `+ LambdaConfig.CustomMessage = "${OURS.CustomMessage}"`,
  `+ LambdaConfig.PostConfirmation = "${OURS.PostConfirmation}"`,
  `+ LambdaConfig.PreSignUp = "${OURS.PreSignUp}"`,
];

/** Creates a pool with {@link EVERY_FIELD}, plus `lambdaConfig` entries; its id. */
export async function createEveryFieldPool(
  client: CognitoIdentityProviderClient,
  lambdaConfig: Record<string, string> = {},
): Promise<string> {
  const created = await client.send(
    new CreateUserPoolCommand({
      ...structuredClone(EVERY_FIELD),
      PoolName: 'existing-production-pool',
      LambdaConfig: { ...EVERY_FIELD.LambdaConfig, ...lambdaConfig },
    }),
  );
  return created.UserPool?.Id ?? '';
}
