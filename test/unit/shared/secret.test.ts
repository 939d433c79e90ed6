import { createServer, type Server, type Socket } from 'node:net';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../../shared/errors.js';
import { OptionsError } from '../../../shared/options.js';
import {
  createSecretSource,
  parseSecretList,
  type SecretSourceOptions,
  SecretUnavailableError,
  secretSourceFromEnv,
} from '../../../shared/secret.js';
import { unusedLoopbackUrl } from '../../support/loopback.js';
import {
  describeWithMoto,
  MOTO_ACCOUNT_ID,
  type MotoServer,
  motoCredentialsEnv,
  startMotoServer,
} from '../../support/moto-server.js';
import { errorOf, rejectionOf } from '../../support/outcomes.js';

const SECRET = 'test-secret-0123456789abcdef-0123456789';
const PREVIOUS = 'previous-secret-0123456789abcdef-012345';
const ARN = `arn:aws:secretsmanager:us-east-1:${MOTO_ACCOUNT_ID}:secret:invite-AbCdEf`;

/** Time enough for any local call. */
const later = () => Date.now() + 4000;
const neverAborted = () => new AbortController().signal;

function stubCredentials(): void {
  for (const [name, value] of Object.entries(motoCredentialsEnv)) vi.stubEnv(name, value);
}

describe('Shared: parseSecretList', () => {
  it('reads a single value as a list of one', () => {
    // Prepare
    const raw = `  ${SECRET}\n`;

    // Act
    const secrets = parseSecretList(raw);

    // Assess
    expect(secrets).toEqual([SECRET]);
  });

  it('reads a JSON array, current first', () => {
    // Prepare
    const raw = JSON.stringify([SECRET, PREVIOUS]);

    // Act
    const secrets = parseSecretList(raw);

    // Assess
    expect(secrets).toEqual([SECRET, PREVIOUS]);
  });

  it('reads one secret per line, ignoring blank lines and surrounding spaces', () => {
    // Prepare
    const raw = `${SECRET}\r\n\n  ${PREVIOUS}  \n`;

    // Act
    const secrets = parseSecretList(raw);

    // Assess
    expect(secrets).toEqual([SECRET, PREVIOUS]);
  });

  it.each([
    ['empty', '  \n '],
    ['a JSON object (a Secrets Manager key/value secret)', `{"secret":"${SECRET}"}`],
    ['a broken JSON array', `["${SECRET}"`],
    ['a JSON array of numbers', '[1, 2]'],
    ['an empty JSON array', '[]'],
    ['more than ten secrets', Array(11).fill(SECRET).join('\n')],
    ['a secret over 4,096 characters', 's'.repeat(4097)],
    ['shorter than the minimum', 'short-but-not-32-bytes'],
  ])('refuses a value that is %s, without quoting it', (_case, raw) => {
    // Prepare (nothing beyond the raw value)

    // Act
    const thrown = errorOf(TypeError, () => parseSecretList(raw, 32));

    // Assess
    expect(thrown).toBeInstanceOf(TypeError);
    expect(thrown.message).not.toContain('short-but');
    expect(thrown.message).not.toContain(SECRET);
  });
});

describe('Shared: createSecretSource (value)', () => {
  it('answers the parsed value', async () => {
    // Prepare
    const source = createSecretSource({ value: JSON.stringify([SECRET, PREVIOUS]) });

    // Act
    const secrets = await source.get(later(), neverAborted());

    // Assess
    expect(secrets).toEqual([SECRET, PREVIOUS]);
  });

  it('answers a copy, so a caller cannot change what the next one gets', async () => {
    // Prepare
    const source = createSecretSource({ value: SECRET });
    (await source.get(later(), neverAborted())).push('injected');

    // Act
    const secrets = await source.get(later(), neverAborted());

    // Assess
    expect(secrets).toEqual([SECRET]);
  });

  it('refuses a value shorter than minBytes at construction, without quoting it', () => {
    // Prepare
    const location = { value: 'short' };

    // Act
    const error = errorOf(OptionsError, () => createSecretSource(location, { minBytes: 32 }));

    // Assess
    expect(error.option).toBe('value');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.message).not.toContain('short');
  });

  it.each([
    ['two locations', { value: SECRET, secretArn: ARN }, 'location'],
    ['no location', {}, 'location'],
    ['an SSM name with spaces', { ssmParameter: '/my secret' }, 'ssmParameter'],
    ['a secret name instead of an ARN', { secretArn: 'invite' }, 'secretArn'],
    [
      'an ARN of another service',
      { secretArn: `arn:aws:ssm:us-east-1:${MOTO_ACCOUNT_ID}:parameter/x` },
      'secretArn',
    ],
  ])('refuses %s at construction with an OptionsError', (_case, location, option) => {
    // Prepare
    const build = () => createSecretSource(location as never);

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error.option).toBe(option);
  });

  it.each([
    ['cacheSeconds', { cacheSeconds: -1 }],
    ['cacheSeconds', { cacheSeconds: 86_401 }],
    ['retrySeconds', { retrySeconds: 0.5 }],
    ['minBytes', { minBytes: 0 }],
    ['requestTimeoutMs', { requestTimeoutMs: 0 }],
    ['requestTimeoutMs', { requestTimeoutMs: 5000 }],
    ['connectionTimeoutMs', { connectionTimeoutMs: 4001 }],
    ['maxAttempts', { maxAttempts: 4 }],
    ['endpoint', { endpoint: 'ftp://127.0.0.1' }],
  ])('refuses an out-of-range %s at construction with an OptionsError', (option, options) => {
    // Prepare
    const build = () => createSecretSource({ ssmParameter: '/invite' }, options);

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error.option).toBe(option);
  });
});

