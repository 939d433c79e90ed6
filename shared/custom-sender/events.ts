/**
 * Wire shapes of the custom email sender and custom SMS sender trigger events, as Cognito sends them, and the
 * constants that name Cognito's values (docs/custom-senders-events.md, which also defines the source keys cited
 * here: DG-CES, DG-CSS, DG-CST, DG-OLD, CAP1, PR52111, DT, BOTO). Evidence markers as in the contract:
 * [D] AWS documents it, [M] the service model shows it, [O] somebody observed it, [I] inferred.
 * The runtime checks live in `parse-event.ts` beside this file.
 */
import type { StringMap } from '../event-types.js';

/** The two delivery channels, one custom sender trigger each. */
export const CustomSenderChannel = {
  Email: 'email',
  SMS: 'sms',
} as const;

/** `'email'` or `'sms'`. */
export type CustomSenderChannel = (typeof CustomSenderChannel)[keyof typeof CustomSenderChannel];

/** The trigger names, as Cognito spells them before the underscore of a `triggerSource`. */
export const CustomSenderTriggerName = {
  CustomEmailSender: 'CustomEmailSender',
  CustomSMSSender: 'CustomSMSSender',
} as const;

/** One of the two custom sender trigger names. */
export type CustomSenderTriggerName = (typeof CustomSenderTriggerName)[keyof typeof CustomSenderTriggerName];

/** The trigger that delivers each channel. */
export const triggerNameOfChannel: Readonly<Record<CustomSenderChannel, CustomSenderTriggerName>> = {
  email: CustomSenderTriggerName.CustomEmailSender,
  sms: CustomSenderTriggerName.CustomSMSSender,
};

/**
 * `request.type`: AWS says the value is always this string for its channel [D, DG-CES, DG-CSS]. It matches the
 * only `LambdaVersion` a sender may be configured with, `V1_0` [M, BOTO].
 */
export const CustomSenderRequestType = {
  Email: 'customEmailSenderRequestV1',
  SMS: 'customSMSSenderRequestV1',
} as const;

/** One of the two `request.type` values. */
export type CustomSenderRequestType = (typeof CustomSenderRequestType)[keyof typeof CustomSenderRequestType];

/** The `request.type` each channel carries. */
export const requestTypeOfChannel: Readonly<Record<CustomSenderChannel, CustomSenderRequestType>> = {
  email: CustomSenderRequestType.Email,
  sms: CustomSenderRequestType.SMS,
};

/**
 * Every documented custom sender trigger source. The operation behind each is AWS's description turned into
 * API names; AWS names no operation, so the mapping is inferred [I] (docs/custom-senders-events.md, "Sources").
 */
export const CustomSenderTriggerSource = {
  /** `SignUp` (also managed-login sign-up) sends the confirmation code [D, DG-CES; operation I]. Seen live [O, CAP1]. */
  CustomEmailSenderSignUp: 'CustomEmailSender_SignUp',
  /** `ResendConfirmationCode`: a new confirmation code [D, DG-CES; operation I]. */
  CustomEmailSenderResendCode: 'CustomEmailSender_ResendCode',
  /** `ForgotPassword`, probably `AdminResetUserPassword` too: a reset code [D, DG-CES; operations I]. */
  CustomEmailSenderForgotPassword: 'CustomEmailSender_ForgotPassword',
  /** `UpdateUserAttributes` / `AdminUpdateUserAttributes` changing the email [D, DG-CES; operations I]. */
  CustomEmailSenderUpdateUserAttribute: 'CustomEmailSender_UpdateUserAttribute',
  /** `GetUserAttributeVerificationCode` [D, DG-CES; operation I]. */
  CustomEmailSenderVerifyUserAttribute: 'CustomEmailSender_VerifyUserAttribute',
  /** `AdminCreateUser`, `MessageAction=RESEND` included: a temporary password, not a code [D, DG-CES; RESEND I]. */
  CustomEmailSenderAdminCreateUser: 'CustomEmailSender_AdminCreateUser',
  /**
   * Threat protection (Plus feature plan) saw a risky sign-in: no code, and threat fields in place of the user's
   * attributes [D, DG-CES; fields O, PR52111].
   */
  CustomEmailSenderAccountTakeOverNotification: 'CustomEmailSender_AccountTakeOverNotification',
  /**
   * Sign-in with an email OTP first factor or email MFA [D, DG-CES; operations I]. Absent from the 2021 guide and
   * from DT until late 2025 [D, DG-OLD; O].
   */
  CustomEmailSenderAuthentication: 'CustomEmailSender_Authentication',
  /** As the email source, for the phone number [D, DG-CSS; operation I]. */
  CustomSMSSenderSignUp: 'CustomSMSSender_SignUp',
  /** As the email source, for the phone number [D, DG-CSS; operation I]. */
  CustomSMSSenderResendCode: 'CustomSMSSender_ResendCode',
  /** As the email source, for the phone number [D, DG-CSS; operation I]. */
  CustomSMSSenderForgotPassword: 'CustomSMSSender_ForgotPassword',
  /** A changed phone number to verify [D, DG-CSS; operation I]. */
  CustomSMSSenderUpdateUserAttribute: 'CustomSMSSender_UpdateUserAttribute',
  /** `GetUserAttributeVerificationCode` for the phone number [D, DG-CSS; operation I]. */
  CustomSMSSenderVerifyUserAttribute: 'CustomSMSSender_VerifyUserAttribute',
  /** `AdminCreateUser`: a temporary password by SMS [D, DG-CSS; operation I]. */
  CustomSMSSenderAdminCreateUser: 'CustomSMSSender_AdminCreateUser',
  /** Sign-in of a user with SMS MFA [D, DG-CSS]. */
  CustomSMSSenderAuthentication: 'CustomSMSSender_Authentication',
} as const;

