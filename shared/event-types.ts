/**
 * Wire shapes of the three sign-up trigger events, as Cognito really sends them (contract §1–4, §9).
 * Types only: the runtime checks live in `parse-event.ts`.
 */
import type { TriggerSource } from './trigger-source.js';

/** A map of strings to strings: user attributes, ClientMetadata and ValidationData. */
export type StringMap = Record<string, string>;

/**
 * Who called. `clientId` is `"CLIENT_ID_NOT_APPLICABLE"` for admin (IAM) operations and has been seen as
 * `null` (AdminConfirmSignUp -> PostConfirmation); `awsSdkVersion` comes from the caller's user agent.
 */
export type CallerContext = {
  awsSdkVersion: string;
  clientId: string | null;
};

/** The literal Cognito puts in `callerContext.clientId` for admin operations. */
export const CLIENT_ID_NOT_APPLICABLE = 'CLIENT_ID_NOT_APPLICABLE';

/** Fields every trigger event carries. */
export type TriggerEnvelope<S extends TriggerSource> = {
  /** `"1"` in real events; an old doc sample has the number `1`. Never do arithmetic on it. */
  version: string | number;
  triggerSource: S;
  region: string;
  userPoolId: string;
  /** The internal user name: a UUID in email-as-username pools, `<Provider>_<id>` for federated users. */
  userName: string;
  callerContext: CallerContext;
};

/** Pre sign-up trigger sources. */
export type PreSignUpTriggerSource = Extract<TriggerSource, `PreSignUp_${string}`>;
/** Custom message trigger sources. */
export type CustomMessageTriggerSource = Extract<TriggerSource, `CustomMessage_${string}`>;
/** Post confirmation trigger sources. */
export type PostConfirmationTriggerSource = Extract<TriggerSource, `PostConfirmation_${string}`>;

/** What pre sign-up may answer; Cognito pre-fills every flag with `false`. */
export type PreSignUpResponse = {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
};

/** The pre sign-up event (contract §2). */
export type PreSignUpEvent = TriggerEnvelope<PreSignUpTriggerSource> & {
  request: {
    userAttributes: StringMap;
    /** `null` when the caller sent no ValidationData; `{}` and absent are seen too. */
    validationData?: StringMap | null;
    /** Absent when the caller sent no ClientMetadata. */
    clientMetadata?: StringMap;
  };
  response: PreSignUpResponse;
};

/** What custom message may answer; `null` leaves the pool's own template for that field. */
export type CustomMessageResponse = {
  smsMessage: string | null;
  emailMessage: string | null;
  emailSubject: string | null;
};

/** The custom message event (contract §3). */
export type CustomMessageEvent = TriggerEnvelope<CustomMessageTriggerSource> & {
  request: {
    userAttributes: StringMap;
    /** The code PLACEHOLDER (normally `"{####}"`), never the code itself. */
    codeParameter: string;
    /** The link placeholder (normally `"{##Click Here##}"`); may be absent or `null`. */
    linkParameter?: string | null;
    /** `"{username}"` for `CustomMessage_AdminCreateUser`, `null` for every other source. */
    usernameParameter?: string | null;
    clientMetadata?: StringMap;
  };
  response: CustomMessageResponse;
};

/** Post confirmation answers nothing: `{}` comes in and goes back. */
export type PostConfirmationResponse = Record<string, never>;

/** The post confirmation event (contract §4). */
export type PostConfirmationEvent = TriggerEnvelope<PostConfirmationTriggerSource> & {
  request: {
    userAttributes: StringMap;
    clientMetadata?: StringMap;
  };
  response: PostConfirmationResponse;
};

/** Any of the three sign-up trigger events. */
export type SignUpTriggerEvent = PreSignUpEvent | CustomMessageEvent | PostConfirmationEvent;
