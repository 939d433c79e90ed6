/**
 * What a failed delivery (an email through SES, an SMS through SNS) becomes: one {@link DeliveryError} with a
 * stable `reason` and a `retryable` flag. Cognito invokes a custom sender asynchronously (contract §3),
 * so the handler's choice is whether Lambda's own retries (two more attempts, one and two minutes apart) can
 * help: a throttled or unreachable service may answer next time, a rejected message or a paused account will
 * not. The message names the operation, the reason and the SDK's error name only: never an address, a phone
 * number, a subject or a body (an SDK message may quote them, as SES's `Email address not verified <from>`
 * does), so it is safe for shared/log-error.ts, which logs our own faults' messages whole.
 */
import { DeadlineExceededError, SignUpFault } from '../errors.js';

/** Why a delivery failed. Values are stable: dashboards and alarms may filter on them. */
export const DeliveryFailure = {
  // Retryable: the same request may succeed on a later attempt.
  /** The service refused for rate or quota (`TooManyRequestsException`, `Throttling`, HTTP 429, …). */
  Throttled: 'throttled',
  /** The service failed on its side (HTTP 5xx, `InternalServiceErrorException`, …). */
  ServiceUnavailable: 'service-unavailable',
  /** No answer: refused or reset connection, DNS failure (`ECONNREFUSED`, `ENOTFOUND`, …). */
  Network: 'network',
  /** No answer in time: the request timeout, the deadline, or the caller's signal. */
  Timeout: 'timeout',
  /** The function's temporary credentials expired mid-call; the SDK fetches new ones on the next. */
  CredentialsExpired: 'credentials-expired',
  /** Not an error this module knows; retried, because a lost code costs more than a wasted retry. */
  Unknown: 'unknown',
  // Permanent: the same request fails again until someone changes something.
  /** SES refused the message (content, or an unverified address in the sandbox). */
  MessageRejected: 'message-rejected',
  /** Sending is paused for the account or the configuration set (SES `SendingPausedException`). */
  SendingPaused: 'sending-paused',
  /** The SES account is suspended (`AccountSuspendedException`). */
  AccountSuspended: 'account-suspended',
  /** The MAIL FROM domain of the sender is not verified (`MailFromDomainNotVerifiedException`). */
  SenderNotVerified: 'sender-not-verified',
  /** A named resource does not exist (a configuration set, an identity ARN). */
  NotFound: 'not-found',
  /** The function may not send: IAM, KMS or an invalid signature. Fixed by configuration, not by retrying. */
  AccessDenied: 'access-denied',
  /** The service found the request invalid (`BadRequestException`, `InvalidParameter…`, …). */
  InvalidRequest: 'invalid-request',
  /** The recipient opted out of SMS, or the endpoint is disabled. */
  OptedOut: 'opted-out',
  /** Another client error (HTTP 4xx) that the service did not name in a way listed here. */
  Refused: 'refused',
  /** The destination address failed the checks made before any call. */
  BadAddress: 'bad-address',
  /** The destination phone number is not E.164 (`+` and 7 to 15 digits, no leading 0). */
  BadPhoneNumber: 'bad-phone-number',
  /** The phone number's country is not on the allow-list (SMS pumping control); no call was made. */
  CountryNotAllowed: 'country-not-allowed',
  /** The message itself cannot be sent (empty, too long, a line break in a subject). */
  InvalidMessage: 'invalid-message',
} as const;

/** One of {@link DeliveryFailure}. */
export type DeliveryFailure = (typeof DeliveryFailure)[keyof typeof DeliveryFailure];

const RETRYABLE: ReadonlySet<DeliveryFailure> = new Set([
  DeliveryFailure.Throttled,
  DeliveryFailure.ServiceUnavailable,
  DeliveryFailure.Network,
  DeliveryFailure.Timeout,
  DeliveryFailure.CredentialsExpired,
  DeliveryFailure.Unknown,
]);

/** Whether a failure of this reason may succeed on a later attempt. */
export function isRetryableFailure(reason: DeliveryFailure): boolean {
  return RETRYABLE.has(reason);
}

/** The channel a delivery went through. */
export type DeliveryChannel = 'email' | 'sms';

/** What {@link DeliveryError} is built from. */
export type DeliveryErrorDetails = {
  channel: DeliveryChannel;
  /** The API operation (`SendEmail`, `Publish`), or the check that refused before any call. */
  operation: string;
  reason: DeliveryFailure;
  /** The SDK error's name or code when there was one (`MessageRejected`, `TimeoutError`, `ECONNREFUSED`). */
  errorName?: string;
  /** The destination, masked (shared/mask.ts): for a log line, never for the message. */
  maskedDestination?: string;
};