/** One of the fifteen documented custom sender sources. */
export type CustomSenderTriggerSource =
  (typeof CustomSenderTriggerSource)[keyof typeof CustomSenderTriggerSource];
/** The eight custom email sender sources. */
export type CustomEmailSenderTriggerSource = Extract<
  CustomSenderTriggerSource,
  `CustomEmailSender_${string}`
>;
/** The seven custom SMS sender sources. */
export type CustomSMSSenderTriggerSource = Extract<CustomSenderTriggerSource, `CustomSMSSender_${string}`>;

/**
 * The SMS counterpart of the email account-takeover source. It occurs only inside the `if/else` of AWS's sample
 * handler code [D, DG-CSS, DG-OLD], never in the SMS page's table of sources [D, DG-CSS] nor in DT [DT], and
 * threat protection notifies by email only: the model's `NotifyConfigurationType` holds `BlockEmail`,
 * `MfaEmail` and `NoActionEmail` and no SMS message [M, BOTO]. So it is probably never sent [I]. The toolkit
 * does not model a shape nobody has seen: the parser answers it as an unknown source, like any future one.
 */
export const SAMPLE_ONLY_SMS_ACCOUNT_TAKEOVER_SOURCE = 'CustomSMSSender_AccountTakeOverNotification';

/** The custom email sender sources, in the order of the guide's table (DG-CES). */
export const customEmailSenderSources = [
  CustomSenderTriggerSource.CustomEmailSenderSignUp,
  CustomSenderTriggerSource.CustomEmailSenderResendCode,
  CustomSenderTriggerSource.CustomEmailSenderForgotPassword,
  CustomSenderTriggerSource.CustomEmailSenderUpdateUserAttribute,
  CustomSenderTriggerSource.CustomEmailSenderVerifyUserAttribute,
  CustomSenderTriggerSource.CustomEmailSenderAdminCreateUser,
  CustomSenderTriggerSource.CustomEmailSenderAccountTakeOverNotification,
  CustomSenderTriggerSource.CustomEmailSenderAuthentication,
] as const;

/** The custom SMS sender sources (DG-CSS). */
export const customSMSSenderSources = [
  CustomSenderTriggerSource.CustomSMSSenderSignUp,
  CustomSenderTriggerSource.CustomSMSSenderResendCode,
  CustomSenderTriggerSource.CustomSMSSenderForgotPassword,
  CustomSenderTriggerSource.CustomSMSSenderUpdateUserAttribute,
  CustomSenderTriggerSource.CustomSMSSenderVerifyUserAttribute,
  CustomSenderTriggerSource.CustomSMSSenderAdminCreateUser,
  CustomSenderTriggerSource.CustomSMSSenderAuthentication,
] as const;

/** The documented sources of each channel. */
export const sourcesOfChannel: Readonly<Record<CustomSenderChannel, readonly CustomSenderTriggerSource[]>> = {
  email: customEmailSenderSources,
  sms: customSMSSenderSources,
};

