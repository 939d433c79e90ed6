/**
 * Rule 6 of pre sign-up, captcha: a self sign-up (`PreSignUp_SignUp`) must carry a captcha token in
 * ValidationData key `captchaToken`, verified server-side with the provider's "siteverify" API inside
 * Cognito's 5-second budget (contract §6). Not applied to AdminCreateUser (an admin decided) or ExternalProvider (the identity provider
 * authenticated the user). The providers' APIs are in ../captcha/provider.ts, the call and its fail-open
 * policy in ../captcha/transport.ts, the reading of the answer in ../captcha/verdict.ts.
 */
import { ValidationDataFields, ValidationDataKey } from '../../../shared/caller-keys.js';
import {
  type Env,
  readBoolean,
  readChoice,
  readList,
  readString,
  readWholeNumber,
} from '../../../shared/config.js';
import { ConfigurationError } from '../../../shared/errors.js';
import type { PreSignUpEvent } from '../../../shared/event-types.js';
import type { Rule } from '../../../shared/handler-core.js';
import { createMetadataReader } from '../../../shared/metadata.js';
import { logger } from '../../../shared/observability.js';
import { checkWhole, OptionsError } from '../../../shared/options.js';
import { type SecretSource, secretSourceFromEnv } from '../../../shared/secret.js';
import { CallerValue, declareSettings, SettingValue } from '../../../shared/settings.js';
import { TriggerSource } from '../../../shared/trigger-source.js';
import {
  CaptchaMisconfiguredError,
  CaptchaRequiredError,
  CaptchaUnavailableError,
} from '../captcha/errors.js';
import { CaptchaProvider, captchaProviders, captchaVerifyUrls } from '../captcha/provider.js';
import { createCaptchaTransport, verifyUrlProblem } from '../captcha/transport.js';
import { createVerdictJudge, normalizeHostnameEntry, verdictOf } from '../captcha/verdict.js';

/**
 * Where the provider secret comes from: `createSecretSource` / `secretSourceFromEnv` of shared/secret.ts,
 * or a fixed value in tests. The first secret is the current one.
 */
export type CaptchaSecretSource = Pick<SecretSource, 'get'>;

/** Options of {@link verifyCaptcha}. */
export type VerifyCaptchaOptions = {
  provider: CaptchaProvider;
  /** Overrides the provider's endpoint (tests, proxies): https, or http to a loopback host only. */
  verifyUrl?: string;
  /** Upper bound of the verify call, 100–4000 ms; the call never outlives the invocation deadline. */
  timeoutMs?: number;
  /** Let sign-ups through when the provider is unavailable (logged as a warning). Default: fail closed. */
  failOpen?: boolean;
  /** Host names the challenge must have been solved on (`example.com`, `*.example.com`); empty: any. */
  expectedHostnames?: readonly string[];
  /** The widget action the reply must carry (reCAPTCHA v3, Turnstile). */
  expectedAction?: string;
  /** reCAPTCHA v3: the lowest acceptable score, 0.0–1.0, applied when the reply carries a score. */
  minScore?: number;
};

/** What {@link verifyCaptcha} needs from outside. */
export type VerifyCaptchaDependencies = {
  secret: CaptchaSecretSource;
  /** Defaults to the global `fetch`, looked up at call time. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Defaults to `Date.now`. */
  now?: () => number;
  logger?: Pick<typeof logger, 'info' | 'warn' | 'error'>;
};

const defaults = {
  timeoutMs: 1500,
  failOpen: false,
  expectedHostnames: [] as readonly string[],
  expectedAction: undefined as string | undefined,
  minScore: 0.5,
};

/** Bounds of `timeoutMs` / `CAPTCHA_TIMEOUT_MS`. */
export const CaptchaTimeoutBounds = { min: 100, max: 4000 } as const;

// reCAPTCHA: letters, digits, slashes, underscores; Turnstile: letters, digits, `_` and `-` (32 at most).
const ACTION_PATTERN = /^[A-Za-z0-9_/-]{1,100}$/;