/**
 * A delivery failed. `message` is `"<operation> failed: <reason> (<retryable|permanent>[, <errorName>])"`:
 * no address, number or content. The SDK error, when there was one, is the `cause` (log it through
 * shared/log-error.ts, which never prints a foreign error's message).
 */
export class DeliveryError extends SignUpFault {
  public readonly channel: DeliveryChannel;
  public readonly operation: string;
  public readonly reason: DeliveryFailure;
  /** Whether Lambda's retry of the invocation may succeed: the handler rethrows these, and only these. */
  public readonly retryable: boolean;
  public readonly errorName: string | undefined;
  public readonly maskedDestination: string | undefined;

  public constructor(details: DeliveryErrorDetails, options?: ErrorOptions) {
    const retryable = isRetryableFailure(details.reason);
    const errorName = details.errorName === undefined ? undefined : safeName(details.errorName);
    const kind = retryable ? 'retryable' : 'permanent';
    const named = errorName === undefined ? '' : `, ${errorName}`;
    super(`${details.operation} failed: ${details.reason} (${kind}${named})`, options);
    this.name = 'DeliveryError';
    this.channel = details.channel;
    this.operation = details.operation;
    this.reason = details.reason;
    this.retryable = retryable;
    this.errorName = errorName;
    this.maskedDestination = details.maskedDestination;
  }
}

// An error name or code as SDKs and Node.js spell them. Anything else (a service could put free text in a
// code) is not repeated.
const SAFE_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;

function safeName(name: string): string {
  return SAFE_NAME.test(name) ? name : 'UnnamedError';
}

// SES v2 (SendEmail), SNS (Publish), and the names every AWS query or JSON protocol may use. SES v1 names
// (`InvalidParameterValue`, `Throttling`) are listed too: moto answers SES v2 calls through its v1 model.
const BY_NAME: Readonly<Record<string, DeliveryFailure>> = {
  TooManyRequestsException: DeliveryFailure.Throttled,
  // SES v2 answers SendEmail with it when a sending quota (the daily one included) is used up: retried,
  // since the maximum rate is per second and the daily quota is a sliding 24-hour window.
  LimitExceededException: DeliveryFailure.Throttled,
  ThrottlingException: DeliveryFailure.Throttled,
  Throttling: DeliveryFailure.Throttled,
  ThrottledException: DeliveryFailure.Throttled,
  KMSThrottlingException: DeliveryFailure.Throttled,
  RequestLimitExceeded: DeliveryFailure.Throttled,
  SlowDown: DeliveryFailure.Throttled,
  InternalServiceErrorException: DeliveryFailure.ServiceUnavailable,
  InternalErrorException: DeliveryFailure.ServiceUnavailable,
  InternalFailure: DeliveryFailure.ServiceUnavailable,
  InternalError: DeliveryFailure.ServiceUnavailable,
  ServiceUnavailable: DeliveryFailure.ServiceUnavailable,
  ServiceUnavailableException: DeliveryFailure.ServiceUnavailable,
  ConcurrentModificationException: DeliveryFailure.ServiceUnavailable,
  ConcurrentAccessException: DeliveryFailure.ServiceUnavailable,
  TimeoutError: DeliveryFailure.Timeout,
  AbortError: DeliveryFailure.Timeout,
  RequestTimeout: DeliveryFailure.Timeout,
  RequestTimeoutException: DeliveryFailure.Timeout,
  ExpiredToken: DeliveryFailure.CredentialsExpired,
  ExpiredTokenException: DeliveryFailure.CredentialsExpired,
  RequestExpired: DeliveryFailure.CredentialsExpired,
  MessageRejected: DeliveryFailure.MessageRejected,
  SendingPausedException: DeliveryFailure.SendingPaused,
  AccountSuspendedException: DeliveryFailure.AccountSuspended,
  MailFromDomainNotVerifiedException: DeliveryFailure.SenderNotVerified,
  NotFoundException: DeliveryFailure.NotFound,
  NotFound: DeliveryFailure.NotFound,
  ResourceNotFoundException: DeliveryFailure.NotFound,
  AccessDeniedException: DeliveryFailure.AccessDenied,
  AccessDenied: DeliveryFailure.AccessDenied,
  AuthorizationErrorException: DeliveryFailure.AccessDenied,
  UnrecognizedClientException: DeliveryFailure.AccessDenied,
  InvalidClientTokenId: DeliveryFailure.AccessDenied,
  InvalidSignatureException: DeliveryFailure.AccessDenied,
  SignatureDoesNotMatch: DeliveryFailure.AccessDenied,
  InvalidSecurityException: DeliveryFailure.AccessDenied,
  KMSAccessDeniedException: DeliveryFailure.AccessDenied,
  KMSDisabledException: DeliveryFailure.AccessDenied,
  KMSInvalidStateException: DeliveryFailure.AccessDenied,
  KMSNotFoundException: DeliveryFailure.AccessDenied,
  KMSOptInRequired: DeliveryFailure.AccessDenied,
  BadRequestException: DeliveryFailure.InvalidRequest,
  InvalidParameterValue: DeliveryFailure.InvalidRequest,
  InvalidParameterException: DeliveryFailure.InvalidRequest,
  InvalidParameterValueException: DeliveryFailure.InvalidRequest,
  InvalidParameter: DeliveryFailure.InvalidRequest,
  ValidationException: DeliveryFailure.InvalidRequest,
  ValidationError: DeliveryFailure.InvalidRequest,
  OptedOutException: DeliveryFailure.OptedOut,
  EndpointDisabledException: DeliveryFailure.OptedOut,
};

