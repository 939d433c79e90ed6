import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type AwsClientConfig, awsService, triggerClientLimits } from '../../../shared/aws-client.js';
import { loadExternalModule } from '../../../shared/load-external-module.js';
import { OptionsError } from '../../../shared/options.js';
import { lazySqsClient, loadSqsSdk } from '../../../shared/sqs-client.js';

// The one place SDK modules are loaded through, replaced by a fake SDK whose clients keep their config.
vi.mock('../../../shared/load-external-module.js', () => ({ loadExternalModule: vi.fn() }));

class FakeClient {
  public constructor(public readonly config: AwsClientConfig) {}
}

const fakeSdk = { FakeClient, SQSClient: FakeClient };
const loadModule = vi.mocked(loadExternalModule);

beforeEach(() => {
  loadModule.mockReset();
  loadModule.mockResolvedValue(fakeSdk);
});

describe('Shared: awsService', () => {
  it('loads its SDK module through loadExternalModule once, however many clients and calls use it', async () => {
    // Prepare
    const service = awsService(
      '@aws-sdk/client-fake',
      (sdk: typeof fakeSdk, config) => new sdk.FakeClient(config),
    );

    // Act
    await service.lazyClient({ region: 'us-east-1' })();
    await service.lazyClient({ region: 'eu-west-1' })();
    const sdk = await service.loadSdk();

    // Assess
    expect(sdk).toBe(fakeSdk);
    expect(loadModule).toHaveBeenCalledTimes(1);
    expect(loadModule).toHaveBeenCalledWith('@aws-sdk/client-fake');
  });

  it('loads nothing until a client or the SDK is asked for', () => {
    // Prepare
    const service = awsService(
      '@aws-sdk/client-fake',
      (sdk: typeof fakeSdk, config) => new sdk.FakeClient(config),
    );

    // Act
    service.lazyClient({ region: 'us-east-1' });

    // Assess
    expect(loadModule).not.toHaveBeenCalled();
  });

  it("builds clients with the service's defaults under the caller's options", async () => {
    // Prepare
    const service = awsService(
      '@aws-sdk/client-fake',
      (sdk: typeof fakeSdk, config) => new sdk.FakeClient(config),
      { connectionTimeoutMs: 500, requestTimeoutMs: 1000 },
    );

    // Act
    const client = await service.lazyClient({ region: 'us-east-1', requestTimeoutMs: 800 })();

    // Assess
    expect(client.config).toEqual({
      region: 'us-east-1',
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 500, requestTimeout: 800, throwOnRequestTimeout: true },
    });
  });

  it("holds a client to a trigger's limits unless wider limits are given", () => {
    // Prepare
    const service = awsService(
      '@aws-sdk/client-fake',
      (sdk: typeof fakeSdk, config) => new sdk.FakeClient(config),
    );
    const options = { region: 'us-east-1', requestTimeoutMs: triggerClientLimits.maxTimeoutMs + 1 };

    // Act
    const trigger = () => service.lazyClient(options);
    const tool = () => service.lazyClient(options, { maxTimeoutMs: 10_000, maxAttempts: 5 });

    // Assess
    expect(trigger).toThrow(OptionsError);
    expect(tool).not.toThrow();
  });
});

describe('Shared: lazySqsClient', () => {
  it("keeps the failure queue's short timeouts as the SQS defaults", async () => {
    // Prepare
    const sqs = lazySqsClient({ region: 'us-east-1' });

    // Act
    const client = (await sqs()) as unknown as FakeClient;

    // Assess
    expect(client.config.requestHandler).toEqual({
      connectionTimeout: 500,
      requestTimeout: 1000,
      throwOnRequestTimeout: true,
    });
    expect(await loadSqsSdk()).toBe(fakeSdk);
  });
});
