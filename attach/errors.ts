/**
 * Why attaching the triggers to a user pool, or detaching them, stopped. Every error here is thrown before
 * `UpdateUserPool` is sent or by a refused `UpdateUserPool` (an API call either applies whole or not at all),
 * so each one means the pool was left as it was; the messages say so.
 */
import type { CoreTriggerName } from '../shared/core-trigger.js';

/** Base class of the attach and detach errors: `instanceof AttachError` catches them all. */
export class AttachError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AttachError';
  }
}

/** A user pool id that is not `<region>_<id>` (`us-east-1_AbC123`). */
export class MalformedUserPoolIdError extends AttachError {
  public readonly userPoolId: string;

  public constructor(userPoolId: string, options?: ErrorOptions) {
    super(
      `${JSON.stringify(userPoolId)} is not a user pool id: expected <region>_<id>, such as us-east-1_AbC123`,
      options,
    );
    this.name = 'MalformedUserPoolIdError';
    this.userPoolId = userPoolId;
  }
}

/**
 * The pool id names another Region than the client's: Cognito would answer "not found", which hides the
 * real mistake.
 */
export class UserPoolRegionMismatchError extends AttachError {
  public readonly userPoolId: string;
  /** The Region the pool id names. */
  public readonly poolRegion: string;
  /** The Region the client sends its requests to. */
  public readonly clientRegion: string;

  public constructor(userPoolId: string, poolRegion: string, clientRegion: string, options?: ErrorOptions) {
    super(
      `User pool ${userPoolId} is in ${poolRegion}, but the client is configured for ${clientRegion}: ` +
        `use Region ${poolRegion} (nothing was changed)`,
      options,
    );
    this.name = 'UserPoolRegionMismatchError';
    this.userPoolId = userPoolId;
    this.poolRegion = poolRegion;
    this.clientRegion = clientRegion;
  }
}

/** Cognito answered `ResourceNotFoundException`: no pool with that id in that Region and account. */
export class UserPoolNotFoundError extends AttachError {
  public readonly userPoolId: string;
  public readonly region: string;

  public constructor(userPoolId: string, region: string, options?: ErrorOptions) {
    super(
      `User pool ${userPoolId} does not exist in ${region} for these credentials (nothing was changed)`,
      options,
    );
    this.name = 'UserPoolNotFoundError';
    this.userPoolId = userPoolId;
    this.region = region;
  }
}

/**
 * The credentials may not call `operation` (`AccessDeniedException`, `NotAuthorizedException`) or are not
 * valid (`UnrecognizedClientException`, `ExpiredTokenException`). `hint` names the other permissions an
 * `UpdateUserPool` that sends a pool's settings back may need.
 */
export class UserPoolAccessDeniedError extends AttachError {
  public readonly userPoolId: string;
  /** `DescribeUserPool` or `UpdateUserPool`. */
  public readonly operation: string;
  /** The AWS error's name, such as `AccessDeniedException`. */
  public readonly code: string;

  public constructor(
    userPoolId: string,
    operation: string,
    code: string,
    hint: string,
    options?: ErrorOptions,
  ) {
    super(
      `Not allowed to call ${operation} on user pool ${userPoolId} (${code}): the credentials need ` +
        `cognito-idp:${operation}${hint === '' ? '' : ` ${hint}`} (nothing was changed)`,
      options,
    );
    this.name = 'UserPoolAccessDeniedError';
    this.userPoolId = userPoolId;
    this.operation = operation;
    this.code = code;
  }
}

/** Any other failed Cognito call; `changed` is `false` when Cognito answered (the call was refused whole). */
export class UserPoolRequestError extends AttachError {
  public readonly userPoolId: string;
  public readonly operation: string;
  /** `false` when Cognito refused the call; `undefined` when no answer came (a timeout: outcome unknown). */
  public readonly changed: false | undefined;