// Node.js and undici codes of a request that never got an answer.
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

type SdkLikeError = {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
};

function fieldsOf(error: unknown): SdkLikeError {
  return typeof error === 'object' && error !== null ? (error as SdkLikeError) : {};
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The reason and the name to report for an error an SDK call threw. */
function reasonOf(error: unknown): { reason: DeliveryFailure; errorName?: string } {
  if (error instanceof DeadlineExceededError) {
    return { reason: DeliveryFailure.Timeout, errorName: 'DeadlineExceededError' };
  }
  const fields = fieldsOf(error);
  const name = stringOf(fields.name);
  // The service's code, where a protocol keeps it apart from the class name (`Code` in query protocols).
  const code = stringOf(fields.Code) ?? stringOf(fields.code);
  for (const candidate of [name, code]) {
    if (candidate !== undefined && Object.hasOwn(BY_NAME, candidate)) {
      return { reason: BY_NAME[candidate] as DeliveryFailure, errorName: candidate };
    }
  }
  // Node.js keeps a socket error's code on the error, or on its cause when a library wrapped it.
  const causeCode = stringOf(fieldsOf((error as { cause?: unknown } | null)?.cause).code);
  for (const candidate of [code, causeCode]) {
    if (candidate !== undefined && NETWORK_CODES.has(candidate)) {
      return { reason: DeliveryFailure.Network, errorName: candidate };
    }
  }
  const status = fields.$metadata?.httpStatusCode;
  const reported = name ?? code;
  const named = reported === undefined ? {} : { errorName: reported };
  if (status === 429 || (isObject(fields.$retryable) && fields.$retryable.throttling === true)) {
    return { reason: DeliveryFailure.Throttled, ...named };
  }
  if (fields.$fault === 'server' || (typeof status === 'number' && status >= 500)) {
    return { reason: DeliveryFailure.ServiceUnavailable, ...named };
  }
  // The SDK marks what its retry strategy would retry (a transient error it knows by name).
  if (isObject(fields.$retryable)) return { reason: DeliveryFailure.ServiceUnavailable, ...named };
  if (fields.$fault === 'client' || (typeof status === 'number' && status >= 400)) {
    return { reason: DeliveryFailure.Refused, ...named };
  }
  return { reason: DeliveryFailure.Unknown, ...named };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Classifies what an SDK call threw as a {@link DeliveryError}, the original as its `cause`. A
 * `DeliveryError` is returned as it is. Reads the error's name, its service code, a Node.js socket code (on
 * the error or its cause), the SDK's `$retryable` mark, `$fault` and the HTTP status, in that order.
 *
 * @example
 * try { await client.send(command); } catch (error) {
 *   throw classifyDeliveryError(error, { channel: 'email', operation: 'SendEmail' });
 * }
 */
export function classifyDeliveryError(
  error: unknown,
  context: { channel: DeliveryChannel; operation: string; maskedDestination?: string },
): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const { reason, errorName } = reasonOf(error);
  return new DeliveryError(
    {
      ...context,
      reason,
      ...(errorName === undefined ? {} : { errorName }),
    },
    { cause: error },
  );
}
