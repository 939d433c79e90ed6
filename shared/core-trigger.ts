/**
 * Every trigger the handler core runs: the three sign-up triggers (shared/trigger-source.ts) and the two
 * custom senders (shared/custom-sender/events.ts). Kept apart from trigger-source.ts, which the client
 * package bundles: the browser never needs the senders.
 */
import {
  type CustomSenderEvent,
  type CustomSenderTriggerName,
  type CustomSenderTriggerSource,
  isCustomSenderTriggerSource,
  sourcesOfChannel,
} from './custom-sender/events.js';
import type { SignUpTriggerEvent } from './event-types.js';
import { isTriggerSource, sourcesOfTrigger, type TriggerName, type TriggerSource } from './trigger-source.js';

/** Any event the handler core runs rules on: a sign-up trigger's, or a custom sender's (no `response`). */
export type CoreTriggerEvent = SignUpTriggerEvent | CustomSenderEvent;

/** Any trigger the handler core runs: a sign-up trigger, or a custom sender. */
export type CoreTriggerName = TriggerName | CustomSenderTriggerName;

/** Any source the handler core knows: a sign-up trigger's or a custom sender's. */
export type CoreTriggerSource = TriggerSource | CustomSenderTriggerSource;

/** The sources of every trigger the core runs. */
export const sourcesOfCoreTrigger: Readonly<Record<CoreTriggerName, readonly CoreTriggerSource[]>> = {
  ...sourcesOfTrigger,
  CustomEmailSender: sourcesOfChannel.email,
  CustomSMSSender: sourcesOfChannel.sms,
};

/** Whether `source` is one the core knows (a sign-up trigger's or a custom sender's documented source). */
export function isCoreTriggerSource(source: unknown): source is CoreTriggerSource {
  return isTriggerSource(source) || isCustomSenderTriggerSource(source);
}
