/**
 * What every AWS SDK client of the triggers shares: created lazily on first use (never at module scope, so a
 * function whose rules never call a service pays nothing at cold start), memoised per Region for the life of
 * the execution environment (warm invocations reuse its keep-alive connections), with explicit connection
 * and request timeouts and bounded retries. Every call is bounded twice: by these timeouts and by the
 * caller's `AbortSignal`, which fires at the invocation deadline (contract §6: Cognito waits 5 s). Each
 * service's SDK module is loaded once, on first use, through load-external-module.ts ({@link awsService}).
 */
import { ConfigurationError, SignUpFault } from './errors.js';
import { loadExternalModule } from './load-external-module.js';
import { checkWhole, OptionsError } from './options.js';

/** Options of {@link lazyAwsClient}, the same for every service. */
export type AwsClientOptions<Credentials = unknown> = {
  /** How long opening the TCP/TLS connection may take. */
  connectionTimeoutMs?: number;
  /** How long one request may take from sending to the whole answer; a breach throws `TimeoutError`. */
  requestTimeoutMs?: number;
  /** Attempts per call, the first included (the SDK retries throttling and 5xx answers with back-off). */
  maxAttempts?: number;
  /**
   * The Region when the caller names none or a malformed one (a Cognito event's `region` is preferred for
   * the pool); `AWS_REGION`, read on first use, when unset.
   */
  region?: string;
  /** Another endpoint (a local server); the SDK also reads `AWS_ENDPOINT_URL_<SERVICE>` itself. */
  endpoint?: string;
  /** Fixed credentials, for a local server only; the Lambda role's credentials otherwise. */
  credentials?: Credentials;
};

/** How far a client's options may go: a trigger's clients must fit Cognito's 5 s, a CLI's need not. */
export type AwsClientLimits = { maxTimeoutMs: number; maxAttempts: number };

/** The configuration handed to the SDK client's constructor. */
export type AwsClientConfig<Credentials = unknown> = {
  region: string;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
  endpoint?: string;
  credentials?: Credentials;
};

/** Gives the client for a Region (or the configured one), building it on the first call for that Region. */
export type AwsClientProvider<Client> = (region?: string) => Promise<Client>;

/** Two attempts of at most 1.5 s each leave room in Cognito's 5 s for the rest of the invocation. */
export const triggerClientDefaults = { connectionTimeoutMs: 1000, requestTimeoutMs: 1500, maxAttempts: 2 };

/** A trigger's clients: nothing may outlive Cognito's 5 s wait. */
export const triggerClientLimits: AwsClientLimits = { maxTimeoutMs: 5000, maxAttempts: 3 };

// Commercial, GovCloud, China and ISO partitions: `us-east-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`.
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** Whether `value` is an AWS Region name such as `us-east-1`. */
export function isRegion(value: unknown): value is string {
  return typeof value === 'string' && REGION.test(value);
}

/**
 * A memoised, lazily created SDK client. Options are checked here, once, at cold start; `construct` (which
 * loads the SDK module and calls its constructor) runs on the first call for a Region. A failed construction
 * is not cached: the next call tries again.
 *
 * @example
 * const dynamodb = lazyAwsClient({ requestTimeoutMs: 1000 }, async (config) => {
 *   const { DynamoDBClient } = await loadDynamoDbSdk();
 *   return new DynamoDBClient(config);
 * });
 * const client = await dynamodb(); // built now, reused afterwards
 */
