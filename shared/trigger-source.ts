/**
 * Every trigger source of the three sign-up triggers, as Cognito spells them.
 * Contract §2, §3 and §4 list which API operation fires which source.
 */
export const TriggerSource = {
  PreSignUpSignUp: 'PreSignUp_SignUp',
  PreSignUpAdminCreateUser: 'PreSignUp_AdminCreateUser',
  PreSignUpExternalProvider: 'PreSignUp_ExternalProvider',
  CustomMessageSignUp: 'CustomMessage_SignUp',
  CustomMessageAdminCreateUser: 'CustomMessage_AdminCreateUser',
  CustomMessageResendCode: 'CustomMessage_ResendCode',
  CustomMessageForgotPassword: 'CustomMessage_ForgotPassword',
  CustomMessageUpdateUserAttribute: 'CustomMessage_UpdateUserAttribute',
  CustomMessageVerifyUserAttribute: 'CustomMessage_VerifyUserAttribute',
  CustomMessageAuthentication: 'CustomMessage_Authentication',
  PostConfirmationConfirmSignUp: 'PostConfirmation_ConfirmSignUp',
  PostConfirmationConfirmForgotPassword: 'PostConfirmation_ConfirmForgotPassword',
} as const;

/** One of the twelve trigger sources this toolkit handles. */
export type TriggerSource = (typeof TriggerSource)[keyof typeof TriggerSource];

/** The trigger names Cognito uses in `LambdaConfig` and in the error text callers see. */
export const TriggerName = {
  PreSignUp: 'PreSignUp',
  CustomMessage: 'CustomMessage',
  PostConfirmation: 'PostConfirmation',
} as const;

/** One of the three sign-up trigger names. */
export type TriggerName = (typeof TriggerName)[keyof typeof TriggerName];

/** Whether `name` is one of the three sign-up triggers. */
export function isTriggerName(name: unknown): name is TriggerName {
  return typeof name === 'string' && Object.hasOwn(TriggerName, name);
}

/** The pre sign-up sources (contract §2). */
export const preSignUpSources = [
  TriggerSource.PreSignUpSignUp,
  TriggerSource.PreSignUpAdminCreateUser,
  TriggerSource.PreSignUpExternalProvider,
] as const;

/** The custom message sources (contract §3). */
export const customMessageSources = [
  TriggerSource.CustomMessageSignUp,
  TriggerSource.CustomMessageAdminCreateUser,
  TriggerSource.CustomMessageResendCode,
  TriggerSource.CustomMessageForgotPassword,
  TriggerSource.CustomMessageUpdateUserAttribute,
  TriggerSource.CustomMessageVerifyUserAttribute,
  TriggerSource.CustomMessageAuthentication,
] as const;

/** The post confirmation sources (contract §4). */
export const postConfirmationSources = [
  TriggerSource.PostConfirmationConfirmSignUp,
  TriggerSource.PostConfirmationConfirmForgotPassword,
] as const;

/** The sources of each trigger, keyed by trigger name. */
export const sourcesOfTrigger: Readonly<Record<TriggerName, readonly TriggerSource[]>> = {
  PreSignUp: preSignUpSources,
  CustomMessage: customMessageSources,
  PostConfirmation: postConfirmationSources,
};

/**
 * The trigger a source belongs to, read from the part before the underscore
 * (`PreSignUp_SignUp` -> `PreSignUp`); `undefined` for anything else.
 */
export function triggerNameOf(source: string): TriggerName | undefined {
  const underscore = source.indexOf('_');
  if (underscore < 1) return undefined;
  const prefix = source.slice(0, underscore);
  return Object.hasOwn(sourcesOfTrigger, prefix) ? (prefix as TriggerName) : undefined;
}

/**
 * The `triggerSource` a parser gives an event that arrived without one: a fragment such as the developer
 * guide's `{ request, response }` test events. It is no trigger's source, so the handler answers the event by
 * its unknown-source policy (`UNKNOWN_TRIGGER_SOURCE`).
 */
export const NO_TRIGGER_SOURCE = '';

// One source as Cognito spells it: a trigger name, an underscore, an operation name.
const SOURCE_SPELLING = /^[A-Za-z]+_[A-Za-z]+$/;

/**
 * Whether `source` is spelled like one Cognito trigger source (`PreAuthentication_Authentication`), as
 * opposed to what documentation samples put there: a placeholder (`<triggerSource>`) or a list of sources
 * (`CustomMessage_SignUp/CustomMessage_ResendCode/…`).
 */
export function isSourceSpelling(source: string): boolean {
  return SOURCE_SPELLING.test(source);
}

/** Whether `source` is one of the twelve known sources. */
export function isTriggerSource(source: unknown): source is TriggerSource {
  if (typeof source !== 'string') return false;
  const trigger = triggerNameOf(source);
  return trigger !== undefined && sourcesOfTrigger[trigger].includes(source as TriggerSource);
}
