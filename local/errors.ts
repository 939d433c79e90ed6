/**
 * Errors of the local pipeline (`npm start`). They describe a setup problem (a missing build, a port in use,
 * a template the pipeline cannot provision from), so their messages say what to do about it.
 */

/** Base class of every local pipeline error. */
export class LocalPipelineError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalPipelineError';
  }
}

/** A function's bundle is missing: `npm run build` has not run (or wrote elsewhere). */
export class BundleMissingError extends LocalPipelineError {
  public readonly logicalId: string;
  public readonly bundlePath: string;

  public constructor(logicalId: string, bundlePath: string, options?: ErrorOptions) {
    super(`${logicalId}: no bundle at ${bundlePath}; run \`npm run build\` first`, options);
    this.name = 'BundleMissingError';
    this.logicalId = logicalId;
    this.bundlePath = bundlePath;
  }
}

/** `template.yaml` lacks something the local pool or tables are built from; `key` is the path in it. */
export class ProvisionError extends LocalPipelineError {
  public readonly key: string;

  public constructor(key: string, problem: string, options?: ErrorOptions) {
    super(`template.yaml: ${key} ${problem}`, options);
    this.name = 'ProvisionError';
    this.key = key;
  }
}

/**
 * The Lambda Invoke API answered with an HTTP error (or could not be reached): Cognito does not retry it and
 * reports `<Trigger> invocation failed due to error <errorType>.` (contract §1, §6).
 */
export class LambdaInvokeError extends LocalPipelineError {
  /** `ResourceNotFoundException`, `ServiceException`, … (Lambda's `x-amzn-ErrorType`). */
  public readonly errorType: string;
  /** The HTTP status, or `undefined` when the endpoint could not be reached. */
  public readonly status: number | undefined;

  public constructor(errorType: string, status: number | undefined, options?: ErrorOptions) {
    super(`Lambda Invoke failed: ${errorType}${status === undefined ? '' : ` (HTTP ${status})`}`, options);
    this.name = 'LambdaInvokeError';
    this.errorType = errorType;
    this.status = status;
  }
}