export function lazyAwsClient<Client, Credentials>(
  options: AwsClientOptions<Credentials>,
  construct: (config: AwsClientConfig<Credentials>) => Promise<Client>,
  limits: AwsClientLimits = triggerClientLimits,
): AwsClientProvider<Client> {
  const settings = { ...triggerClientDefaults, ...options };
  checkWhole('connectionTimeoutMs', settings.connectionTimeoutMs, { min: 1, max: limits.maxTimeoutMs });
  checkWhole('requestTimeoutMs', settings.requestTimeoutMs, { min: 1, max: limits.maxTimeoutMs });
  checkWhole('maxAttempts', settings.maxAttempts, { min: 1, max: limits.maxAttempts });
  if (settings.region !== undefined && !isRegion(settings.region)) {
    throw new OptionsError('region', 'an AWS Region such as us-east-1');
  }
  if (settings.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(settings.endpoint)) {
    throw new OptionsError('endpoint', 'an http(s) URL');
  }
  const clients = new Map<string, Promise<Client>>();

  return function awsClient(preferredRegion?: string): Promise<Client> {
    // The Region is checked synchronously, so a missing one fails before anything is loaded.
    const region = regionFor(preferredRegion, settings.region);
    let client = clients.get(region);
    if (client === undefined) {
      client = construct({
        region,
        maxAttempts: settings.maxAttempts,
        // NodeHttpHandler options, passed through: the SDK builds its handler from them. Without
        // throwOnRequestTimeout a breached requestTimeout is only a logged warning.
        requestHandler: {
          connectionTimeout: settings.connectionTimeoutMs,
          requestTimeout: settings.requestTimeoutMs,
          throwOnRequestTimeout: true,
        },
        ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
        ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
      }).catch((error: unknown) => {
        clients.delete(region);
        throw error;
      });
      clients.set(region, client);
    }
    return client;
  };
}

/** One AWS service as the triggers use it: its SDK module, loaded once, and lazy clients of it. */
export type AwsService<Sdk, Client, Credentials> = {
  /** Loads the service's SDK module the first time it is needed, and gives the same module afterwards. */
  loadSdk: () => Promise<Sdk>;
  /**
   * A memoised, lazily created client ({@link lazyAwsClient}): the service's defaults under `options`.
   * `limits` widens the bounds for a command-line tool; a trigger keeps the default (Cognito's 5 s).
   */
  lazyClient: (
    options?: AwsClientOptions<Credentials>,
    limits?: AwsClientLimits,
  ) => AwsClientProvider<Client>;
};

/**
 * The SDK loader and the client factory of one service. `specifier` is loaded through load-external-module.ts
 * on the first call of `loadSdk` (a client's first use included) and kept, a failed load included.
 * `construct` builds a client from the loaded module.
 *
 * @example
 * const sqs = awsService<SqsSdk, SQSClient, SQSClientConfig['credentials']>(
 *   '@aws-sdk/client-sqs',
 *   (sdk, config) => new sdk.SQSClient(config),
 * );
 * const client = await sqs.lazyClient({ requestTimeoutMs: 1000 })(); // SDK loaded and client built now
 */
export function awsService<Sdk, Client, Credentials>(
  specifier: string,
  construct: (sdk: Sdk, config: AwsClientConfig<Credentials>) => Client,
  serviceDefaults: AwsClientOptions<Credentials> = {},
): AwsService<Sdk, Client, Credentials> {
  let sdk: Promise<Sdk> | undefined;

  function loadSdk(): Promise<Sdk> {
    sdk ??= loadExternalModule<Sdk>(specifier);
    return sdk;
  }

  function lazyClient(
    options: AwsClientOptions<Credentials> = {},
    limits: AwsClientLimits = triggerClientLimits,
  ): AwsClientProvider<Client> {
    return lazyAwsClient(
      { ...serviceDefaults, ...options },
      async (config) => construct(await loadSdk(), config),
      limits,
    );
  }

  return { loadSdk, lazyClient };
}

function regionFor(preferred: string | undefined, configured: string | undefined): string {
  if (isRegion(preferred)) return preferred;
  const fallback = configured ?? process.env.AWS_REGION;
  if (isRegion(fallback)) return fallback;
  throw new ConfigurationError('AWS_REGION', 'an AWS Region such as us-east-1');
}

/**
 * An AWS API call failed, did not answer in time, or was refused. Names the operation and the error class
 * only, never the SDK's message: a validation error may quote its input (an email filter, an item).
 */
export class AwsRequestError extends SignUpFault {
  public readonly operation: string;
  /** The SDK's error name (`TooManyRequestsException`, `TimeoutError`, `AbortError`, …) or a service code. */
  public readonly errorName: string;

  public constructor(operation: string, cause: unknown, errorName?: string) {
    const name = errorName ?? (cause instanceof Error ? cause.name : typeof cause);
    super(`${operation} failed: ${name}`, { cause });
    this.name = 'AwsRequestError';
    this.operation = operation;
    this.errorName = name;
  }
}