  public constructor(
    userPoolId: string,
    operation: string,
    changed: false | undefined,
    options?: ErrorOptions,
  ) {
    super(
      `${operation} of user pool ${userPoolId} failed ` +
        (changed === false
          ? '(nothing was changed)'
          : operation === 'UpdateUserPool'
            ? 'without an answer: the pool may or may not have changed; run again with --dry-run to see'
            : '(nothing was changed)'),
      options,
    );
    this.name = 'UserPoolRequestError';
    this.userPoolId = userPoolId;
    this.operation = operation;
    this.changed = changed;
  }
}

/**
 * A `DescribeUserPool` answer holds fields this tool does not know (a newer API than the SDK it was built
 * with). An `UpdateUserPool` request cannot send them back, and Cognito resets what a request leaves out, so
 * the tool changes nothing.
 */
export class UnknownPoolFieldError extends AttachError {
  /** Dotted paths of the unknown fields (`LambdaConfig.NewTrigger`, `SchemaAttributes[2].Foo`). */
  public readonly fields: readonly string[];

  public constructor(fields: readonly string[], options?: ErrorOptions) {
    super(
      `DescribeUserPool answered with fields this tool does not know (${fields.join(', ')}): an ` +
        'UpdateUserPool request without them could reset them, so nothing was changed. Update ' +
        '@aws-sdk/client-cognito-identity-provider and attach/pool-fields.ts',
      options,
    );
    this.name = 'UnknownPoolFieldError';
    this.fields = fields;
  }
}

/** A function ARN that is not a Lambda function's (`arn:aws:lambda:<region>:<account>:function:<name>`). */
export class InvalidFunctionArnError extends AttachError {
  public readonly trigger: string;
  public readonly arn: string;

  public constructor(trigger: string, arn: string, options?: ErrorOptions) {
    super(
      `${trigger}: ${JSON.stringify(arn)} is not a Lambda function ARN ` +
        '(arn:aws:lambda:<region>:<account>:function:<name>[:<version or alias>])',
      options,
    );
    this.name = 'InvalidFunctionArnError';
    this.trigger = trigger;
    this.arn = arn;
  }
}

/** A trigger name the tool cannot attach (not one of the toolkit's triggers). */
export class UnknownTriggerError extends AttachError {
  public readonly trigger: string;

  public constructor(trigger: string, known: readonly CoreTriggerName[], options?: ErrorOptions) {
    super(`Unknown trigger ${JSON.stringify(trigger)} (known: ${known.join(', ')})`, options);
    this.name = 'UnknownTriggerError';
    this.trigger = trigger;
  }
}

/**
 * The pool changed between the read the plan was made from and the read just before `UpdateUserPool`:
 * sending the plan would undo that change.
 */
export class UserPoolChangedError extends AttachError {
  public readonly userPoolId: string;
  /** The changed fields, as diff lines. */
  public readonly differences: readonly string[];

  public constructor(userPoolId: string, differences: readonly string[], options?: ErrorOptions) {
    super(
      `User pool ${userPoolId} changed while the update was being prepared (${differences.length} ` +
        'difference(s)); nothing was changed: run again',
      options,
    );
    this.name = 'UserPoolChangedError';
    this.userPoolId = userPoolId;
    this.differences = differences;
  }
}

/**
 * A `KMSKeyID` that is not a KMS key ARN (`arn:aws:kms:<region>:<account>:key/<key id>`): a bare key id or an
 * alias is refused, as Cognito's model requires an ARN and the senders decrypt with the key ARN only.
 */
export class InvalidKmsKeyArnError extends AttachError {
  public readonly value: string;

  public constructor(value: string, options?: ErrorOptions) {
    super(
      `KMSKeyID: ${JSON.stringify(value)} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>); ` +
        'a bare key id or an alias is not enough: Cognito requires the key ARN, and the senders decrypt with it',
      options,
    );
    this.name = 'InvalidKmsKeyArnError';
    this.value = value;
  }
}

/** A custom sender given without the KMS key, or a key given without a custom sender. */
export class KmsKeyOptionError extends AttachError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KmsKeyOptionError';
  }
}
