/**
 * The SES v2 client custom email senders send with, created lazily on first use and bounded as every client
 * is (shared/aws-client.ts). A custom sender runs asynchronously, outside Cognito's 5-second wait, but its
 * calls keep the triggers' bounds all the same: an SES request that has not answered in 3 s is better
 * retried by Lambda than waited for.
 */
import type { SESv2Client, SESv2ClientConfig } from '@aws-sdk/client-sesv2';
import { type AwsClientOptions, type AwsClientProvider, awsService } from '../aws-client.js';

/** The SES v2 SDK module, loaded on first use. */
export type SesSdk = typeof import('@aws-sdk/client-sesv2');

/** Gives the client for a Region (the function's own when none is named), built on first use. */
export type SesClientProvider = AwsClientProvider<SESv2Client>;

/** Options of {@link lazySesClient}. */
export type SesClientOptions = AwsClientOptions<SESv2ClientConfig['credentials']>;

const ses = awsService<SesSdk, SESv2Client, SESv2ClientConfig['credentials']>(
  '@aws-sdk/client-sesv2',
  (sdk, config) => new sdk.SESv2Client(config),
  // The SDK retries throttling, 5xx and network errors once (two attempts in all). A retried SendEmail whose
  // first answer was lost may send twice: send-once.ts bounds Lambda's retries, not the SDK's.
  { connectionTimeoutMs: 1000, requestTimeoutMs: 3000 },
);

/** Loads the SES v2 SDK module the first time it is needed (see load-external-module.ts). */
export const loadSesSdk: () => Promise<SesSdk> = ses.loadSdk;

/**
 * A memoised, lazily created {@link SESv2Client}.
 *
 * @example
 * const ses = lazySesClient({ endpoint: 'http://127.0.0.1:5000' });
 * const client = await ses(); // built now, reused afterwards
 */
export const lazySesClient: (options?: SesClientOptions) => SesClientProvider = ses.lazyClient;

/** The one SES client of the function, built on the first send. */
export const defaultSesClient: SesClientProvider = lazySesClient();