// The field apps are told (shared/caller-keys.ts).
const readValidationData = createMetadataReader('validationData', {
  [ValidationDataKey.CaptchaToken]: ValidationDataFields.captchaToken,
});

function isMinScore(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 1;
}

function checkOptions(settings: typeof defaults & VerifyCaptchaOptions): void {
  if (!captchaProviders.includes(settings.provider)) {
    throw new OptionsError('provider', `one of ${captchaProviders.join(', ')}`);
  }
  if (settings.verifyUrl !== undefined) {
    const problem = verifyUrlProblem(settings.verifyUrl);
    if (problem !== undefined) throw new OptionsError('verifyUrl', problem);
  }
  checkWhole('timeoutMs', settings.timeoutMs, CaptchaTimeoutBounds);
  if (typeof settings.failOpen !== 'boolean') throw new OptionsError('failOpen', 'a boolean');
  for (const entry of settings.expectedHostnames) {
    if (normalizeHostnameEntry(entry) === undefined) {
      throw new OptionsError(
        'expectedHostnames',
        'a list of host names (example.com, *.example.com, localhost)',
      );
    }
  }
  if (settings.expectedAction !== undefined) {
    if (!ACTION_PATTERN.test(settings.expectedAction)) {
      throw new OptionsError('expectedAction', 'letters, digits, "_", "-" or "/" (1–100)');
    }
    if (settings.provider === CaptchaProvider.Hcaptcha) {
      throw new OptionsError('expectedAction', 'unset for hcaptcha (its reply carries no action)');
    }
  }
  if (!isMinScore(settings.minScore)) throw new OptionsError('minScore', 'a number from 0.0 to 1.0');
}

/**
 * Requires a verified captcha token on every self sign-up (`PreSignUp_SignUp`); skips AdminCreateUser and
 * ExternalProvider.
 *
 * - No token (ValidationData absent, key absent or empty): {@link CaptchaRequiredError} (CAPTCHA_REQUIRED).
 *   A token over 2,048 characters or with characters no provider issues: METADATA_INVALID.
 * - The provider says no, or the reply's hostname / action / reCAPTCHA score is not what is expected:
 *   {@link CaptchaFailedError} (CAPTCHA_FAILED), reason and `error-codes` in its fields and the log.
 * - The provider is down or throttling (a connection refused, reset or dropped, a timeout, HTTP 429 or an
 *   outage 5xx, Turnstile's `internal-error`): {@link CaptchaUnavailableError}, a fault the engine answers
 *   with SIGNUP_UNAVAILABLE; with `failOpen` the sign-up goes through and `captcha provider unavailable:
 *   failing open` is logged as a warning.
 * - Anything else that keeps a verdict from arriving (a redirect, which is never followed, another 4xx, a
 *   2xx that is not a verdict or is too large, an answer that is not HTTP), and a missing or refused
 *   secret: {@link CaptchaMisconfiguredError}, a fault, never failed open.
 *
 * The call is bounded by `min(timeoutMs, deadline - now - 100 ms)` and by the invocation's signal. The token
 * and the secret are never logged and never appear in an error.
 *
 * @example
 * const rule = verifyCaptcha(
 *   { provider: 'turnstile', expectedHostnames: ['app.example.com'], expectedAction: 'signup' },
 *   { secret: createSecretSource({ value: process.env.CAPTCHA_SECRET }) },
 * );
 */
