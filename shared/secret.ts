/**
 * Secrets for the triggers (the invite HMAC key, the captcha provider secret): from the environment for
 * local runs, or from an SSM SecureString parameter or a Secrets Manager secret in AWS, cached across
 * invocations and fetched within the invocation's deadline (contract §6: Cognito waits 5 s).
 *
 * **Value format** (the same wherever it is stored): one secret, or several for key rotation, current first:
 * - a JSON array of strings: `["current-secret…", "previous-secret…"]`, or
 * - one secret per line (blank lines ignored, each line trimmed).
 * A value starting with `{` (a Secrets Manager key/value secret) is refused rather than used as a key.
 *
 * The AWS SDK clients are imported on the first fetch (never at cold start when the secret is a plain
 * value), created once, with bounded timeouts and attempts; every call gets the invocation's abort signal.
 * Tests point them at a local server through the `endpoint` option (the SDK's own `AWS_ENDPOINT_URL_SSM` /
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER` variables work too, but the option is what this project documents).
 */
import { type Env, readString, readWholeNumber } from './config.js';
import { boundedSignal, withDeadline } from './deadline.js';
import { ConfigurationError, DeadlineExceededError, SignUpFault } from './errors.js';
import { loadExternalModule } from './load-external-module.js';
import { loggableError } from './log-error.js';
import { logger as sharedLogger } from './observability.js';
import { checkWhole, configureFrom, OptionsError } from './options.js';

/** Where a secret lives: exactly one of a literal value, an SSM parameter, or a Secrets Manager ARN. */
export type SecretLocation = { value: string } | { ssmParameter: string } | { secretArn: string };

/** Which kind of store a {@link SecretSource} reads. */
export type SecretKind = 'value' | 'ssm' | 'secrets-manager';

/** Options of {@link createSecretSource}. */
export type SecretSourceOptions = {
  /** How long a fetched value is used before it is fetched again, across invocations (0 = every call). */
  cacheSeconds?: number;
  /** After a failed refresh that fell back on the cached value, how long to wait before trying again. */
  retrySeconds?: number;
  /** Shortest acceptable secret, in UTF-8 bytes (invites need 32). */
  minBytes?: number;
  /** Service endpoint override (`http://127.0.0.1:5000` for moto in tests, a VPC endpoint in AWS). */
  endpoint?: string;
  /** Region of the SSM parameter when it is a name; ARNs carry their own region. Default: the SDK's. */
  region?: string;
  /** Per-attempt limit on the whole request and response. */
  requestTimeoutMs?: number;
  /** Per-attempt limit on opening the connection. */
  connectionTimeoutMs?: number;
  /** SDK attempts per fetch (1 = no retry). */
  maxAttempts?: number;
  logger?: Pick<typeof sharedLogger, 'warn'>;
  /** Epoch milliseconds, for the cache; tests move it. */
  clock?: () => number;
};

/** A secret (or a rotation list of secrets) that can be read within a deadline. */
export type SecretSource = {
  readonly kind: SecretKind;
  /**
   * The secrets, current first. Resolves from the cache while it is fresh; otherwise fetches, settling by
   * `deadline` (epoch ms) and aborting with `signal`. On a failed refresh it serves the last good value
   * (with a logged warning); with none, it rejects with {@link SecretUnavailableError}.
   */
  get(deadline: number, signal: AbortSignal): Promise<string[]>;
};

/** A secret could not be read and there is no earlier value to fall back on. Never carries the secret. */
export class SecretUnavailableError extends SignUpFault {
  public readonly source: SecretKind;
  /** The parameter name or secret ARN (configuration, not the secret). */
  public readonly location: string;

  public constructor(source: SecretKind, location: string, reason: string, options?: ErrorOptions) {
    super(`Secret unavailable from ${source} ${location}: ${reason}`, options);
    this.name = 'SecretUnavailableError';
    this.source = source;
    this.location = location;
  }
}

const defaults = {
  cacheSeconds: 300,
  retrySeconds: 30,
  minBytes: 1,
  requestTimeoutMs: 1500,
  connectionTimeoutMs: 500,
  maxAttempts: 2,
};

