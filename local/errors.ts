/**
 * Errors of the local pipeline (`npm start`). They describe a setup problem (a missing build, a port in use,
 * a template the pipeline cannot provision from), so their messages say what to do about it.
 */
import { TriggerName } from '../shared/trigger-source.js';

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

/** A command-line option has a value the pipeline cannot use (`--cognito-port abc`). */
export class InvalidOptionError extends LocalPipelineError {
  /** The option without its dashes (`cognito-port`). */
  public readonly option: string;
  public readonly value: string;

  public constructor(option: string, value: string, expected: string, options?: ErrorOptions) {
    super(`--${option} must be ${expected}, not "${value}"`, options);
    this.name = 'InvalidOptionError';
    this.option = option;
    this.value = value;
  }
}

/** The local services, as the port errors name them. */
export const LocalService = {
  Cognito: 'cognito',
  Lambda: 'lambda',
  DynamoDb: 'dynamodb',
} as const;
/** One of {@link LocalService}. */
export type LocalService = (typeof LocalService)[keyof typeof LocalService];

const SERVICE_DESCRIPTIONS: Readonly<Record<LocalService, { label: string; option: string }>> = {
  cognito: { label: 'The user pool API (cognito-local)', option: '--cognito-port' },
  lambda: { label: 'The Lambda Invoke API', option: '--lambda-port' },
  dynamodb: { label: 'DynamoDB (dynalite)', option: '--dynamodb-port' },
};

/** A fixed port is taken by another process (`EADDRINUSE`): the message names the service and its option. */
export class PortInUseError extends LocalPipelineError {
  public readonly service: LocalService;
  public readonly host: string;
  public readonly port: number;
  /** The `npm start` option that chose the port (`--cognito-port`). */
  public readonly option: string;

  public constructor(service: LocalService, host: string, port: number, options?: ErrorOptions) {
    const { label, option } = SERVICE_DESCRIPTIONS[service];
    super(
      `${label} cannot listen on ${host}:${port}: the port is in use; choose another with ${option} <n>, or leave ${option} out for a free port`,
      options,
    );
    this.name = 'PortInUseError';
    this.service = service;
    this.host = host;
    this.port = port;
    this.option = option;
  }
}

/** Another `npm start` holds the data folder (`<dataDir>/.lock` names a live process). */
export class DataDirInUseError extends LocalPipelineError {
  public readonly dataDir: string;
  /** The process holding the folder. */
  public readonly pid: number;

  public constructor(dataDir: string, pid: number, options?: ErrorOptions) {
    super(
      `${dataDir} is in use by another npm start (pid ${pid}): stop it first or choose another --data-dir (if no such process runs, delete ${dataDir}/.lock)`,
      options,
    );
    this.name = 'DataDirInUseError';
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** A stop was asked for (Ctrl-C, SIGTERM) before the pipeline was ready; what had started is stopped. */
export class StartAbortedError extends LocalPipelineError {
  public constructor(options?: ErrorOptions) {
    super('The pipeline was stopped before it was ready', options);
    this.name = 'StartAbortedError';
  }
}

/** cognito-local asked for a trigger the pipeline has no function for (a trigger outside sign-up). */
export class TriggerNotConfiguredError extends LocalPipelineError {
  public readonly trigger: string;

  public constructor(trigger: string, options?: ErrorOptions) {
    super(
      `${trigger} trigger not configured: the local pool runs ${Object.values(TriggerName).join(', ')}`,
      options,
    );
    this.name = 'TriggerNotConfiguredError';
    this.trigger = trigger;
  }
}
