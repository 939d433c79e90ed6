/**
 * The EventBridge client post confirmation publishes with, created lazily on first use and bounded as every
 * client is (shared/aws-client.ts): a function whose configuration publishes nothing never loads the SDK.
 */
import type { EventBridgeClient, EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { type AwsClientOptions, type AwsClientProvider, AwsRequestError, awsService } from './aws-client.js';

/** The EventBridge SDK module, loaded on first use. */
export type EventBridgeSdk = typeof import('@aws-sdk/client-eventbridge');

/** Gives the one client of the function (the bus's Region is the function's own). */
export type EventBridgeClientProvider = AwsClientProvider<EventBridgeClient>;

/** Options of {@link lazyEventBridgeClient}. */
export type EventBridgeClientOptions = AwsClientOptions<EventBridgeClientConfig['credentials']>;

const eventBridge = awsService<EventBridgeSdk, EventBridgeClient, EventBridgeClientConfig['credentials']>(
  '@aws-sdk/client-eventbridge',
  (sdk, config) => new sdk.EventBridgeClient(config),
);

/** Loads the EventBridge SDK module the first time it is needed (see load-external-module.ts). */
export const loadEventBridgeSdk: () => Promise<EventBridgeSdk> = eventBridge.loadSdk;

/**
 * A memoised, lazily created {@link EventBridgeClient}.
 *
 * @example
 * const eventBridge = lazyEventBridgeClient({ requestTimeoutMs: 1000 });
 * const client = await eventBridge(); // built now, reused afterwards
 */
export const lazyEventBridgeClient: (options?: EventBridgeClientOptions) => EventBridgeClientProvider =
  eventBridge.lazyClient;

/** The one client of the function, built on the first publish. */
export const defaultEventBridgeClient: EventBridgeClientProvider = lazyEventBridgeClient();

/** An EventBridge call failed, did not answer in time, or refused an entry (`errorName` is its `ErrorCode`). */
export class EventBridgeRequestError extends AwsRequestError {
  public constructor(operation: string, cause: unknown, errorName?: string) {
    super(operation, cause, errorName);
    this.name = 'EventBridgeRequestError';
  }
}
