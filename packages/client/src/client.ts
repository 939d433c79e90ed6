/**
 * The browser-safe entry of `@cognito-sign-up-triggers/client`: decode a refused sign-up into its code and
 * sentence, know every rejection code, and send the ClientMetadata / ValidationData keys the triggers read.
 * No dependencies and nothing Node-only (docs/client.md). A package entry is the one place that re-exports:
 * nothing inside this repository imports it.
 */
export {
  type CallerField,
  CallerMetadataLimits,
  ClientMetadataFields,
  ClientMetadataKey,
  ValidationDataFields,
  ValidationDataKey,
} from '../../../shared/caller-keys.js';
export { parseTriggerError, type TriggerErrorInfo } from '../../../shared/parse-trigger-error.js';
export { isRejectionCode, type RejectionCode, Rejections } from '../../../shared/rejection-codes.js';
export { TriggerName } from '../../../shared/trigger-source.js';
