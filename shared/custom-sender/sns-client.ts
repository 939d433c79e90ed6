/**
 * The SNS client custom SMS senders publish with, created lazily on first use and bounded as every client is
 * (shared/aws-client.ts).
 */
import type { SNSClient, SNSClientConfig } from '@aws-sdk/client-sns';
import { type AwsClientOptions, type AwsClientProvider, awsService } from '../aws-client.js';

/** The SNS SDK module, loaded on first use. */
export type SnsSdk = typeof import('@aws-sdk/client-sns');

/** Gives the client for a Region (the function's own when none is named), built on first use. */
export type SnsClientProvider = AwsClientProvider<SNSClient>;

/** Options of {@link lazySnsClient}. */
export type SnsClientOptions = AwsClientOptions<SNSClientConfig['credentials']>;

const sns = awsService<SnsSdk, SNSClient, SNSClientConfig['credentials']>(
  '@aws-sdk/client-sns',
  (sdk, config) => new sdk.SNSClient(config),
  // As for SES (ses-client.ts): two attempts, and a retried Publish whose answer was lost may send twice.
  { connectionTimeoutMs: 1000, requestTimeoutMs: 3000 },
);

/** Loads the SNS SDK module the first time it is needed (see load-external-module.ts). */
export const loadSnsSdk: () => Promise<SnsSdk> = sns.loadSdk;

/**
 * A memoised, lazily created {@link SNSClient}.
 *
 * @example
 * const sns = lazySnsClient({ endpoint: 'http://127.0.0.1:5000' });
 * const client = await sns(); // built now, reused afterwards
 */
export const lazySnsClient: (options?: SnsClientOptions) => SnsClientProvider = sns.lazyClient;

/** The one SNS client of the function, built on the first send. */
export const defaultSnsClient: SnsClientProvider = lazySnsClient();
