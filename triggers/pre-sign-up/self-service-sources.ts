/**
 * The pre sign-up sources a user starts on their own, for the rules that leave administrators alone.
 */
import type { PreSignUpEvent } from '../../shared/event-types.js';
import { TriggerSource } from '../../shared/trigger-source.js';

/**
 * Whether the restricting rules (domain lists, disposable emails) apply: to `SignUp`, to a federated first
 * sign-in (`ExternalProvider`), and to any source nobody documented (contract §2: a migration may reach pre
 * sign-up with one), but not to `AdminCreateUser`, an administrator's decision.
 */
export function isSelfServiceSource(event: PreSignUpEvent): boolean {
  return event.triggerSource !== TriggerSource.PreSignUpAdminCreateUser;
}
