/**
 * What earlier rules proved about this sign-up, for the rule that decides confirmation and verification.
 * Kept beside the event (a WeakMap keyed by the event object), never inside it: Cognito requires the event
 * back changed only in `response`, and nothing here may come from the caller unverified.
 */
import type { PreSignUpEvent } from '../../shared/event-types.js';

/** A proof that the person signing up controls the email address. */
export type EmailProof =
  /** A valid signed invite bound to this exact (normalised) email. */
  | { kind: 'invite'; email: string; claims: Readonly<Record<string, string>> }
  /** An identity provider this pool trusts asserted `email_verified`. */
  | { kind: 'identity-provider'; provider: string; email: string };

const proofs = new WeakMap<PreSignUpEvent, EmailProof>();

/** Records what a rule proved for this invocation. */
export function recordEmailProof(event: PreSignUpEvent, proof: EmailProof): void {
  proofs.set(event, proof);
}

/** What was proved for this invocation, if anything. */
export function emailProofOf(event: PreSignUpEvent): EmailProof | undefined {
  return proofs.get(event);
}
