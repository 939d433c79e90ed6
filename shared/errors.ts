/**
 * The two families of errors (docs/contributing.md, "Errors, options and logs").
 *
 * - A **rejection** is a decision about a user. Its `message` reaches the end user through Cognito
 *   (`PreSignUp failed with error <message>.`), so it is always `"<CODE>: <fixed user-safe sentence>"`.
 * - A **fault** is bad configuration, an outage or a bug. It is logged with its cause; the caller only
 *   ever sees {@link SignUpUnavailableError}, which only the core creates.
 * Every code and its sentence are in shared/rejection-codes.ts.
 */
import { isRejectionCode, type RejectionCode, Rejections } from './rejection-codes.js';

/**
 * Base class of every rejection. `message` is `"<CODE>: <sentence>"`; details belong in fields and logs.
 */
export class SignUpRejection extends Error {
  /** Stable machine-readable code, the part before the colon in `message`. */
  public readonly code: Exclude<RejectionCode, 'SIGNUP_UNAVAILABLE'>;
  /** The user-safe sentence, without the code: the registry's, never written twice. */
  public readonly sentence: string;

  public constructor(code: Exclude<RejectionCode, 'SIGNUP_UNAVAILABLE'>, options?: ErrorOptions) {
    // A code is typed, but a rule written in JavaScript (or cast) could still pass an unregistered one.
    if (!isRejectionCode(code) || (code as RejectionCode) === 'SIGNUP_UNAVAILABLE') {
      throw new TypeError(`Rejection code must be one of shared/rejection-codes.ts (not ${String(code)})`);
    }
    const sentence = Rejections[code];
    super(`${code}: ${sentence}`, options);
    this.name = 'SignUpRejection';
    this.code = code;
    this.sentence = sentence;
  }
}

/** Where an attacker-controlled map came from. */
export type MetadataSource = 'clientMetadata' | 'validationData';

/**
 * A ClientMetadata or ValidationData value (or the map as a whole) broke its declared bounds.
 * The key and reason are kept for logs; the user only sees the fixed sentence.
 */
export class MetadataInvalidError extends SignUpRejection {
  public readonly source: MetadataSource;
  /** The offending key, or `undefined` when the map as a whole is at fault. */
  public readonly key: string | undefined;
  public readonly reason: string;

  public constructor(
    source: MetadataSource,
    key: string | undefined,
    reason: string,
    options?: ErrorOptions,
  ) {
    super('METADATA_INVALID', options);
    this.name = 'MetadataInvalidError';
    this.source = source;
    this.key = key;
    this.reason = reason;
  }
}

/**
 * What every fault turns into on its way to Cognito: `SIGNUP_UNAVAILABLE` and a user-safe sentence, with
 * the fault as `cause`. Not a rejection (no decision about the user was made), and only the core creates it
 * (shared/handler-core.ts): a rule or action throws its fault, and the core logs it as one.
 */
export class SignUpUnavailableError extends Error {
  /** Always `SIGNUP_UNAVAILABLE`. */
  public readonly code = 'SIGNUP_UNAVAILABLE';
  /** The user-safe sentence, without the code. */
  public readonly sentence: string = Rejections.SIGNUP_UNAVAILABLE;

  public constructor(options?: ErrorOptions) {
    super(`SIGNUP_UNAVAILABLE: ${Rejections.SIGNUP_UNAVAILABLE}`, options);
    this.name = 'SignUpUnavailableError';
  }
}

/** Base class of faults: never shown to a user, always logged with `cause`. */
export class SignUpFault extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SignUpFault';
  }
}

/** An environment variable holds a value the trigger cannot use. Thrown at cold start. */
export class ConfigurationError extends SignUpFault {
  public readonly variable: string;
  public readonly expected: string;

  public constructor(variable: string, expected: string, options?: ErrorOptions) {
    super(`Invalid configuration: ${variable} must be ${expected}`, options);
    this.name = 'ConfigurationError';
    this.variable = variable;
    this.expected = expected;
  }
}

/** The event does not have the shape this trigger reads. Names the field and what was found, never a value. */
export class EventShapeError extends SignUpFault {
  /** Dotted path of the field, for example `request.userAttributes.email`. */
  public readonly path: string;
  public readonly expected: string;
  /** The JSON type that was found (`null`, `number`, `absent`, …), never the value itself. */
  public readonly found: string;

  public constructor(path: string, expected: string, found: string, options?: ErrorOptions) {
    super(`Malformed event: ${path} must be ${expected}, found ${found}`, options);
    this.name = 'EventShapeError';
    this.path = path;
    this.expected = expected;
    this.found = found;
  }
}

/** An outbound call did not answer within its share of Cognito's 5-second budget. */
export class DeadlineExceededError extends SignUpFault {
  public readonly operation: string;
  public readonly budgetMs: number;

  public constructor(operation: string, budgetMs: number, options?: ErrorOptions) {
    super(`${operation} did not finish within ${budgetMs} ms`, options);
    this.name = 'DeadlineExceededError';
    this.operation = operation;
    this.budgetMs = budgetMs;
  }
}