describe('Shared: secretSourceFromEnv', () => {
  it('answers undefined when none of the three variables is set', () => {
    // Prepare
    const env = { INVITE_SECRET: '  ' };

    // Act
    const source = secretSourceFromEnv(env, 'INVITE_SECRET');

    // Assess
    expect(source).toBeUndefined();
  });

  it.each([
    ['INVITE_SECRET', SECRET, 'value'],
    ['INVITE_SECRET_SSM_PARAMETER', '/cognito/invite-secret', 'ssm'],
    [
      'INVITE_SECRET_SSM_PARAMETER',
      `arn:aws:ssm:eu-west-1:${MOTO_ACCOUNT_ID}:parameter/cognito/invite`,
      'ssm',
    ],
    ['INVITE_SECRET_ARN', ARN, 'secrets-manager'],
  ])('reads %s as a source of kind %s', (name, value, kind) => {
    // Prepare
    const env = { [name]: value };

    // Act
    const source = secretSourceFromEnv(env, 'INVITE_SECRET');

    // Assess
    expect(source?.kind).toBe(kind);
  });

  it('refuses two locations at once, naming both variables', () => {
    // Prepare
    const env = { CAPTCHA_SECRET: SECRET, CAPTCHA_SECRET_ARN: ARN };

    // Act
    const act = () => secretSourceFromEnv(env, 'CAPTCHA_SECRET');

    // Assess
    expect(act).toThrow(
      expect.objectContaining({
        name: 'ConfigurationError',
        variable: 'CAPTCHA_SECRET and CAPTCHA_SECRET_ARN',
      }),
    );
  });

  it.each([
    ['INVITE_SECRET', { INVITE_SECRET: 'too-short' }],
    ['INVITE_SECRET_SSM_PARAMETER', { INVITE_SECRET_SSM_PARAMETER: 'has spaces' }],
    ['INVITE_SECRET_ARN', { INVITE_SECRET_ARN: 'invite' }],
    ['INVITE_SECRET_CACHE_SECONDS', { INVITE_SECRET: SECRET, INVITE_SECRET_CACHE_SECONDS: 'soon' }],
    ['INVITE_SECRET_CACHE_SECONDS', { INVITE_SECRET: SECRET, INVITE_SECRET_CACHE_SECONDS: '86401' }],
  ])('names %s when its value is unusable', (variable, env) => {
    // Prepare (nothing beyond the environment)

    // Act
    const thrown = errorOf(ConfigurationError, () =>
      secretSourceFromEnv(env, 'INVITE_SECRET', { minBytes: 32 }),
    );

    // Assess
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect(thrown).toMatchObject({ variable });
    expect(thrown.message).not.toContain('too-short');
  });

  it('says the range of <PREFIX>_CACHE_SECONDS, as the factory checks it', () => {
    // Prepare
    const env = { INVITE_SECRET: SECRET, INVITE_SECRET_CACHE_SECONDS: '-1' };

    // Act
    const thrown = errorOf(ConfigurationError, () => secretSourceFromEnv(env, 'INVITE_SECRET'));

    // Assess
    expect(thrown).toMatchObject({
      variable: 'INVITE_SECRET_CACHE_SECONDS',
      expected: 'a whole number from 0 to 86400',
    });
  });

  it('keeps a bad option of the caller an OptionsError: the environment is not at fault', () => {
    // Prepare
    const env = { INVITE_SECRET: SECRET };

    // Act
    const thrown = errorOf(OptionsError, () => secretSourceFromEnv(env, 'INVITE_SECRET', { maxAttempts: 9 }));

    // Assess
    expect(thrown.option).toBe('maxAttempts');
  });

  it('refuses a prefix that is not a variable name with an OptionsError', () => {
    // Prepare
    const env = {};

    // Act
    const thrown = errorOf(OptionsError, () => secretSourceFromEnv(env, 'invite secret'));

    // Assess
    expect(thrown.option).toBe('prefix');
  });
});

