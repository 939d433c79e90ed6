/**
 * The DynamoDB client post confirmation writes the profile with, created lazily on first use and bounded as
 * every client is (shared/aws-client.ts). The table lives beside the function, so the Region is the
 * function's own (`AWS_REGION`), not the event's.
 */
import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { type AwsClientOptions, type AwsClientProvider, AwsRequestError, awsService } from './aws-client.js';

/** Gives the one DynamoDB client of the execution environment. Tests inject `() => client`. */
export type DynamoDbClientProvider = AwsClientProvider<DynamoDBClient>;

/** The DynamoDB SDK module, loaded on first use. */
export type DynamoDbSdk = typeof import('@aws-sdk/client-dynamodb');

/** Options of {@link lazyDynamoDbClient}. */
export type DynamoDbClientOptions = AwsClientOptions<DynamoDBClientConfig['credentials']>;

const dynamoDb = awsService<DynamoDbSdk, DynamoDBClient, DynamoDBClientConfig['credentials']>(
  '@aws-sdk/client-dynamodb',
  (sdk, config) => new sdk.DynamoDBClient(config),
);

/** Loads the DynamoDB SDK module the first time an action needs it (see load-external-module.ts). */
export const loadDynamoDbSdk: () => Promise<DynamoDbSdk> = dynamoDb.loadSdk;

/**
 * A memoised, lazily created {@link DynamoDBClient}.
 *
 * @example
 * const dynamodb = lazyDynamoDbClient({ requestTimeoutMs: 1000 });
 * const client = await dynamodb(); // built now, reused afterwards
 */
export const lazyDynamoDbClient: (options?: DynamoDbClientOptions) => DynamoDbClientProvider =
  dynamoDb.lazyClient;

/** The one DynamoDB client a function shares, built on the first call that needs it. */
export const defaultDynamoDbClient: DynamoDbClientProvider = lazyDynamoDbClient();

/** A DynamoDB call failed or did not answer in time. Names the operation and the error class only. */
export class DynamoDbRequestError extends AwsRequestError {
  public constructor(operation: string, cause: unknown) {
    super(operation, cause);
    this.name = 'DynamoDbRequestError';
  }
}