/** What `request.code` holds once decrypted. */
export const CustomSenderSecret = {
  /** A one-time code; never HTML-escaped [D, DG-CST]. */
  Code: 'code',
  /**
   * The user's temporary password. Cognito HTML-escapes reserved characters in it (`<` as `&lt;`, `>` as
   * `&gt;`, "like" those, so perhaps more): unescape after decrypting, before sending [D, DG-CST]. The guide
   * says so for email; treat SMS alike [I].
   */
  TemporaryPassword: 'temporary-password',
  /** Nothing: `request.code` is `null` [O, PR52111]; there is nothing to decrypt [I]. */
  None: 'none',
} as const;

/** One of {@link CustomSenderSecret}. */
export type CustomSenderSecret = (typeof CustomSenderSecret)[keyof typeof CustomSenderSecret];

/** Whether the caller's ClientMetadata reaches a source. */
export const ClientMetadataDelivery = {
  /** Listed by AWS as receiving it [D, DG-CES]. */
  Sent: 'sent',
  /** Listed by AWS as not receiving it [D, DG-CES]. */
  NotSent: 'not-sent',
  /** No source says. */
  Undocumented: 'undocumented',
} as const;

/** One of {@link ClientMetadataDelivery}. */
export type ClientMetadataDelivery = (typeof ClientMetadataDelivery)[keyof typeof ClientMetadataDelivery];

/** What is known about one source, beyond its name. */
export type CustomSenderSourceFacts = {
  readonly channel: CustomSenderChannel;
  /** What `request.code` decrypts to. */
  readonly secret: CustomSenderSecret;
  /**
   * Whether `request.clientMetadata` can carry the caller's map. Even where it is sent, it is `null` when the
   * caller sent none [O, CAP1].
   */
  readonly clientMetadata: ClientMetadataDelivery;
  /**
   * The longest the secret can still be used after Cognito made it, in seconds; `undefined` when there is no
   * secret. A verification code lasts 24 hours [D, DG-VER], a password-reset code one hour [D, DG-REC], a
   * sign-in code no longer than the app client's sign-in session (`AuthSessionValidity`, at most 15 minutes)
   * [M, BOTO], a temporary password `TemporaryPasswordValidityDays` (at most 365) [M, BOTO]. An upper bound: a
   * pool may set less.
   */
  readonly usableForAtMostSeconds: number | undefined;
};

const { Code, TemporaryPassword, None } = CustomSenderSecret;
const { Sent, NotSent, Undocumented } = ClientMetadataDelivery;
const HOUR = 3600;
const DAY = 24 * HOUR;
/** The longest `AuthSessionValidity` an app client may have: 15 minutes [M, BOTO]. */
const SIGN_IN_SESSION = 15 * 60;

function facts(
  channel: CustomSenderChannel,
  secret: CustomSenderSecret,
  clientMetadata: ClientMetadataDelivery,
  usableForAtMostSeconds: number | undefined,
): CustomSenderSourceFacts {
  return { channel, secret, clientMetadata, usableForAtMostSeconds };
}

/**
 * The facts of every documented source. ClientMetadata: DG-CES lists SignUp, ForgotPassword and Authentication
 * as receiving it and AccountTakeOverNotification as not; it says nothing of the other sources, and DG-CSS
 * nothing of any SMS source.
 */
export const customSenderSourceFacts: Readonly<Record<CustomSenderTriggerSource, CustomSenderSourceFacts>> = {
  CustomEmailSender_SignUp: facts('email', Code, Sent, DAY),
  CustomEmailSender_ResendCode: facts('email', Code, Undocumented, DAY),
  CustomEmailSender_ForgotPassword: facts('email', Code, Sent, HOUR),
  CustomEmailSender_UpdateUserAttribute: facts('email', Code, Undocumented, DAY),
  CustomEmailSender_VerifyUserAttribute: facts('email', Code, Undocumented, DAY),
  CustomEmailSender_AdminCreateUser: facts('email', TemporaryPassword, Undocumented, 365 * DAY),
  CustomEmailSender_AccountTakeOverNotification: facts('email', None, NotSent, undefined),
  CustomEmailSender_Authentication: facts('email', Code, Sent, SIGN_IN_SESSION),
  CustomSMSSender_SignUp: facts('sms', Code, Undocumented, DAY),
  CustomSMSSender_ResendCode: facts('sms', Code, Undocumented, DAY),
  CustomSMSSender_ForgotPassword: facts('sms', Code, Undocumented, HOUR),
  CustomSMSSender_UpdateUserAttribute: facts('sms', Code, Undocumented, DAY),
  CustomSMSSender_VerifyUserAttribute: facts('sms', Code, Undocumented, DAY),
  CustomSMSSender_AdminCreateUser: facts('sms', TemporaryPassword, Undocumented, 365 * DAY),
  CustomSMSSender_Authentication: facts('sms', Code, Undocumented, SIGN_IN_SESSION),
};

