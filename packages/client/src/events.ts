/**
 * The typed events of `@cognito-sign-up-triggers/client`, for teams writing their own sign-up triggers: the
 * three events as Cognito really sends them (contract §1–4) and every trigger source. No dependencies and
 * nothing Node-only (docs/client.md).
 */
export {
  type CallerContext,
  CLIENT_ID_NOT_APPLICABLE,
  type CustomMessageEvent,
  type CustomMessageResponse,
  type CustomMessageTriggerSource,
  type PostConfirmationEvent,
  type PostConfirmationResponse,
  type PostConfirmationTriggerSource,
  type PreSignUpEvent,
  type PreSignUpResponse,
  type PreSignUpTriggerSource,
  type SignUpTriggerEvent,
  type StringMap,
  type TriggerEnvelope,
} from '../../../shared/event-types.js';
export {
  customMessageSources,
  isTriggerSource,
  postConfirmationSources,
  preSignUpSources,
  sourcesOfTrigger,
  TriggerName,
  TriggerSource,
  triggerNameOf,
} from '../../../shared/trigger-source.js';
