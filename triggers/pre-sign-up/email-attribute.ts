/**
 * The email a pre sign-up event carries, read the one safe way for every rule that needs it.
 */
import type { PreSignUpEvent } from '../../shared/event-types.js';

/** The caller's email, when it sent one: an own, non-empty string. */
export function emailOf(event: PreSignUpEvent): string | undefined {
  const attributes = event.request.userAttributes;
  const email: unknown = Object.hasOwn(attributes, 'email') ? attributes.email : undefined;
  return typeof email === 'string' && email !== '' ? email : undefined;
}