/** Whether `source` is one of the fifteen documented custom sender sources. */
export function isCustomSenderTriggerSource(source: unknown): source is CustomSenderTriggerSource {
  // Own keys only: "toString" and its kin are no source.
  return typeof source === 'string' && Object.hasOwn(customSenderSourceFacts, source);
}

/** The facts of a documented source; `undefined` for any other value. */
export function customSenderFactsOf(source: unknown): CustomSenderSourceFacts | undefined {
  return isCustomSenderTriggerSource(source) ? customSenderSourceFacts[source] : undefined;
}

/**
 * The names of the threat fields Cognito puts in `request.userAttributes` of
 * `CustomEmailSender_AccountTakeOverNotification` instead of the user's attributes [O, PR52111; DT]. There is no
 * `email` among them: find the recipient from `userName` / `USER_NAME`, for example with AdminGetUser [I].
 */
export const AccountTakeOverAttribute = {
  EventId: 'EVENT_ID',
  UserName: 'USER_NAME',
  IpAddress: 'IP_ADDRESS',
  /** One of {@link AccountTakeOverAction} in every source read. */
  Action: 'ACCOUNT_TAKE_OVER_ACTION',
  /** For the user's "this was me" / "this wasn't me" answer (UpdateAuthEventFeedback) [I]. */
  OneClickLinkValid: 'ONE_CLICK_LINK_VALID',
  OneClickLinkInvalid: 'ONE_CLICK_LINK_INVALID',
  /** Human-readable (`Friday, March 19, 2021 02:25 PM UTC`), not ISO 8601 [O, PR52111]. */
  LoginTime: 'LOGIN_TIME',
  FeedbackToken: 'FEEDBACK_TOKEN',
  /** May be `null` or absent [O, PR52111; DT]. */
  City: 'CITY',
  /** May be `null` or absent [O, PR52111; DT]. */
  Country: 'COUNTRY',
  /** Browser and platform (`(Opera 74, Linux)`); may be `null` or absent [O, PR52111; DT]. */
  DeviceName: 'DEVICE_NAME',
} as const;

/** One of the eleven threat field names. */
export type AccountTakeOverAttribute =
  (typeof AccountTakeOverAttribute)[keyof typeof AccountTakeOverAttribute];

/** The threat fields every account-takeover event carries as strings [O, PR52111; DT]. */
export const requiredAccountTakeOverAttributes = [
  AccountTakeOverAttribute.EventId,
  AccountTakeOverAttribute.UserName,
  AccountTakeOverAttribute.IpAddress,
  AccountTakeOverAttribute.Action,
  AccountTakeOverAttribute.OneClickLinkValid,
  AccountTakeOverAttribute.OneClickLinkInvalid,
  AccountTakeOverAttribute.LoginTime,
  AccountTakeOverAttribute.FeedbackToken,
] as const;

/**
 * `ACCOUNT_TAKE_OVER_ACTION` values. The model's `AccountTakeoverEventActionType` has four [M, BOTO]; DT adds
 * `MFA`, perhaps a notify-level value [DT; I]. Another value is kept as it came, never refused.
 */
export const AccountTakeOverAction = {
  Block: 'BLOCK',
  MfaIfConfigured: 'MFA_IF_CONFIGURED',
  MfaRequired: 'MFA_REQUIRED',
  NoAction: 'NO_ACTION',
  Mfa: 'MFA',
} as const;

/** One of {@link AccountTakeOverAction}. */
export type AccountTakeOverAction = (typeof AccountTakeOverAction)[keyof typeof AccountTakeOverAction];

