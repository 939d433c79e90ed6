/**
 * The captcha rule's errors: two rejections (a decision about the user, CAPTCHA_REQUIRED and CAPTCHA_FAILED)
 * and two faults (the provider is down, or the verify call cannot work as configured). Which failure is which
 * fault is the fail-open policy of transport.ts.
 */
import { SignUpFault, SignUpRejection } from '../../../shared/errors.js';
import type { CaptchaProvider } from './provider.js';

/** A self sign-up arrived without a captcha token. */
export class CaptchaRequiredError extends SignUpRejection {
  public readonly provider: CaptchaProvider;

  public constructor(provider: CaptchaProvider, options?: ErrorOptions) {
    super('CAPTCHA_REQUIRED', options);
    this.name = 'CaptchaRequiredError';
    this.provider = provider;
  }
}

/** Why the provider's answer was a definite "no". */
export type CaptchaFailureReason = 'unsuccessful' | 'hostname-mismatch' | 'action-mismatch' | 'low-score';

/** The provider answered, and the answer was "no" (or not what this pool expects). */
export class CaptchaFailedError extends SignUpRejection {
  public readonly provider: CaptchaProvider;
  public readonly reason: CaptchaFailureReason;
  /** The provider's `error-codes`, sanitised (never the token). */
  public readonly errorCodes: readonly string[];

  public constructor(
    provider: CaptchaProvider,
    reason: CaptchaFailureReason,
    errorCodes: readonly string[],
    options?: ErrorOptions,
  ) {
    super('CAPTCHA_FAILED', options);
    this.name = 'CaptchaFailedError';
    this.provider = provider;
    this.reason = reason;
    this.errorCodes = errorCodes;
  }
}

/** How the provider failed to give an answer, in the ways that may fail open (the policy in transport.ts). */
export type CaptchaOutageReason = 'network' | 'timeout' | 'no-time-left' | 'http-status' | 'provider-error';

/**
 * The provider is down or throttling: a transport failure (connection refused or reset, the connection
 * closed before the answer was complete, a temporary DNS failure), the call's timeout, HTTP 429 or a 5xx
 * outage status, or Turnstile's `internal-error`. A fault, so the caller sees SIGNUP_UNAVAILABLE — unless
 * `failOpen` is set, in which case the rule lets the sign-up through with a logged warning. The only fault
 * `failOpen` softens.
 */
export class CaptchaUnavailableError extends SignUpFault {
  public readonly provider: CaptchaProvider;
  public readonly reason: CaptchaOutageReason;
  /** The HTTP status, when there was one. */
  public readonly status: number | undefined;

  public constructor(
    provider: CaptchaProvider,
    reason: CaptchaOutageReason,
    status?: number,
    options?: ErrorOptions,
  ) {
    super(
      `Captcha provider ${provider} unavailable: ${reason}${status === undefined ? '' : ` (HTTP ${status})`}`,
      options,
    );
    this.name = 'CaptchaUnavailableError';
    this.provider = provider;
    this.reason = reason;
    this.status = status;
  }
}

/**
 * Why the verify call cannot work as configured, or why what answered is not the provider speaking its
 * protocol: `redirected` (a 3xx; redirects are never followed), `request-refused` (a 4xx, 408 included, or
 * 501/505/511, without a well-formed "no"), `unparsable` (a 2xx whose body is not a verdict),
 * `oversized` (a body larger than any verdict), `protocol-error` (no readable HTTP answer: an unsolicited
 * 1xx, a malformed response, a TLS failure, a port `fetch` refuses, a host name that does not exist).
 */
export type CaptchaMisconfigurationReason =
  | 'secret-unavailable'
  | 'secret-rejected'
  | 'request-refused'
  | 'redirected'
  | 'unparsable'
  | 'oversized'
  | 'protocol-error';

/**
 * The secret is missing or refused, or the answer points at a misconfiguration or at something in the way
 * (a wrong `CAPTCHA_VERIFY_URL`, a proxy, a captive portal): see {@link CaptchaMisconfigurationReason}. A
 * fault that `failOpen` never softens: a broken configuration must not open the door to everyone.
 */
export class CaptchaMisconfiguredError extends SignUpFault {
  public readonly provider: CaptchaProvider;
  public readonly reason: CaptchaMisconfigurationReason;
  public readonly errorCodes: readonly string[];
  public readonly status: number | undefined;

  public constructor(
    provider: CaptchaProvider,
    reason: CaptchaMisconfigurationReason,
    details: { errorCodes?: readonly string[]; status?: number } = {},
    options?: ErrorOptions,
  ) {
    const { status } = details;
    super(
      `Captcha provider ${provider} misconfigured: ${reason}${status === undefined ? '' : ` (HTTP ${status})`}`,
      options,
    );
    this.name = 'CaptchaMisconfiguredError';
    this.provider = provider;
    this.reason = reason;
    this.errorCodes = details.errorCodes ?? [];
    this.status = status;
  }
}