/** Bounds of the value format. */
export const SecretLimits = { maxSecrets: 10, maxSecretLength: 4096, maxCacheSeconds: 86_400 } as const;

const SSM_PARAMETER = /^(?:arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter)?[A-Za-z0-9_.\-/]{1,2048}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

/**
 * Reads a stored value as a list of secrets (see the module comment for the format).
 *
 * @throws {TypeError} naming what is wrong, never quoting the value.
 */
export function parseSecretList(raw: string, minBytes = 1): string[] {
  const text = raw.trim();
  let items: unknown[];
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) throw new TypeError('not an array');
      items = parsed;
    } catch {
      throw new TypeError('The secret looks like a JSON array but is not one');
    }
  } else if (text.startsWith('{')) {
    throw new TypeError('The secret is a JSON object; store a plain value, a JSON array or one per line');
  } else {
    items = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }
  if (items.length === 0) throw new TypeError('The secret is empty');
  if (items.length > SecretLimits.maxSecrets) {
    throw new TypeError(`The secret lists more than ${SecretLimits.maxSecrets} values`);
  }
  return items.map((item, index) => {
    if (typeof item !== 'string') throw new TypeError(`Secret #${index + 1} is not a string`);
    if (item.length > SecretLimits.maxSecretLength) {
      throw new TypeError(`Secret #${index + 1} is longer than ${SecretLimits.maxSecretLength} characters`);
    }
    if (Buffer.byteLength(item, 'utf8') < minBytes) {
      throw new TypeError(`Secret #${index + 1} is shorter than ${minBytes} bytes`);
    }
    return item;
  });
}

type Settings = typeof defaults & Omit<SecretSourceOptions, keyof typeof defaults>;

/** Fetches the raw stored value once. */
type Fetcher = (signal: AbortSignal) => Promise<string>;

