/**
 * The pre sign-up sources a user starts on their own, for the rules that leave administrators alone.
 */
import type { PreSignUpEvent } from '../../shared/event-types.js';
import { TriggerSource } from '../../shared/trigger-source.js';

/**
 * Whether the user started this sign-up: `SignUp` or a federated first sign-in (`ExternalProvider`).
 * `AdminCreateUser` is an administrator's decision, and any other source (contract §2: a migration may
 * reach pre sign-up with an undocumented one) is not self-service either.
 */
export function isSelfServiceSource(event: PreSignUpEvent): boolean {
  return (
    event.triggerSource === TriggerSource.PreSignUpSignUp ||
    event.triggerSource === TriggerSource.PreSignUpExternalProvider
  );
}
