/**
 * Rule 5, captcha: a self sign-up (`PreSignUp_SignUp`) must carry a captcha token in ValidationData key
 * `captchaToken`, verified server-side with the provider's "siteverify" API inside Cognito's 5-second budget
 * (contract §6). Not applied to AdminCreateUser (an admin decided) or ExternalProvider (the identity provider
 * authenticated the user).
 *
 * The three verify APIs, as documented (all POST, form-encoded `secret` + `response`, JSON reply with a
 * boolean `success`, `hostname`, `challenge_ts` and `error-codes`):
 * - Turnstile: https://developers.cloudflare.com/turnstile/get-started/server-side-validation/ — endpoint
 *   `https://challenges.cloudflare.com/turnstile/v0/siteverify`; form or JSON; reply adds `action`, `cdata`;
 *   tokens are at most 2,048 characters and single-use; `internal-error` means "retry".
 * - reCAPTCHA: https://developers.google.com/recaptcha/docs/verify and https://developers.google.com/recaptcha/docs/v3
 *   — endpoint `https://www.google.com/recaptcha/api/siteverify`; form only; v3 replies add `score`
 *   (1.0 very likely a good interaction, 0.0 very likely a bot) and `action`.
 * - hCaptcha: https://docs.hcaptcha.com/#verify-the-user-response-server-side — endpoint
 *   `https://api.hcaptcha.com/siteverify`; form only; Enterprise replies add a `score` on hCaptcha's own
 *   risk scale, which this rule does not compare with `CAPTCHA_MIN_SCORE` (that threshold is reCAPTCHA's).
 */
import {
  type Env,
  readBoolean,
  readChoice,
  readInteger,
  readList,
  readString,
} from '../../../shared/config.js';
import { boundedSignal } from '../../../shared/deadline.js';
import { domainMatches, normalizeDomain, normalizeDomainEntry } from '../../../shared/email.js';
import { ConfigurationError, SignUpFault, SignUpRejection } from '../../../shared/errors.js';
import type { PreSignUpEvent } from '../../../shared/event-types.js';
import type { Rule, RuleContext } from '../../../shared/handler-core.js';
import { maskValue } from '../../../shared/mask.js';
import { createMetadataReader } from '../../../shared/metadata.js';
import { logger } from '../../../shared/observability.js';
import { type SecretSource, secretSourceFromEnv } from '../../../shared/secret.js';
import { TriggerSource } from '../../../shared/trigger-source.js';

/** The captcha services this rule can verify against. */
export const CaptchaProvider = {
  Turnstile: 'turnstile',
  Recaptcha: 'recaptcha',
  Hcaptcha: 'hcaptcha',
} as const;

/** One of the supported captcha services. */
export type CaptchaProvider = (typeof CaptchaProvider)[keyof typeof CaptchaProvider];

const providers: readonly CaptchaProvider[] = Object.values(CaptchaProvider);

/** Each provider's documented server-side verify endpoint (see the file header for the pages). */
export const captchaVerifyUrls: Readonly<Record<CaptchaProvider, string>> = {
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  recaptcha: 'https://www.google.com/recaptcha/api/siteverify',
  hcaptcha: 'https://api.hcaptcha.com/siteverify',
};

/** The ValidationData key the client puts its captcha token under. */
export const CAPTCHA_TOKEN_KEY = 'captchaToken';

/** This rule's rejection codes. */
export const CaptchaRejectionCode = {
  CaptchaRequired: 'CAPTCHA_REQUIRED',
  CaptchaFailed: 'CAPTCHA_FAILED',
} as const;

/** A self sign-up arrived without a captcha token. */
export class CaptchaRequiredError extends SignUpRejection {
  public readonly provider: CaptchaProvider;

  public constructor(provider: CaptchaProvider, options?: ErrorOptions) {
    super(CaptchaRejectionCode.CaptchaRequired, 'Please complete the captcha challenge.', options);
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
    super(
      CaptchaRejectionCode.CaptchaFailed,
      'The captcha challenge could not be verified. Please try again.',
      options,
    );
    this.name = 'CaptchaFailedError';
    this.provider = provider;
    this.reason = reason;
    this.errorCodes = errorCodes;
  }
}

/** How the provider failed to give an answer, in the ways that may fail open (the policy table below). */
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

/**
 * Where the provider secret comes from: `createSecretSource` / `secretSourceFromEnv` of shared/secret.ts,
 * or a fixed value in tests. The first secret is the current one.
 */
