/**
 * Every rejection code of the toolkit and the one user-safe sentence it carries: the single registry the
 * rejection classes, `parseTriggerError`, the docs' table (checked by a test) and apps read. What a caller
 * sees is `<Trigger> failed with error <CODE>: <sentence>.` (contract §1). Dependency-free: apps import it.
 */
export const Rejections = {
  ATTRIBUTE_INVALID: 'One or more sign-up attributes are missing or invalid.',
  // The two domain codes share one sentence on purpose: the app learns which list refused, the user nothing.
  EMAIL_DOMAIN_NOT_ALLOWED: 'Sign-up with this email domain is not allowed.',
  EMAIL_DOMAIN_BLOCKED: 'Sign-up with this email domain is not allowed.',
  EMAIL_DISPOSABLE: 'Disposable email addresses cannot be used to sign up.',
  INVITE_REQUIRED: 'An invitation is required to sign up.',
  INVITE_INVALID: 'The invitation is invalid or has expired.',
  CAPTCHA_REQUIRED: 'Please complete the captcha challenge.',
  CAPTCHA_FAILED: 'The captcha challenge could not be verified. Please try again.',
  ACCOUNT_LINKED: 'Your accounts have been linked. Please sign in again.',
  METADATA_INVALID: 'The sign-up request contains invalid data.',
  // Not a decision about the user: what every fault becomes on its way to Cognito (shared/handler-core.ts).
  SIGNUP_UNAVAILABLE: 'Sign-up is temporarily unavailable. Please try again later.',
} as const;

/** One of the toolkit's rejection codes. */
export type RejectionCode = keyof typeof Rejections;

/** Whether `code` is one of the toolkit's rejection codes. */
export function isRejectionCode(code: unknown): code is RejectionCode {
  return typeof code === 'string' && Object.hasOwn(Rejections, code);
}