export function verifyCaptcha(
  options: VerifyCaptchaOptions,
  dependencies: VerifyCaptchaDependencies,
): Rule<PreSignUpEvent> {
  const settings = { ...defaults, ...options };
  checkOptions(settings);
  if (typeof dependencies?.secret?.get !== 'function') {
    throw new OptionsError('dependencies.secret', 'a secret source with a get() method');
  }
  const { provider, failOpen } = settings;
  const secretSource = dependencies.secret;
  const log = dependencies.logger ?? logger;
  const askProvider = createCaptchaTransport({
    provider,
    verifyUrl: settings.verifyUrl ?? captchaVerifyUrls[provider],
    timeoutMs: settings.timeoutMs,
    fetch: dependencies.fetch ?? ((url: string, init: RequestInit) => fetch(url, init)),
    now: dependencies.now ?? Date.now,
  });
  const judgeVerdict = createVerdictJudge({
    provider,
    expectedHostnames: settings.expectedHostnames,
    expectedAction: settings.expectedAction,
    minScore: settings.minScore,
    logger: log,
  });

  return async function verifyCaptcha(event, context) {
    if (event.triggerSource !== TriggerSource.PreSignUpSignUp) return 'skipped';
    // validationData is null when the caller sent none (contract §2): that is a missing token.
    const token = readValidationData(event.request.validationData)[ValidationDataKey.CaptchaToken];
    if (token === undefined || token === '') throw new CaptchaRequiredError(provider);
    const [secret] = await secretSource.get(context.deadline, context.signal);
    if (secret === undefined || secret === '') {
      throw new CaptchaMisconfiguredError(provider, 'secret-unavailable');
    }
    try {
      judgeVerdict(verdictOf(provider, await askProvider(token, secret, context)));
    } catch (error) {
      if (!(failOpen && error instanceof CaptchaUnavailableError)) throw error;
      log.warn('captcha provider unavailable: failing open', {
        provider,
        reason: error.reason,
        status: error.status,
      });
    }
    return 'pass';
  };
}

/** What {@link verifyCaptchaFromEnv} reads: the factory's two arguments. */
export type VerifyCaptchaConfig = {
  options: VerifyCaptchaOptions;
  dependencies: VerifyCaptchaDependencies;
};

// Only the format: the range is the factory's to check (OptionsError, mapped to CAPTCHA_MIN_SCORE).
function readMinScore(env: Env): number {
  const raw = readString(env, 'CAPTCHA_MIN_SCORE', '');
  if (raw === '') return defaults.minScore;
  if (!/^-?\d+(?:\.\d+)?$/.test(raw))
    throw new ConfigurationError('CAPTCHA_MIN_SCORE', 'a number from 0.0 to 1.0');
  return Number(raw);
}

/**
 * Reads the rule's configuration once, at cold start; `undefined` when `CAPTCHA_PROVIDER` is `none` (the
 * default), so the rule is not in the chain at all.
 *
 * `CAPTCHA_PROVIDER` (none|turnstile|recaptcha|hcaptcha), `CAPTCHA_SECRET` or `CAPTCHA_SECRET_SSM_PARAMETER`
 * or `CAPTCHA_SECRET_ARN` (+ `CAPTCHA_SECRET_CACHE_SECONDS`), `CAPTCHA_VERIFY_URL`, `CAPTCHA_TIMEOUT_MS`
 * (1500; 100–4000), `CAPTCHA_FAIL_OPEN` (false), `CAPTCHA_EXPECTED_HOSTNAMES`, `CAPTCHA_EXPECTED_ACTION`,
 * `CAPTCHA_MIN_SCORE` (0.5). A bad value throws a {@link ConfigurationError} naming the variable.
 *
 * @example
 * const captcha = verifyCaptchaFromEnv(process.env);
 * const rules = [...(captcha ? [verifyCaptcha(captcha.options, captcha.dependencies)] : [])];
 */