export type CaptchaSecretSource = Pick<SecretSource, 'get'>;

/** Options of {@link verifyCaptcha}. */
export type VerifyCaptchaOptions = {
  provider: CaptchaProvider;
  /** Overrides the provider's endpoint (tests, proxies): https, or http to a loopback host only. */
  verifyUrl?: string;
  /** Upper bound of the verify call, 100–4000 ms; the call never outlives the invocation deadline. */
  timeoutMs?: number;
  /** Let sign-ups through when the provider is unavailable (logged as a warning). Default: fail closed. */
  failOpen?: boolean;
  /** Host names the challenge must have been solved on (`example.com`, `*.example.com`); empty: any. */
  expectedHostnames?: readonly string[];
  /** The widget action the reply must carry (reCAPTCHA v3, Turnstile). */
  expectedAction?: string;
  /** reCAPTCHA v3: the lowest acceptable score, 0.0–1.0, applied when the reply carries a score. */
  minScore?: number;
};

/** What {@link verifyCaptcha} needs from outside. */
export type VerifyCaptchaDependencies = {
  secret: CaptchaSecretSource;
  /** Defaults to the global `fetch`, looked up at call time. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Defaults to `Date.now`. */
  now?: () => number;
  logger?: Pick<typeof logger, 'info' | 'warn' | 'error'>;
};

const defaults = {
  timeoutMs: 1500,
  failOpen: false,
  expectedHostnames: [] as readonly string[],
  expectedAction: undefined as string | undefined,
  minScore: 0.5,
};

/** Bounds of `timeoutMs` / `CAPTCHA_TIMEOUT_MS`. */
export const CaptchaTimeoutBounds = { min: 100, max: 4000 } as const;

// Kept back from the invocation deadline for reading the reply and for the rules after this one.
const CALL_MARGIN_MS = 100;
// A verdict is a few hundred bytes; anything much larger is not a verdict.
const MAX_REPLY_BYTES = 16_384;
// Base64, base64url, JWT-like and dotted tokens as the three providers issue them; no spaces or controls.
const TOKEN_PATTERN = /^[A-Za-z0-9_.~+/=:*-]*$/;
// reCAPTCHA: letters, digits, slashes, underscores; Turnstile: letters, digits, `_` and `-` (32 at most).
const ACTION_PATTERN = /^[A-Za-z0-9_/-]{1,100}$/;
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

const readValidationData = createMetadataReader('validationData', {
  // 2048 is both Turnstile's documented token maximum and the ValidationData value limit (contract §5).
  [CAPTCHA_TOKEN_KEY]: { type: 'string', maxLength: 2048, pattern: TOKEN_PATTERN },
});

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** What is wrong with a verify URL, or `undefined` when it is usable. */
function verifyUrlProblem(url: string): string | undefined {
  if (!URL.canParse(url)) return 'an absolute URL';
  const parsed = new URL(url);
  if (parsed.username !== '' || parsed.password !== '') return 'a URL without credentials';
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
  return 'an https URL (http only to a loopback host: localhost, 127.0.0.0/8, [::1])';
}

/** A host name in comparable form: ASCII, lower case, no trailing dot; single labels (`localhost`) too. */
function normalizeHostname(hostname: string): string | undefined {
  const domain = normalizeDomain(hostname);
  if (domain !== undefined) return domain;
  const label = hostname.trim().replace(/\.$/, '').toLowerCase();
  return SINGLE_LABEL_HOST.test(label) ? label : undefined;
}

function normalizeHostnameEntry(entry: string): string | undefined {
  return normalizeDomainEntry(entry.trim()) ?? normalizeHostname(entry);
}

function isMinScore(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 1;
}

/** A provider string fit for a log line: kept when plain, masked to its length otherwise. */
function loggable(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return /^[\w./:-]{0,253}$/.test(value) ? value : maskValue(value);
}