/** The threat fields of an account-takeover event, in place of the user's attributes. */
export type AccountTakeOverUserAttributes = {
  EVENT_ID: string;
  USER_NAME: string;
  IP_ADDRESS: string;
  /** Typed as a string: a value outside {@link AccountTakeOverAction} is kept. */
  ACCOUNT_TAKE_OVER_ACTION: string;
  ONE_CLICK_LINK_VALID: string;
  ONE_CLICK_LINK_INVALID: string;
  LOGIN_TIME: string;
  FEEDBACK_TOKEN: string;
  CITY?: string | null;
  COUNTRY?: string | null;
  DEVICE_NAME?: string | null;
  /** A field AWS adds later arrives here. */
  [field: string]: string | null | undefined;
};

/**
 * Who called. `clientId` is the app client for a client operation [O, CAP1], presumably
 * `"CLIENT_ID_NOT_APPLICABLE"` for admin operations as in other triggers [I], and `null` in the
 * account-takeover capture, where `awsSdkVersion` is `null` too [O, PR52111]. `awsSdkVersion` is
 * `"aws-sdk-unknown-unknown"` in CAP1 [O].
 */
export type CustomSenderCallerContext = {
  awsSdkVersion?: string | null;
  clientId: string | null;
};

/** The fields every custom sender event carries; like the other triggers' envelope, but see `callerContext`. */
export type CustomSenderEnvelope<S extends string> = {
  /** `"1"` in real events [O, CAP1]; a number is accepted, as for the other triggers. */
  version: string | number;
  triggerSource: S;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: CustomSenderCallerContext;
};

/** The request of a source that carries a code or a temporary password. */
export type CustomSenderCodeRequest<T extends CustomSenderRequestType> = {
  type: T;
  /**
   * The code or temporary password, encrypted with the pool's KMS key by the AWS Encryption SDK and
   * base64-encoded [D, DG-CES, DG-OLD]. Secret material: never log it, never put it in an error.
   */
  code: string;
  /** The user's attributes, all strings; include `cognito:user_status` [O, CAP1]. */
  userAttributes: StringMap;
  /** `null` when the caller sent none [O, CAP1]; absent in some emulators (cognito-local) [O]. */
  clientMetadata?: StringMap | null;
};

/** A custom email sender event of a source that carries a code or a temporary password. */
export type CustomEmailSenderCodeEvent = CustomSenderEnvelope<
  Exclude<CustomEmailSenderTriggerSource, 'CustomEmailSender_AccountTakeOverNotification'>
> & {
  request: CustomSenderCodeRequest<'customEmailSenderRequestV1'>;
};

/** The account-takeover notification: no code, threat fields instead of attributes [O, PR52111; DT]. */
export type CustomEmailSenderAccountTakeOverEvent =
  CustomSenderEnvelope<'CustomEmailSender_AccountTakeOverNotification'> & {
    request: {
      type: 'customEmailSenderRequestV1';
      /** `null` in the one capture [O, PR52111]; DT allows a string [DT]. Nothing to decrypt [I]. */
      code?: string | null;
      userAttributes: AccountTakeOverUserAttributes;
      /** AWS says it does not send ClientMetadata here [D, DG-CES]; `null` in the capture [O, PR52111]. */
      clientMetadata?: StringMap | null;
    };
  };

/**
 * A custom email sender event of a documented source. There is no `response`: Cognito reads no answer
 * [D, DG-CES] and real events carry none [O, CAP1].
 */
export type CustomEmailSenderEvent = CustomEmailSenderCodeEvent | CustomEmailSenderAccountTakeOverEvent;

/** A custom SMS sender event of a documented source; no `response` either [D, DG-CSS]. */
export type CustomSMSSenderEvent = CustomSenderEnvelope<CustomSMSSenderTriggerSource> & {
  request: CustomSenderCodeRequest<'customSMSSenderRequestV1'>;
};

/**
 * An event of the right trigger under a source nobody documented (a future one, or
 * {@link SAMPLE_ONLY_SMS_ACCOUNT_TAKEOVER_SOURCE}): only what every custom sender request has in common is
 * checked, loosely, since its shape is unknown.
 */
export type UnknownCustomSenderEvent = CustomSenderEnvelope<string> & {
  request: {
    type?: string;
    code?: string | null;
    userAttributes: Record<string, string | null>;
    clientMetadata?: StringMap | null;
  };
};

/** A documented event of either channel. */
export type CustomSenderEvent = CustomEmailSenderEvent | CustomSMSSenderEvent;

/** The documented event type of a channel. */
export type CustomSenderEventOf<C extends CustomSenderChannel> = C extends 'email'
  ? CustomEmailSenderEvent
  : CustomSMSSenderEvent;
