import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type CognitoClientOptions,
  CognitoRequestError,
  emailFilter,
  lazyCognitoClient,
  listUsersByEmail,
} from '../../shared/cognito-client.js';
import { ConfigurationError } from '../../shared/errors.js';
import { OptionsError } from '../../shared/options.js';
import { cognitoClientFor, useCognitoIdpServer } from '../support/cognito-test-client.js';
import { describeWithMoto } from '../support/moto-server.js';

describe('Shared: lazyCognitoClient', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('returns the same client for every call in one Region', async () => {
    // Prepare
    const cognito = lazyCognitoClient();

    // Act
    const first = await cognito('eu-west-1');
    const second = await cognito('eu-west-1');

    // Assess
    expect(second).toBe(first);
  });

  it("builds one client per Region, configured for the event's Region", async () => {
    // Prepare
    const cognito = lazyCognitoClient();

    // Act
    const ireland = await cognito('eu-west-1');
    const virginia = await cognito('us-east-1');

    // Assess
    expect(virginia).not.toBe(ireland);
    expect([await ireland.config.region(), await virginia.config.region()]).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
  });

  it('falls back to the configured region when the event carries no well-formed Region', async () => {
    // Prepare
    const cognito = lazyCognitoClient({ region: 'ap-southeast-2' });

    // Act
    const client = await cognito('');

    // Assess
    expect(await client.config.region()).toBe('ap-southeast-2');
  });

  it('falls back to AWS_REGION, read on first use', async () => {
    // Prepare
    const cognito = lazyCognitoClient();
    vi.stubEnv('AWS_REGION', 'us-gov-west-1');

    // Act
    const client = await cognito('not a region');

    // Assess
    expect(await client.config.region()).toBe('us-gov-west-1');
  });

  it('throws a ConfigurationError naming AWS_REGION when no Region is known', () => {
    // Prepare
    const cognito = lazyCognitoClient();
    vi.stubEnv('AWS_REGION', '');

    // Act
    let error: unknown;
    try {
      cognito('');
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).variable).toBe('AWS_REGION');
  });

  it('bounds the attempts per call', async () => {
    // Prepare
    const cognito = lazyCognitoClient({ maxAttempts: 3 });

    // Act
    const attempts = await (await cognito('us-east-1')).config.maxAttempts();

    // Assess
    expect(attempts).toBe(3);
  });

  it.each([
    ['a zero connection timeout', { connectionTimeoutMs: 0 }],
    ["a request timeout beyond Cognito's 5 s", { requestTimeoutMs: 6000 }],
    ['four attempts', { maxAttempts: 4 }],
    ['a malformed fallback Region', { region: 'Europe' }],
    ['an endpoint that is not a URL', { endpoint: 'localhost:4566' }],
  ])('throws an OptionsError for %s', (_label, options) => {
    // Prepare
    const build = () => lazyCognitoClient(options);

    // Act / Assess
    expect(build).toThrow(OptionsError);
  });
});

describe('Shared: emailFilter', () => {
  it('escapes quotes and backslashes in the value', () => {
    // Prepare
    const email = 'a"b\\c@example.com';

    // Act
    const filter = emailFilter(email);

    // Assess
    expect(filter).toBe('email = "a\\"b\\\\c@example.com"');
  });

  it('refuses a filter longer than the 256 characters ListUsers accepts', () => {
    // Prepare
    const email = `${'a'.repeat(64)}@${'b'.repeat(182)}.example`;

    // Act
    const filter = emailFilter(email);

    // Assess
    expect(filter).toBeUndefined();
  });
});

describeWithMoto('Shared: listUsersByEmail and the client timeouts (moto)', () => {
  const server = useCognitoIdpServer();
  let poolId: string;

  function client(options: CognitoClientOptions = {}) {
    return cognitoClientFor(server, options)('us-east-1');
  }

  it('finds users under each spelling once, attributes in a Map', async () => {
    // Prepare
    poolId = await server.createPool();
    const user = await server.createNativeUser(poolId, {
      email: 'jane@example.com',
      emailVerified: true,
      status: 'CONFIRMED',
    });

    // Act
    const found = await listUsersByEmail(await client(), {
      userPoolId: poolId,
      emails: ['Jane@Example.com', 'jane@example.com', 'jane@example.com'],
      limit: 5,
      signal: AbortSignal.timeout(4000),
    });

    // Assess
    expect(found.complete).toBe(true);
    expect(found.users).toHaveLength(1);
    expect(found.users[0]).toMatchObject({ username: user.username, status: 'CONFIRMED', enabled: true });
    expect(found.users[0]?.attributes.get('email_verified')).toBe('true');
    expect(server.callsOf('ListUsers')).toHaveLength(2);
  });

  it('reports an incomplete result when a further page exists', async () => {
    // Prepare
    poolId = await server.createPool();
    const spec = { email: 'jane@example.com', emailVerified: true, status: 'CONFIRMED' } as const;
    await server.createNativeUser(poolId, spec);
    await server.createNativeUser(poolId, spec);

    // Act
    const found = await listUsersByEmail(await client(), {
      userPoolId: poolId,
      emails: ['jane@example.com'],
      limit: 1,
      signal: AbortSignal.timeout(4000),
    });

    // Assess
    expect(found.complete).toBe(false);
  });

  it('throws an OptionsError for a limit outside 1–60', async () => {
    // Prepare
    const request = {
      userPoolId: 'us-east-1_EXAMPLE',
      emails: [],
      limit: 61,
      signal: AbortSignal.timeout(100),
    };

    // Act
    const error = await listUsersByEmail(await client(), request).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(OptionsError);
  });

  it('throws a TimeoutError through CognitoRequestError when a request outlives requestTimeoutMs', async () => {
    // Prepare
    server.inject({ operation: 'ListUsers', kind: 'hang' });
    const started = Date.now();

    // Act
    const error = await listUsersByEmail(await client({ requestTimeoutMs: 300, maxAttempts: 1 }), {
      userPoolId: 'us-east-1_EXAMPLE',
      emails: ['jane@example.com'],
      limit: 1,
      signal: AbortSignal.timeout(10_000),
    }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(CognitoRequestError);
    expect((error as CognitoRequestError).errorName).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("never puts the SDK's message, which may quote the filter, into its own", async () => {
    // Prepare
    server.inject({ operation: 'ListUsers', kind: 'error', type: 'InvalidParameterException' });

    // Act
    const error = await listUsersByEmail(await client(), {
      userPoolId: 'us-east-1_EXAMPLE',
      emails: ['jane@example.com'],
      limit: 1,
      signal: AbortSignal.timeout(4000),
    }).catch((caught: unknown) => caught);

    // Assess
    expect((error as Error).message).toBe('ListUsers failed: InvalidParameterException');
  });
});