/** What the SSM and Secrets Manager clients are built with: same endpoint, retries and timeouts. */
function sdkClientConfig(settings: Settings, region: string | undefined) {
  return {
    ...(region === undefined ? {} : { region }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    maxAttempts: settings.maxAttempts,
    // NodeHttpHandler options, passed through: the SDK builds its handler from them.
    requestHandler: {
      requestTimeout: settings.requestTimeoutMs,
      connectionTimeout: settings.connectionTimeoutMs,
      // Without it a request timeout is only a logged warning and the call keeps waiting.
      throwOnRequestTimeout: true,
    },
  };
}

function ssmFetcher(name: string, settings: Settings): Fetcher {
  const region = name.startsWith('arn:') ? name.split(':')[3] : settings.region;
  let loading:
    | Promise<{ send: (signal: AbortSignal) => Promise<{ value?: string; type?: string }> }>
    | undefined;
  let warnedType = false;
  const load = async () => {
    const { SSMClient, GetParameterCommand } =
      await loadExternalModule<typeof import('@aws-sdk/client-ssm')>('@aws-sdk/client-ssm');
    const client = new SSMClient(sdkClientConfig(settings, region));
    const command = new GetParameterCommand({ Name: name, WithDecryption: true });
    return {
      send: async (signal: AbortSignal) => {
        const { Parameter } = await client.send(command, { abortSignal: signal });
        return { value: Parameter?.Value, type: Parameter?.Type };
      },
    };
  };
  return async (signal) => {
    loading ??= load();
    const client = await loading.catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    const { value, type } = await client.send(signal);
    if (value === undefined) throw new TypeError('The parameter has no value');
    if (type !== 'SecureString' && !warnedType) {
      warnedType = true;
      (settings.logger ?? sharedLogger).warn('secret parameter is not a SecureString', {
        parameter: name,
        type,
      });
    }
    return value;
  };
}

function secretsManagerFetcher(arn: string, settings: Settings): Fetcher {
  const region = SECRET_ARN.exec(arn)?.[1];
  let loading: Promise<{ send: (signal: AbortSignal) => Promise<string | undefined> }> | undefined;
  const load = async () => {
    const { SecretsManagerClient, GetSecretValueCommand } = await loadExternalModule<
      typeof import('@aws-sdk/client-secrets-manager')
    >('@aws-sdk/client-secrets-manager');
    const client = new SecretsManagerClient(sdkClientConfig(settings, region));
    const command = new GetSecretValueCommand({ SecretId: arn });
    return {
      send: async (signal: AbortSignal) => (await client.send(command, { abortSignal: signal })).SecretString,
    };
  };
  return async (signal) => {
    loading ??= load();
    const client = await loading.catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    const value = await client.send(signal);
    if (value === undefined)
      throw new TypeError('The secret has no SecretString (binary secrets are not supported)');
    return value;
  };
}

/** The options merged over the defaults, each checked. */
function settingsOf(options: SecretSourceOptions): Settings {
  const settings: Settings = { ...defaults, ...options };
  checkWhole('cacheSeconds', settings.cacheSeconds, { min: 0, max: SecretLimits.maxCacheSeconds });
  checkWhole('retrySeconds', settings.retrySeconds, { min: 0, max: SecretLimits.maxCacheSeconds });
  checkWhole('minBytes', settings.minBytes, { min: 1, max: SecretLimits.maxSecretLength });
  checkWhole('requestTimeoutMs', settings.requestTimeoutMs, { min: 1, max: 4000 });
  checkWhole('connectionTimeoutMs', settings.connectionTimeoutMs, { min: 1, max: 4000 });
  checkWhole('maxAttempts', settings.maxAttempts, { min: 1, max: 3 });
  if (
    settings.endpoint !== undefined &&
    (typeof settings.endpoint !== 'string' || !/^https?:\/\/[^\s/]+(?:\/\S*)?$/.test(settings.endpoint))
  ) {
    throw new OptionsError('endpoint', 'an http(s) URL');
  }
  return settings;
}

/**
 * A secret source for one location, validated once (at cold start). A literal value is parsed here; the
 * stores are read on the first {@link SecretSource.get}.
 *
 * @throws OptionsError naming the location key (`value`, `ssmParameter`, `secretArn`) or the option at fault;
 * never quoting a secret.
 * @example
 * const inviteSecrets = createSecretSource({ ssmParameter: '/cognito/invite-secret' }, { cacheSeconds: 300 });
 * const secrets = await inviteSecrets.get(context.deadline, context.signal); // current first
 */
export function createSecretSource(
  location: SecretLocation,
  options: SecretSourceOptions = {},
): SecretSource {
  const settings = settingsOf(options);
  const kinds = Object.keys(location).filter((key) => ['value', 'ssmParameter', 'secretArn'].includes(key));
  if (kinds.length !== 1) {
    throw new OptionsError('location', 'exactly one of value, ssmParameter or secretArn');
  }

  if ('value' in location) {
    const expected = `a secret of at least ${settings.minBytes} bytes, or a JSON array or newline-separated list of them`;
    if (typeof location.value !== 'string') throw new OptionsError('value', expected);
    let secrets: string[];
    try {
      secrets = parseSecretList(location.value, settings.minBytes);
    } catch (error) {
      // The parse error names what is wrong (never the secret): kept as the cause.
      throw new OptionsError('value', expected, { cause: error });
    }
    return {
      kind: 'value',
      get: async () => [...secrets],
    };
  }

  let kind: SecretKind;
  let where: string;
  let fetchValue: Fetcher;
  if ('ssmParameter' in location) {
    if (typeof location.ssmParameter !== 'string' || !SSM_PARAMETER.test(location.ssmParameter)) {
      throw new OptionsError('ssmParameter', 'an SSM parameter name or ARN');
    }
    kind = 'ssm';
    where = location.ssmParameter;
    fetchValue = ssmFetcher(where, settings);
  } else {
    if (typeof location.secretArn !== 'string' || !SECRET_ARN.test(location.secretArn)) {
      throw new OptionsError('secretArn', 'a Secrets Manager secret ARN');
    }
    kind = 'secrets-manager';
    where = location.secretArn;
    fetchValue = secretsManagerFetcher(where, settings);
  }

  const clock = settings.clock ?? Date.now;
  const log = settings.logger ?? sharedLogger;
  let cache: { secrets: string[]; freshUntil: number } | undefined;

  async function refresh(deadline: number, signal: AbortSignal): Promise<string[]> {
    const budget = deadline - Date.now();
    if (budget <= 0) throw new DeadlineExceededError(`fetch secret from ${kind}`, 0);
    // Aborts at the caller's signal or at the deadline, whichever comes first.
    const bounded = boundedSignal(signal, budget);
    try {
      const raw = await withDeadline(`fetch secret from ${kind}`, deadline, fetchValue(bounded.signal));
      return parseSecretList(raw, settings.minBytes);
    } finally {
      bounded.clear();
    }
  }

  return {
    kind,
    async get(deadline: number, signal: AbortSignal): Promise<string[]> {
      const now = clock();
      if (cache !== undefined && now < cache.freshUntil) return [...cache.secrets];
      try {
        const secrets = await refresh(deadline, signal);
        cache = { secrets, freshUntil: now + settings.cacheSeconds * 1000 };
        return [...secrets];
      } catch (error) {
        if (cache === undefined) {
          throw new SecretUnavailableError(kind, where, 'the fetch failed and nothing is cached', {
            cause: error,
          });
        }
        cache.freshUntil = now + settings.retrySeconds * 1000;
        log.warn('secret refresh failed; serving the cached value', {
          source: kind,
          location: where,
          retryInSeconds: settings.retrySeconds,
          error: loggableError(error),
        });
        return [...cache.secrets];
      }
    },
  };
}

/**
 * The secret source configured by `<PREFIX>`, `<PREFIX>_SSM_PARAMETER` or `<PREFIX>_ARN` (exactly one of
 * them, or none: `undefined`), cached for `<PREFIX>_CACHE_SECONDS` (default 300, 0–86,400).
 * Used with `INVITE_SECRET` and `CAPTCHA_SECRET`. The values are checked by {@link createSecretSource}.
 *
 * @throws {ConfigurationError} naming the variable at fault; an {@link OptionsError} for a bad `options`
 * (the caller's bug, not the environment's).
 * @example
 * const inviteSecrets = secretSourceFromEnv(process.env, 'INVITE_SECRET', { minBytes: 32 });
 */
export function secretSourceFromEnv(
  env: Env,
  prefix: string,
  options: Omit<SecretSourceOptions, 'cacheSeconds'> = {},
): SecretSource | undefined {
  if (!/^[A-Z][A-Z0-9_]*$/.test(prefix)) throw new OptionsError('prefix', 'an environment variable name');
  const names = { value: prefix, ssmParameter: `${prefix}_SSM_PARAMETER`, secretArn: `${prefix}_ARN` };
  const set = (Object.keys(names) as (keyof typeof names)[]).filter(
    (key) => readString(env, names[key], '') !== '',
  );
  if (set.length > 1) {
    throw new ConfigurationError(
      set.map((key) => names[key]).join(' and '),
      `only one of ${names.value}, ${names.ssmParameter} or ${names.secretArn}`,
    );
  }
  const [key] = set;
  if (key === undefined) return undefined;
  const cacheVariable = `${prefix}_CACHE_SECONDS`;
  const cacheSeconds = readWholeNumber(env, cacheVariable, defaults.cacheSeconds);
  const raw = readString(env, names[key], '');
  const location: SecretLocation =
    key === 'value' ? { value: raw } : key === 'ssmParameter' ? { ssmParameter: raw } : { secretArn: raw };
  // The location and the cache time come from the environment: their options errors name the variable. Any
  // other options error is the caller's bug and stays one.
  const declaration = {
    owner: prefix,
    variables: [
      { name: names[key], option: key },
      { name: cacheVariable, option: 'cacheSeconds' },
    ],
  };
  return configureFrom(declaration, () => createSecretSource(location, { ...options, cacheSeconds }));
}
