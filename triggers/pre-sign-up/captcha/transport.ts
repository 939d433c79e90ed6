/**
 * The captcha rule's call to the provider's verify API: one form-encoded POST, bounded in time (the rule's
 * timeout, the invocation's deadline and signal) and in size (a reply larger than any verdict is not read),
 * redirects never followed. What comes back is the answer's status and body, when it may hold a verdict
 * (verdict.ts reads it); every other way the call ends is a fault, as the fail-open policy below decides.
 */
import { boundedSignal } from '../../../shared/deadline.js';
import type { RuleContext } from '../../../shared/handler-core.js';
import { CaptchaMisconfiguredError, CaptchaUnavailableError } from './errors.js';
import type { CaptchaProvider } from './provider.js';

// Kept back from the invocation deadline for reading the reply and for the rules after this one.
const CALL_MARGIN_MS = 100;
// A verdict is a few hundred bytes; anything much larger is not a verdict.
const MAX_REPLY_BYTES = 16_384;

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** What is wrong with a verify URL, or `undefined` when it is usable. */
export function verifyUrlProblem(url: string): string | undefined {
  if (!URL.canParse(url)) return 'an absolute URL';
  const parsed = new URL(url);
  if (parsed.username !== '' || parsed.password !== '') return 'a URL without credentials';
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
  return 'an https URL (http only to a loopback host: localhost, 127.0.0.0/8, [::1])';
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
// The rows about what a body holds (a "no", no verdict, too much, `internal-error`) are applied in verdict.ts.
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

/**
 * An answer that may hold a verdict: a 2xx (`verdict`), or a refused request (`refusal`: a 4xx, or a 5xx
 * that is no outage) whose body may be a well-formed "no". `text` is `undefined` when the body is larger than
 * any verdict, or a refusal's body could not be read.
 */
export type CaptchaReply = { kind: 'verdict' | 'refusal'; status: number; text: string | undefined };

/** The answer of a status class that may hold a verdict, or the fault the fail-open policy makes of it. */
function replyOf(
  provider: CaptchaProvider,
  kind: StatusClass,
  status: number,
  text: string | undefined,
): CaptchaReply {
  switch (kind) {
    case 'outage':
      throw new CaptchaUnavailableError(provider, 'http-status', status);
    case 'redirect':
      throw new CaptchaMisconfiguredError(provider, 'redirected', { status });
    case 'not-http':
      throw new CaptchaMisconfiguredError(provider, 'protocol-error', { status });
    case 'refusal':
    case 'verdict':
      return { kind, status, text };
  }
}

/** What bounds one call: the invocation's deadline (epoch ms) and its signal. */
export type CaptchaCallContext = Pick<RuleContext, 'deadline' | 'signal'>;

/** Options of {@link createCaptchaTransport}, checked by the rule that builds it. */
export type CaptchaTransportOptions = {
  /** Named in every fault. */
  provider: CaptchaProvider;
  verifyUrl: string;
  /** Upper bound of one call; the call never outlives the invocation deadline either. */
  timeoutMs: number;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  now: () => number;
};

/**
 * The verify call of one provider. The function it returns asks the provider about a token; every way of not
 * getting an answer that may hold a verdict becomes the fault the fail-open policy (the table above
 * `isTransportFailure`) names: a {@link CaptchaUnavailableError} for an outage, a
 * {@link CaptchaMisconfiguredError} for anything else.
 *
 * @example
 * const askProvider = createCaptchaTransport({ provider, verifyUrl, timeoutMs: 1500, fetch, now: Date.now });
 * const reply = await askProvider(token, secret, context);
 */
export function createCaptchaTransport(
  options: CaptchaTransportOptions,
): (token: string, secret: string, context: CaptchaCallContext) => Promise<CaptchaReply> {
  const { provider, verifyUrl, timeoutMs, fetch: post, now } = options;

  return async function askProvider(
    token: string,
    secret: string,
    context: CaptchaCallContext,
  ): Promise<CaptchaReply> {
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
    return replyOf(provider, kind, response.status, text);
  };
}
