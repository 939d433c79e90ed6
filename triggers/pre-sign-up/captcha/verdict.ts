/**
 * The captcha rule's reading of a provider's answer: the siteverify JSON reduced to what the rule checks,
 * then judged against what this pool expects (success, host name, widget action, reCAPTCHA's score). A
 * definite "no" is a {@link CaptchaFailedError}; an answer that is no verdict, or that blames the secret or
 * the provider itself, is the fault the fail-open policy of transport.ts names.
 */
import { domainMatches, normalizeDomain, normalizeDomainEntry } from '../../../shared/email.js';
import { maskValue } from '../../../shared/mask.js';
import type { logger } from '../../../shared/observability.js';
import {
  CaptchaFailedError,
  type CaptchaFailureReason,
  CaptchaMisconfiguredError,
  CaptchaUnavailableError,
} from './errors.js';
import { CaptchaProvider } from './provider.js';
import type { CaptchaReply } from './transport.js';

const SINGLE_LABEL_HOST = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const ERROR_CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_ERROR_CODES = 10;
// error-codes that mean our secret or sitekey is wrong: the configuration's fault, never the user's.
const SECRET_ERROR_CODES = new Set([
  'missing-input-secret',
  'invalid-input-secret',
  'sitekey-secret-mismatch',
]);
// Turnstile: "An internal error happened while validating the response. The request can be retried."
const PROVIDER_ERROR_CODES = new Set(['internal-error']);

/** A host name in comparable form: ASCII, lower case, no trailing dot; single labels (`localhost`) too. */
function normalizeHostname(hostname: string): string | undefined {
  const domain = normalizeDomain(hostname);
  if (domain !== undefined) return domain;
  const label = hostname.trim().replace(/\.$/, '').toLowerCase();
  return SINGLE_LABEL_HOST.test(label) ? label : undefined;
}

/** A host name entry (`example.com`, `*.example.com`, `localhost`) in comparable form. */
export function normalizeHostnameEntry(entry: string): string | undefined {
  return normalizeDomainEntry(entry.trim()) ?? normalizeHostname(entry);
}

/** A provider string fit for a log line: kept when plain, masked to its length otherwise. */
function loggable(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return /^[\w./:-]{0,253}$/.test(value) ? value : maskValue(value);
}

/** The provider's reply, reduced to what the rule reads. */
export type Verdict = {
  success: boolean;
  errorCodes: readonly string[];
  hostname: string | undefined;
  action: string | undefined;
  score: number | undefined;
};

/** Parses a siteverify reply, or `undefined` when it is not one. */
function parseVerdict(text: string): Verdict | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const reply = value as Record<string, unknown>;
  if (typeof reply.success !== 'boolean') return undefined;
  const score = reply.score ?? undefined;
  if (score !== undefined && (typeof score !== 'number' || !Number.isFinite(score))) return undefined;
  const codes = reply['error-codes'];
  return {
    success: reply.success,
    errorCodes: (Array.isArray(codes) ? codes : [])
      .filter((code): code is string => typeof code === 'string')
      .slice(0, MAX_ERROR_CODES)
      .map((code) => (ERROR_CODE_PATTERN.test(code) ? code : 'unrecognised')),
    hostname: typeof reply.hostname === 'string' ? reply.hostname : undefined,
    action: typeof reply.action === 'string' ? reply.action : undefined,
    score,
  };
}

/**
 * The verdict in a reply, or the fault the fail-open policy makes of a reply that holds none: a refusal whose
 * body is not a well-formed "no", a body too large or not a verdict.
 */
export function verdictOf(provider: CaptchaProvider, reply: CaptchaReply): Verdict {
  const { kind, status, text } = reply;
  if (kind === 'refusal') {
    // A refused request whose body is a well-formed "no" is still a "no" (or a refused secret).
    const verdict = text === undefined ? undefined : parseVerdict(text);
    if (verdict?.success === false) return verdict;
    throw new CaptchaMisconfiguredError(provider, 'request-refused', { status });
  }
  if (text === undefined) throw new CaptchaMisconfiguredError(provider, 'oversized', { status });
  const verdict = parseVerdict(text);
  if (verdict === undefined) throw new CaptchaMisconfiguredError(provider, 'unparsable', { status });
  return verdict;
}

/** What {@link createVerdictJudge} compares a verdict with; the rule checks these at construction. */
export type VerdictExpectations = {
  provider: CaptchaProvider;
  /** Host names the challenge must have been solved on (`example.com`, `*.example.com`); empty: any. */
  expectedHostnames: readonly string[];
  /** The widget action the reply must carry (reCAPTCHA v3, Turnstile). */
  expectedAction: string | undefined;
  /** reCAPTCHA v3: the lowest acceptable score, applied when the reply carries a score. */
  minScore: number;
  logger: Pick<typeof logger, 'info' | 'error'>;
};

/**
 * Judges verdicts against what this pool expects. The function it returns passes an acceptable verdict and
 * throws otherwise: {@link CaptchaFailedError} for a "no" or a mismatch (logged at info with its reason),
 * {@link CaptchaMisconfiguredError} when the provider refused the secret (logged as an error),
 * {@link CaptchaUnavailableError} for the provider's own `internal-error`.
 *
 * @example
 * const judgeVerdict = createVerdictJudge({
 *   provider: 'recaptcha',
 *   expectedHostnames: ['app.example.com'],
 *   expectedAction: 'signup',
 *   minScore: 0.5,
 *   logger,
 * });
 * judgeVerdict(verdictOf('recaptcha', reply)); // throws CaptchaFailedError for a score under 0.5
 */
export function createVerdictJudge(expectations: VerdictExpectations): (verdict: Verdict) => void {
  const { provider, expectedAction, minScore, logger: log } = expectations;
  const hostnames = expectations.expectedHostnames.map((entry) => normalizeHostnameEntry(entry) ?? entry);

  function reject(reason: CaptchaFailureReason, verdict: Verdict): never {
    log.info('captcha rejected', {
      provider,
      reason,
      errorCodes: verdict.errorCodes,
      hostname: loggable(verdict.hostname),
      action: loggable(verdict.action),
      score: verdict.score,
    });
    throw new CaptchaFailedError(provider, reason, verdict.errorCodes);
  }

  return function judgeVerdict(verdict: Verdict): void {
    if (!verdict.success) {
      if (verdict.errorCodes.some((code) => SECRET_ERROR_CODES.has(code))) {
        log.error('captcha provider refused the configured secret', {
          provider,
          errorCodes: verdict.errorCodes,
        });
        throw new CaptchaMisconfiguredError(provider, 'secret-rejected', { errorCodes: verdict.errorCodes });
      }
      if (verdict.errorCodes.some((code) => PROVIDER_ERROR_CODES.has(code))) {
        throw new CaptchaUnavailableError(provider, 'provider-error');
      }
      reject('unsuccessful', verdict);
    }
    if (hostnames.length > 0) {
      const hostname = verdict.hostname === undefined ? undefined : normalizeHostname(verdict.hostname);
      if (hostname === undefined || !hostnames.some((entry) => domainMatches(hostname, entry))) {
        reject('hostname-mismatch', verdict);
      }
    }
    if (expectedAction !== undefined && verdict.action !== expectedAction) reject('action-mismatch', verdict);
    // Only reCAPTCHA's score means "1.0 is very likely good"; hCaptcha's Enterprise score is a risk score.
    if (provider === CaptchaProvider.Recaptcha && verdict.score !== undefined && verdict.score < minScore) {
      reject('low-score', verdict);
    }
  };
}