export function verifyCaptchaFromEnv(env: Env): VerifyCaptchaConfig | undefined {
  const provider = readChoice(env, 'CAPTCHA_PROVIDER', ['none', ...captchaProviders], 'none');
  // Every setting is read (and so parsed) even while captcha is off; the factory checks the values when it is on.
  const secret = secretSourceFromEnv(env, 'CAPTCHA_SECRET');
  if (secret === undefined && provider !== 'none') {
    throw new ConfigurationError(
      'CAPTCHA_SECRET',
      `set (or CAPTCHA_SECRET_SSM_PARAMETER or CAPTCHA_SECRET_ARN) when CAPTCHA_PROVIDER is ${provider}`,
    );
  }
  // Values are only read here; the factory checks them (configureFrom names the variable of a bad one).
  const verifyUrl = readString(env, 'CAPTCHA_VERIFY_URL', '');
  const timeoutMs = readWholeNumber(env, 'CAPTCHA_TIMEOUT_MS', defaults.timeoutMs);
  const failOpen = readBoolean(env, 'CAPTCHA_FAIL_OPEN', defaults.failOpen);
  const expectedHostnames = readList(env, 'CAPTCHA_EXPECTED_HOSTNAMES');
  const expectedAction = readString(env, 'CAPTCHA_EXPECTED_ACTION', '');
  const minScore = readMinScore(env);
  if (provider === 'none' || secret === undefined) return undefined;
  return {
    options: {
      provider,
      ...(verifyUrl === '' ? {} : { verifyUrl }),
      timeoutMs,
      failOpen,
      expectedHostnames,
      ...(expectedAction === '' ? {} : { expectedAction }),
      minScore,
    },
    dependencies: { secret },
  };
}

// The check is on when a provider is chosen; only then does the verify URL matter offline.
function captchaOn(env: Readonly<Record<string, string>>): boolean {
  const provider = env.CAPTCHA_PROVIDER ?? '';
  return provider !== '' && provider !== 'none';
}

/**
 * The captcha provider an environment turns on, or `undefined` while captcha is off: for tools that must know
 * it without configuring the rule (the recorder of `npm start --record`, local/record.ts).
 */
export function captchaProviderOf(env: Env): string | undefined {
  const provider = env.CAPTCHA_PROVIDER?.trim() ?? '';
  return provider === '' || provider === 'none' ? undefined : provider;
}

/** `env` with captcha turned off: an offline replay cannot ask the provider about a token again. */
export function withCaptchaOff(env: Readonly<Record<string, string>>): Record<string, string> {
  return { ...env, CAPTCHA_PROVIDER: 'none' };
}

/** What {@link verifyCaptcha} reads (shared/settings.ts). */
export const verifyCaptchaSettings = declareSettings({
  owner: 'verifyCaptcha',
  variables: [
    { name: 'CAPTCHA_PROVIDER', option: 'provider' },
    {
      name: 'CAPTCHA_SECRET',
      secret: { fake: 'recorded-fake-captcha-secret-not-for-production', says: 'a fake captcha secret' },
    },
    { name: 'CAPTCHA_SECRET_SSM_PARAMETER', secret: true },
    { name: 'CAPTCHA_SECRET_ARN', secret: true },
    { name: 'CAPTCHA_SECRET_CACHE_SECONDS' },
    {
      name: 'CAPTCHA_VERIFY_URL',
      option: 'verifyUrl',
      calls: {
        service: 'captcha provider',
        // Offline no provider answers: a loopback port nothing listens on fails at once, as an outage. The
        // default URL would be the real provider on the internet.
        offline: {
          value: 'http://127.0.0.1:2/siteverify',
          says: 'the captcha provider unreachable',
          when: (env) => captchaOn(env) || (env.CAPTCHA_VERIFY_URL ?? '') !== '',
        },
      },
    },
    { name: 'CAPTCHA_TIMEOUT_MS', option: 'timeoutMs' },
    { name: 'CAPTCHA_FAIL_OPEN', option: 'failOpen', value: SettingValue.Boolean },
    { name: 'CAPTCHA_EXPECTED_HOSTNAMES', option: 'expectedHostnames' },
    { name: 'CAPTCHA_EXPECTED_ACTION', option: 'expectedAction' },
    { name: 'CAPTCHA_MIN_SCORE', option: 'minScore' },
  ],
  validationData: [{ key: ValidationDataKey.CaptchaToken, value: CallerValue.CaptchaToken }],
});