/** The provider's reply, reduced to what this rule reads. */
type Verdict = {
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

/** The reply body as text, or `undefined` when it is larger than any verdict. */
async function readReply(response: Response): Promise<string | undefined> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_REPLY_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Lets go of a body nobody reads, so its connection is released; failing to changes no outcome. */
function discardBody(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

// The fail-open policy, in one place: which ways of not getting a verdict are a provider outage (a
// CaptchaUnavailableError, the one fault `failOpen` softens) and which point at a misconfiguration or at
// something in the way (a CaptchaMisconfiguredError, always SIGNUP_UNAVAILABLE). Anything not known to be an
// outage fails closed: `failOpen` trades the captcha for availability, and only an outage is worth that.
//
// | what came back                                                        | fault          | reason          |
// |-----------------------------------------------------------------------|----------------|-----------------|
// | connection refused or reset, closed before the answer was complete,   | unavailable    | network         |
// | network or host unreachable, temporary DNS failure (EAI_AGAIN)        |                |                 |
// | the call's timeout (or the invocation's deadline) passed              | unavailable    | timeout         |
// | 429; 500, 502, 503, 504 and any other 5xx except 501, 505, 511        | unavailable    | http-status     |
// | a verdict whose error-codes hold Turnstile's `internal-error`         | unavailable    | provider-error  |
// | 3xx (never followed: the secret must not go where nobody configured)  | misconfigured  | redirected      |
// | 408, any other 4xx, 501, 505, 511, unless the body is a "no"          | misconfigured  | request-refused |
// | a 4xx whose body is a well-formed `success: false`                    | that verdict: CAPTCHA_FAILED     |
// | 2xx whose body is not a verdict: empty (204), HTML, malformed JSON,   | misconfigured  | unparsable      |
// | JSON without a boolean `success`                                      |                |                 |
// | a body larger than MAX_REPLY_BYTES                                    | misconfigured  | oversized       |
// | no readable HTTP answer: an unsolicited 100 or 101, a malformed       | misconfigured  | protocol-error  |
// | response, a TLS failure, a port fetch refuses, a host name that does  |                |                 |
// | not exist (ENOTFOUND), any error not listed above                     |                |                 |
//
// Decisions worth their reasons:
// - 408 Request Timeout fails closed. It is the server saying it did not receive our request in time, and
//   our request is a form of about 2 KB sent in one write as soon as the connection opens: a provider that
//   is slow to answer shows as our own timeout (which may fail open), not as a 408, so a 408 comes from
//   something that stalled or answers for the provider (a proxy, a middlebox). No provider documents it.
// - 501 Not Implemented and 505 HTTP Version Not Supported describe our request (a URL whose server does
//   not take this POST), and only an intercepting proxy sends 511 Network Authentication Required
//   (RFC 6585 §6): none of them is an outage.
// - An interim 1xx followed by a final answer is ordinary HTTP (fetch skips it): the final answer decides.
//   A 1xx after which the connection closes cannot be told from a connection dropped before the answer
//   (fetch reports both as "other side closed") and counts as one.
// - A host name that does not exist (ENOTFOUND: the resolver answered "no such name") is a typo in
//   CAPTCHA_VERIFY_URL, or a resolver answering for someone else, far more often than a provider outage,
//   which shows as EAI_AGAIN or a timeout.

/** Error codes (Node.js and undici) that mean the connection failed or went away: an outage. */
const TRANSPORT_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
// undici's SocketError (UND_ERR_SOCKET) is both "the connection went away" and "the answer broke HTTP"
// ("bad response" for an unsolicited 100, "bad upgrade" for an unsolicited 101): only these are the former.
const DROPPED_CONNECTION_MESSAGES = new Set(['other side closed', 'closed']);
// Statuses in the 5xx range that are not the provider being down (see above).
const NOT_OUTAGE_5XX = new Set([501, 505, 511]);

/** Whether `error` (fetch's, or a body read's) or one of its causes is a connection that failed or went away. */
function isTransportFailure(error: unknown, depth = 0): boolean {
  // fetch wraps the socket's error: TypeError('fetch failed' or 'terminated', { cause }); connecting to
  // several addresses fails with an AggregateError listing each.
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const { code, message, cause, errors } = error as Record<string, unknown>;
  if (code === 'UND_ERR_SOCKET') {
    return typeof message === 'string' && DROPPED_CONNECTION_MESSAGES.has(message);
  }
  if (typeof code === 'string' && TRANSPORT_ERROR_CODES.has(code)) return true;
  if (Array.isArray(errors) && errors.length > 0) {
    return errors.every((each) => isTransportFailure(each, depth + 1));
  }
  return isTransportFailure(cause, depth + 1);
}

/** What a final status says before the body is read. */
type StatusClass = 'verdict' | 'outage' | 'redirect' | 'refusal' | 'not-http';

function statusClassOf(response: Response): StatusClass {
  const { status } = response;
  // A fetch that keeps browser rules answers a redirect it did not follow with an opaque status 0.
  if (response.type === 'opaqueredirect') return 'redirect';
  if (status >= 200 && status <= 299) return 'verdict';
  if (status === 429 || (status >= 500 && status <= 599 && !NOT_OUTAGE_5XX.has(status))) return 'outage';
  if (status >= 300 && status <= 399) return 'redirect';
  if (status >= 400 && status <= 599) return 'refusal';
  return 'not-http';
}

function checkOptions(settings: typeof defaults & VerifyCaptchaOptions): void {
  if (!providers.includes(settings.provider)) {
    throw new TypeError(`provider must be one of ${providers.join(', ')}`);
  }
  if (settings.verifyUrl !== undefined) {
    const problem = verifyUrlProblem(settings.verifyUrl);
    if (problem !== undefined) throw new TypeError(`verifyUrl must be ${problem}`);
  }
  const { min, max } = CaptchaTimeoutBounds;
  if (!Number.isSafeInteger(settings.timeoutMs) || settings.timeoutMs < min || settings.timeoutMs > max) {
    throw new TypeError(`timeoutMs must be a whole number from ${min} to ${max}`);
  }
  if (typeof settings.failOpen !== 'boolean') throw new TypeError('failOpen must be a boolean');
  for (const entry of settings.expectedHostnames) {
    if (normalizeHostnameEntry(entry) === undefined) {
      throw new TypeError('expectedHostnames must hold host names (example.com, *.example.com, localhost)');
    }
  }
  if (settings.expectedAction !== undefined) {
    if (!ACTION_PATTERN.test(settings.expectedAction)) {
      throw new TypeError(`expectedAction must match ${ACTION_PATTERN}`);
    }
    if (settings.provider === CaptchaProvider.Hcaptcha) {
      throw new TypeError('expectedAction is not supported by hcaptcha: its reply carries no action');
    }
  }
  if (!isMinScore(settings.minScore)) throw new TypeError('minScore must be a number from 0 to 1');
}

/**
 * Requires a verified captcha token on every self sign-up (`PreSignUp_SignUp`); skips AdminCreateUser and
 * ExternalProvider.
 *
 * - No token (ValidationData absent, key absent or empty): {@link CaptchaRequiredError} (CAPTCHA_REQUIRED).
 *   A token over 2,048 characters or with characters no provider issues: METADATA_INVALID.
 * - The provider says no, or the reply's hostname / action / reCAPTCHA score is not what is expected:
 *   {@link CaptchaFailedError} (CAPTCHA_FAILED), reason and `error-codes` in its fields and the log.
 * - The provider is down or throttling (a connection refused, reset or dropped, a timeout, HTTP 429 or an
 *   outage 5xx, Turnstile's `internal-error`): {@link CaptchaUnavailableError}, a fault the engine answers
 *   with SIGNUP_UNAVAILABLE; with `failOpen` the sign-up goes through and `captcha provider unavailable:
 *   failing open` is logged as a warning.
 * - Anything else that keeps a verdict from arriving (a redirect, which is never followed, another 4xx, a
 *   2xx that is not a verdict or is too large, an answer that is not HTTP), and a missing or refused
 *   secret: {@link CaptchaMisconfiguredError}, a fault, never failed open.
 *
 * The call is bounded by `min(timeoutMs, deadline - now - 100 ms)` and by the invocation's signal. The token
 * and the secret are never logged and never appear in an error.
 *
 * @example
 * const rule = verifyCaptcha(
 *   { provider: 'turnstile', expectedHostnames: ['app.example.com'], expectedAction: 'signup' },
 *   { secret: createSecretSource({ value: process.env.CAPTCHA_SECRET }) },
 * );
 */
export function verifyCaptcha(
  options: VerifyCaptchaOptions,
  dependencies: VerifyCaptchaDependencies,
): Rule<PreSignUpEvent> {
  const settings = { ...defaults, ...options };
  checkOptions(settings);
  if (typeof dependencies?.secret?.get !== 'function') {
    throw new TypeError('dependencies.secret must be a secret source with a get() method');
  }
  const { provider, timeoutMs, failOpen, expectedAction, minScore } = settings;
  const verifyUrl = settings.verifyUrl ?? captchaVerifyUrls[provider];
  const hostnames = settings.expectedHostnames.map((entry) => normalizeHostnameEntry(entry) ?? entry);
  const secretSource = dependencies.secret;
  const post = dependencies.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const now = dependencies.now ?? Date.now;
  const log = dependencies.logger ?? logger;

  /**
   * Asks the provider for its verdict. Every way of not getting one becomes the fault the fail-open policy
   * (the table above `isTransportFailure`) names: a {@link CaptchaUnavailableError} for an outage, a
   * {@link CaptchaMisconfiguredError} for anything else.
   */
  async function askProvider(token: string, secret: string, context: RuleContext): Promise<Verdict> {
    const budgetMs = Math.min(timeoutMs, context.deadline - now() - CALL_MARGIN_MS);
    if (budgetMs < 1) throw new CaptchaUnavailableError(provider, 'no-time-left');
    const bounded = boundedSignal(context.signal, budgetMs);
    const { signal } = bounded;
    let response: Response;
    let kind: StatusClass;
    let text: string | undefined;
    try {
      response = await post(verifyUrl, {
        method: 'POST',
        headers: { accept: 'application/json' },
        // Form-encoded: the one request format all three providers accept.
        body: new URLSearchParams({ secret, response: token }),
        // A redirect is never followed (it would carry the secret somewhere nobody configured), but comes
        // back as the 3xx it is, so the policy sees a redirect and not fetch's catch-all "fetch failed".
        redirect: 'manual',
        signal,
      });
      kind = statusClassOf(response);
      // Only a verdict, or the "no" a refusal may carry, is worth reading; other answers are their status.
      // A refusal stays one whatever happens to its body: a body that breaks off is no outage there.
      if (kind === 'verdict') text = await readReply(response);
      else if (kind === 'refusal') text = await readReply(response).catch(() => undefined);
      else discardBody(response);
    } catch (error) {
      if (signal.aborted) throw new CaptchaUnavailableError(provider, 'timeout', undefined, { cause: error });
      if (isTransportFailure(error)) {
        throw new CaptchaUnavailableError(provider, 'network', undefined, { cause: error });
      }
      throw new CaptchaMisconfiguredError(provider, 'protocol-error', {}, { cause: error });
    } finally {
      bounded.clear();
    }
    return verdictOf(kind, response.status, text);
  }

  /** The verdict in a reply, or the fault the fail-open policy makes of a reply that holds none. */
  function verdictOf(kind: StatusClass, status: number, text: string | undefined): Verdict {
    switch (kind) {
      case 'outage':
        throw new CaptchaUnavailableError(provider, 'http-status', status);
      case 'redirect':
        throw new CaptchaMisconfiguredError(provider, 'redirected', { status });
      case 'not-http':
        throw new CaptchaMisconfiguredError(provider, 'protocol-error', { status });
      case 'refusal': {
        // A refused request whose body is a well-formed "no" is still a "no" (or a refused secret).
        const verdict = text === undefined ? undefined : parseVerdict(text);
        if (verdict?.success === false) return verdict;
        throw new CaptchaMisconfiguredError(provider, 'request-refused', { status });
      }
      case 'verdict': {
        if (text === undefined) throw new CaptchaMisconfiguredError(provider, 'oversized', { status });
        const verdict = parseVerdict(text);
        if (verdict === undefined) throw new CaptchaMisconfiguredError(provider, 'unparsable', { status });
        return verdict;
      }
    }
  }

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

  function judge(verdict: Verdict): void {
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
  }

  return async function verifyCaptcha(event, context) {
    if (event.triggerSource !== TriggerSource.PreSignUpSignUp) return 'skipped';
    // validationData is null when the caller sent none (contract §2): that is a missing token.
    const token = readValidationData(event.request.validationData)[CAPTCHA_TOKEN_KEY];
    if (token === undefined || token === '') throw new CaptchaRequiredError(provider);
    const [secret] = await secretSource.get(context.deadline, context.signal);
    if (secret === undefined || secret === '') {
      throw new CaptchaMisconfiguredError(provider, 'secret-unavailable');
    }
    let verdict: Verdict;
    try {
      verdict = await askProvider(token, secret, context);
      judge(verdict);
    } catch (error) {
      if (!(failOpen && error instanceof CaptchaUnavailableError)) throw error;
      log.warn('captcha provider unavailable: failing open', {
        provider,
        reason: error.reason,
        status: error.status,
      });
    }
    return 'pass';
  };
}

/** What {@link verifyCaptchaFromEnv} reads: the factory's two arguments. */
export type VerifyCaptchaConfig = {
  options: VerifyCaptchaOptions;
  dependencies: VerifyCaptchaDependencies;
};

function readMinScore(env: Env): number {
  const raw = readString(env, 'CAPTCHA_MIN_SCORE', '');
  if (raw === '') return defaults.minScore;
  const value = /^\d+(?:\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!isMinScore(value)) throw new ConfigurationError('CAPTCHA_MIN_SCORE', 'a number from 0.0 to 1.0');
  return value;
}

/**
 * Reads the rule's configuration once, at cold start; `undefined` when `CAPTCHA_PROVIDER` is `none` (the
 * default), so the rule is not in the chain at all.
 *
 * `CAPTCHA_PROVIDER` (none|turnstile|recaptcha|hcaptcha), `CAPTCHA_SECRET` or `CAPTCHA_SECRET_SSM_PARAMETER`
 * or `CAPTCHA_SECRET_ARN` (+ `CAPTCHA_SECRET_CACHE_SECONDS`), `CAPTCHA_VERIFY_URL`, `CAPTCHA_TIMEOUT_MS`
 * (1500; 100–4000), `CAPTCHA_FAIL_OPEN` (false), `CAPTCHA_EXPECTED_HOSTNAMES`, `CAPTCHA_EXPECTED_ACTION`,
 * `CAPTCHA_MIN_SCORE` (0.5). A bad value throws a {@link ConfigurationError} naming the variable.
 *
 * @example
 * const captcha = verifyCaptchaFromEnv(process.env);
 * const rules = [...(captcha ? [verifyCaptcha(captcha.options, captcha.dependencies)] : [])];
 */
export function verifyCaptchaFromEnv(env: Env): VerifyCaptchaConfig | undefined {
  const provider = readChoice(env, 'CAPTCHA_PROVIDER', ['none', ...providers], 'none');
  // Every setting is read (and so checked) even while captcha is off: a bad value fails the cold start
  // either way, rather than waiting for the day the provider is switched on.
  const secret = secretSourceFromEnv(env, 'CAPTCHA_SECRET');
  if (secret === undefined && provider !== 'none') {
    throw new ConfigurationError(
      'CAPTCHA_SECRET',
      `set (or CAPTCHA_SECRET_SSM_PARAMETER or CAPTCHA_SECRET_ARN) when CAPTCHA_PROVIDER is ${provider}`,
    );
  }
  const verifyUrl = readString(env, 'CAPTCHA_VERIFY_URL', '');
  const urlProblem = verifyUrl === '' ? undefined : verifyUrlProblem(verifyUrl);
  if (urlProblem !== undefined) throw new ConfigurationError('CAPTCHA_VERIFY_URL', urlProblem);
  const timeoutMs = readInteger(env, 'CAPTCHA_TIMEOUT_MS', CaptchaTimeoutBounds, defaults.timeoutMs);
  const failOpen = readBoolean(env, 'CAPTCHA_FAIL_OPEN', defaults.failOpen);
  const expectedHostnames = readList(env, 'CAPTCHA_EXPECTED_HOSTNAMES');
  if (expectedHostnames.some((entry) => normalizeHostnameEntry(entry) === undefined)) {
    throw new ConfigurationError(
      'CAPTCHA_EXPECTED_HOSTNAMES',
      'a comma-separated list of host names (example.com, *.example.com, localhost)',
    );
  }
  const expectedAction = readString(env, 'CAPTCHA_EXPECTED_ACTION', '');
  if (expectedAction !== '' && !ACTION_PATTERN.test(expectedAction)) {
    throw new ConfigurationError('CAPTCHA_EXPECTED_ACTION', 'letters, digits, "_", "-" or "/" (1–100)');
  }
  if (expectedAction !== '' && provider === CaptchaProvider.Hcaptcha) {
    throw new ConfigurationError('CAPTCHA_EXPECTED_ACTION', 'unset for hcaptcha (its reply has no action)');
  }
  const minScore = readMinScore(env);
  if (provider === 'none' || secret === undefined) return undefined;
  return {
    options: {
      provider,
      ...(verifyUrl === '' ? {} : { verifyUrl }),
      timeoutMs,
      failOpen,
      expectedHostnames,
      ...(expectedAction === '' ? {} : { expectedAction }),
      minScore,
    },
    dependencies: { secret },
  };
}