describe('Shared: createSecretSource (bounded fetches)', () => {
  // A TCP server that accepts connections and never answers: every request hangs until someone gives up.
  let silent: Server;
  let endpoint: string;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    stubCredentials();
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    endpoint = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    vi.unstubAllEnvs();
  });

  it('rejects with SecretUnavailableError by the deadline when the store does not answer', async () => {
    // Prepare
    const source = createSecretSource(
      { ssmParameter: '/invite' },
      { endpoint, requestTimeoutMs: 4000, maxAttempts: 3 },
    );
    const started = Date.now();

    // Act
    const error = await rejectionOf(source.get(started + 300, neverAborted()));

    // Assess
    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('gives up when the caller aborts, well before its own timeouts', async () => {
    // Prepare
    const source = createSecretSource(
      { secretArn: ARN },
      { endpoint, requestTimeoutMs: 4000, maxAttempts: 3 },
    );
    const started = Date.now();

    // Act
    const error = await rejectionOf(source.get(started + 10_000, AbortSignal.timeout(200)));

    // Assess
    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('ends an attempt at requestTimeoutMs rather than waiting for the deadline', async () => {
    // Prepare
    const source = createSecretSource(
      { ssmParameter: '/invite' },
      { endpoint, requestTimeoutMs: 200, maxAttempts: 1 },
    );
    const started = Date.now();

    // Act
    const error = await rejectionOf(source.get(started + 10_000, neverAborted()));

    // Assess
    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('rejects at once when the deadline has already passed', async () => {
    // Prepare
    const source = createSecretSource({ ssmParameter: '/invite' }, { endpoint });

    // Act
    const error = await rejectionOf(source.get(Date.now() - 1, neverAborted()));

    // Assess
    expect(error).toMatchObject({ name: 'SecretUnavailableError', source: 'ssm', location: '/invite' });
  });

  it('rejects when nothing listens on the endpoint', async () => {
    // Prepare
    const source = createSecretSource({ ssmParameter: '/invite' }, { endpoint: await unusedLoopbackUrl() });

    // Act
    const error = await rejectionOf(source.get(later(), neverAborted()));

    // Assess
    expect(error).toBeInstanceOf(SecretUnavailableError);
  });
});

describeWithMoto('Shared: createSecretSource (against moto)', () => {
  let server: MotoServer;
  let ssm: SSMClient;
  let secretsManager: SecretsManagerClient;
  let counter = 0;
  /** A parameter name no other test uses. */
  const uniqueName = () => {
    counter += 1;
    return `/test/secret-${counter}`;
  };
  const putParameter = (name: string, value: string, type: 'SecureString' | 'String' = 'SecureString') =>
    ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }));

  /**
   * A source over a new SSM parameter holding SECRET, cached for 60 s unless `options` say otherwise, read
   * once at the time `clock.now`, which the test then moves on.
   */
  async function cachedSource(options: SecretSourceOptions = {}) {
    const name = uniqueName();
    await putParameter(name, SECRET);
    const clock = { now: 1_000_000 };
    const source = createSecretSource(
      { ssmParameter: name },
      { endpoint: server.endpoint, cacheSeconds: 60, clock: () => clock.now, ...options },
    );
    await source.get(later(), neverAborted());
    return { name, source, clock };
  }

  beforeAll(async () => {
    stubCredentials();
    server = await startMotoServer();
    ssm = new SSMClient({ endpoint: server.endpoint });
    secretsManager = new SecretsManagerClient({ endpoint: server.endpoint });
  });

  afterAll(async () => {
    ssm?.destroy();
    secretsManager?.destroy();
    await server?.stop();
    vi.unstubAllEnvs();
  });

  it('reads an SSM SecureString parameter', async () => {
    // Prepare
    const name = uniqueName();
    await putParameter(name, SECRET);
    const source = createSecretSource({ ssmParameter: name }, { endpoint: server.endpoint });

    // Act
    const secrets = await source.get(later(), neverAborted());

    // Assess
    expect(secrets).toEqual([SECRET]);
  });

  it('reads a rotation list stored as a JSON array', async () => {
    // Prepare
    const name = uniqueName();
    await putParameter(name, JSON.stringify([SECRET, PREVIOUS]));
    const source = createSecretSource({ ssmParameter: name }, { endpoint: server.endpoint });

    // Act
    const secrets = await source.get(later(), neverAborted());

    // Assess
    expect(secrets).toEqual([SECRET, PREVIOUS]);
  });

  it('reads a Secrets Manager secret by ARN', async () => {
    // Prepare
    const created = await secretsManager.send(
      new CreateSecretCommand({ Name: `invite-${Date.now()}`, SecretString: `${SECRET}\n${PREVIOUS}` }),
    );
    const source = createSecretSource({ secretArn: created.ARN ?? '' }, { endpoint: server.endpoint });

    // Act
    const secrets = await source.get(later(), neverAborted());

    // Assess
    expect(secrets).toEqual([SECRET, PREVIOUS]);
  });

  it('refuses a Secrets Manager key/value secret instead of using the JSON as a key', async () => {
    // Prepare
    const created = await secretsManager.send(
      new CreateSecretCommand({
        Name: `json-${Date.now()}`,
        SecretString: JSON.stringify({ secret: SECRET }),
      }),
    );
    const source = createSecretSource({ secretArn: created.ARN ?? '' }, { endpoint: server.endpoint });

    // Act
    const error = await rejectionOf(source.get(later(), neverAborted()));

    // Assess
    expect(error).toBeInstanceOf(SecretUnavailableError);
  });

  it('serves the cached value until cacheSeconds have passed', async () => {
    // Prepare
    const { name, source, clock } = await cachedSource();
    await putParameter(name, PREVIOUS);
    clock.now += 59_999;

    // Act
    const secrets = await source.get(later(), neverAborted());

    // Assess
    expect(secrets).toEqual([SECRET]);
  });

  it('fetches again once cacheSeconds have passed', async () => {
    // Prepare
    const { name, source, clock } = await cachedSource();
    await putParameter(name, PREVIOUS);
    clock.now += 60_000;

    // Act
    const secrets = await source.get(later(), neverAborted());

    // Assess
    expect(secrets).toEqual([PREVIOUS]);
  });

  it('keeps serving the cached value, with a warning, when a refresh fails', async () => {
    // Prepare
    const logger = { warn: vi.fn() };
    const { name, source, clock } = await cachedSource({ logger });
    await ssm.send(new DeleteParameterCommand({ Name: name }));
    clock.now += 60_000;

    // Act
    const secrets = await source.get(later(), neverAborted());

    // Assess
    expect(secrets).toEqual([SECRET]);
    expect(logger.warn).toHaveBeenCalledWith(
      'secret refresh failed; serving the cached value',
      expect.objectContaining({ source: 'ssm', location: name }),
    );
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain(SECRET);
  });

  it('waits retrySeconds after a failed refresh before trying again', async () => {
    // Prepare
    const logger = { warn: vi.fn() };
    const { name, source, clock } = await cachedSource({ retrySeconds: 30, logger });
    await ssm.send(new DeleteParameterCommand({ Name: name }));
    clock.now += 60_000;
    await source.get(later(), neverAborted());
    await putParameter(name, PREVIOUS);
    clock.now += 29_999;

    // Act
    const secrets = await source.get(later(), neverAborted());

    // Assess
    expect(secrets).toEqual([SECRET]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('rejects with SecretUnavailableError when the parameter does not exist and nothing is cached', async () => {
    // Prepare
    const source = createSecretSource({ ssmParameter: '/test/missing' }, { endpoint: server.endpoint });

    // Act
    const error = await rejectionOf(source.get(later(), neverAborted()));

    // Assess
    expect(error).toMatchObject({ name: 'SecretUnavailableError', source: 'ssm', location: '/test/missing' });
  });

  it('refuses a stored value shorter than minBytes', async () => {
    // Prepare
    const name = uniqueName();
    await putParameter(name, 'short');
    const source = createSecretSource({ ssmParameter: name }, { endpoint: server.endpoint, minBytes: 32 });

    // Act
    const error = await rejectionOf(source.get(later(), neverAborted()));

    // Assess
    expect(error).toBeInstanceOf(SecretUnavailableError);
  });

  it('warns once when the parameter is a plain String rather than a SecureString', async () => {
    // Prepare
    const name = uniqueName();
    await putParameter(name, SECRET, 'String');
    const logger = { warn: vi.fn() };
    const source = createSecretSource(
      { ssmParameter: name },
      { endpoint: server.endpoint, cacheSeconds: 0, logger },
    );
    await source.get(later(), neverAborted());

    // Act
    await source.get(later(), neverAborted());

    // Assess
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith('secret parameter is not a SecureString', {
      parameter: name,
      type: 'String',
    });
  });
});
