/**
 * The SQS client of post confirmation's failure queue (and of the replay tool that drains it), created lazily
 * on first use and bounded as every client is (shared/aws-client.ts): an invocation whose actions all
 * succeed never loads the SDK.
 */
import type { SQSClient, SQSClientConfig } from '@aws-sdk/client-sqs';
import {
  type AwsClientLimits,
  type AwsClientOptions,
  type AwsClientProvider,
  AwsRequestError,
  awsService,
} from './aws-client.js';

/** The SQS SDK module, loaded on first use. */
export type SqsSdk = typeof import('@aws-sdk/client-sqs');

/** Gives the one client of the process, building it on the first call. */
export type SqsClientProvider = AwsClientProvider<SQSClient>;

/** Options of {@link lazySqsClient}. */
export type SqsClientOptions = AwsClientOptions<SQSClientConfig['credentials']>;

const sqs = awsService<SqsSdk, SQSClient, SQSClientConfig['credentials']>(
  '@aws-sdk/client-sqs',
  (sdk, config) => new sdk.SQSClient(config),
  // The failure queue is the last thing an invocation does, in the time the engine kept back for it.
  { connectionTimeoutMs: 500, requestTimeoutMs: 1000 },
);

/** Loads the SQS SDK module the first time it is needed (see load-external-module.ts). */
export const loadSqsSdk: () => Promise<SqsSdk> = sqs.loadSdk;

/**
 * A memoised, lazily created {@link SQSClient}. `limits` widens the bounds for a command-line tool (the
 * replay tool); a trigger keeps the default, which fits Cognito's 5 s.
 *
 * @example
 * const sqs = lazySqsClient({ requestTimeoutMs: 800 });
 * const client = await sqs(); // built now, reused afterwards
 */
export const lazySqsClient: (options?: SqsClientOptions, limits?: AwsClientLimits) => SqsClientProvider =
  sqs.lazyClient;

/** An SQS call failed or did not answer in time. Names the operation and the error class only. */
export class SqsRequestError extends AwsRequestError {
  public constructor(operation: string, cause: unknown) {
    super(operation, cause);
    this.name = 'SqsRequestError';
  }
}
