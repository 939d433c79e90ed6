import fc from 'fast-check';
import { describe, expect, it, type Mock, vi } from 'vitest';
import { MetadataInvalidError, SignUpRejection } from '../../../../../shared/errors.js';
import type { PreSignUpEvent } from '../../../../../shared/event-types.js';
import { OptionsError, optionalRule } from '../../../../../shared/options.js';
import {
  CaptchaFailedError,
  CaptchaMisconfiguredError,
  CaptchaRequiredError,
  CaptchaUnavailableError,
} from '../../../../../triggers/pre-sign-up/captcha/errors.js';
import {
  type CaptchaProvider,
  captchaVerifyUrls,
} from '../../../../../triggers/pre-sign-up/captcha/provider.js';
import {
  captchaProviderOf,
  type VerifyCaptchaDependencies,
  type VerifyCaptchaOptions,
  verifyCaptcha,
  verifyCaptchaFromEnv,
  verifyCaptchaSettings,
  withCaptchaOff,
} from '../../../../../triggers/pre-sign-up/rules/verify-captcha.js';
import { hostileText, mapKey } from '../../../../support/arbitraries.js';
import { preSignUpEvent, preSignUpResponse, ruleContext } from '../../../../support/builders.js';
import { everythingLogged, spyLogger } from '../../../../support/logger-spies.js';
import { rejectionOf, settledOutcomeOf } from '../../../../support/outcomes.js';

const secretValue = 'unit-test-captcha-secret';
const token = 'pass.0aZ-_~+/=:*9';

type FetchStub = (url: string, init: RequestInit) => Promise<Response>;
type SecretStub = { get: Mock<(deadline: number, signal: AbortSignal) => Promise<string[]>> };

/** A JSON reply as the providers send it. */
function jsonReply(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A fetch stub answering `reply()` to every call. */
function fetchAnswering(reply: () => Response | Promise<Response>) {
  return vi.fn<FetchStub>(async () => reply());
}

/** A fetch stub that only settles when the request's signal aborts, as a provider that never answers. */
function fetchHanging() {
  return vi.fn<FetchStub>(
    (_url, init) =>
      new Promise<Response>((_resolve, reject) => {
        // As fetch does: an already aborted signal rejects at once, a later abort when it happens.
        if (init.signal?.aborted) reject(init.signal.reason);
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
      }),
  );
}

/** What fetch rejects with when the connection fails: `TypeError(message)` whose `cause` is the socket's error. */
function undiciError(message: 'fetch failed' | 'terminated', cause: unknown): TypeError {
  return new TypeError(message, { cause });
}

/** undici's SocketError, which covers both a dropped connection and a broken answer. */
function socketError(message: string): Error {
  return Object.assign(new Error(message), { name: 'SocketError', code: 'UND_ERR_SOCKET' });
}

/** A secret source serving `secrets`, as shared/secret.ts's `get` does. */
function secretSource(secrets: string[] = [secretValue]): SecretStub {
  return { get: vi.fn(async () => [...secrets]) };
}

/** A rule with a stubbed provider and a spy logger. */
function captchaRule(
  options: Partial<VerifyCaptchaOptions> = {},
  dependencies: { fetch?: Mock<FetchStub>; secret?: SecretStub } = {},
) {
  const logger = spyLogger();
  const fetch = dependencies.fetch ?? fetchAnswering(() => jsonReply({ success: true, 'error-codes': [] }));
  const secret = dependencies.secret ?? secretSource();
  const rule = verifyCaptcha({ provider: 'turnstile', ...options }, { logger, fetch, secret });
  return { rule, logger, fetch, secret };
}

/** A self sign-up carrying `captchaToken` (none when `undefined`). */
function signUpWith(captchaToken: string | undefined): PreSignUpEvent {
  return preSignUpEvent({
    request: { validationData: captchaToken === undefined ? null : { captchaToken } },
  });
}

describe('Rule: verifyCaptcha (construction)', () => {
  it.each<[string, Partial<VerifyCaptchaOptions>]>([
    ['an unknown provider', { provider: 'friendlycaptcha' as CaptchaProvider }],
    ['a timeout under 100 ms', { timeoutMs: 99 }],
    ['a timeout over 4000 ms', { timeoutMs: 4001 }],
    ['a fractional timeout', { timeoutMs: 1500.5 }],
    ['a minimum score under 0', { minScore: -0.1 }],
    ['a minimum score over 1', { minScore: 1.1 }],
    ['a minimum score that is not a number', { minScore: Number.NaN }],
    ['a verify URL that is not a URL', { verifyUrl: 'siteverify' }],
    ['an http verify URL to a remote host', { verifyUrl: 'http://captcha.example.com/siteverify' }],
    ['a verify URL of another scheme', { verifyUrl: 'ftp://127.0.0.1/siteverify' }],
    ['a verify URL with credentials', { verifyUrl: 'https://user:pass@captcha.example.com/siteverify' }],
    ['a hostname entry that is not a host name', { expectedHostnames: ['app.example.com', 'not a host'] }],
    ['an action with a space', { expectedAction: 'sign up' }],
    ['an action for hcaptcha, whose reply has none', { provider: 'hcaptcha', expectedAction: 'signup' }],
    ['a failOpen that is not a boolean', { failOpen: 'yes' as unknown as boolean }],
  ])('throws an OptionsError for %s', (_label, options) => {
    // Prepare
    const build = () => verifyCaptcha({ provider: 'turnstile', ...options }, { secret: secretSource() });

    // Act
    const act = build;

    // Assess
    expect(act).toThrow(OptionsError);
  });

  it('throws an OptionsError without a secret source', () => {
    // Prepare
    const dependencies = {} as VerifyCaptchaDependencies;

    // Act
    const act = () => verifyCaptcha({ provider: 'recaptcha' }, dependencies);

    // Assess
    expect(act).toThrow(OptionsError);
  });

  it.each([
    'http://127.0.0.1:8080/siteverify',
    'http://127.1.2.3/siteverify',
    'http://localhost:9000/siteverify',
    'http://[::1]:9000/siteverify',
    'https://captcha-proxy.example.com/siteverify',
  ])('accepts the verify URL %s', (verifyUrl) => {
    // Prepare
    const options: VerifyCaptchaOptions = { provider: 'hcaptcha', verifyUrl };

    // Act
    const act = () => verifyCaptcha(options, { secret: secretSource() });

    // Assess
    expect(act).not.toThrow();
  });

  it('returns a rule named verifyCaptcha, the name logs and SHADOW_RULES use', () => {
    // Prepare
    const options: VerifyCaptchaOptions = { provider: 'turnstile' };

    // Act
    const rule = verifyCaptcha(options, { secret: secretSource() });

    // Assess
    expect(rule.name).toBe('verifyCaptcha');
  });
});

/** The rule as pre sign-up's trigger.ts builds it: read, then checked by the factory, errors named by variable. */
function configured(env: Record<string, string>) {
  return optionalRule(verifyCaptchaSettings, verifyCaptchaFromEnv(env), (captcha) =>
    verifyCaptcha(captcha.options, captcha.dependencies),
  );
}

describe('Rule: verifyCaptchaFromEnv', () => {
  it('parses its settings even while captcha is off, so an unreadable value fails the cold start today', () => {
    // Prepare: the range (100–4000) is the factory's, which only runs once captcha is on, as for every rule
    const environment = { CAPTCHA_PROVIDER: 'none', CAPTCHA_TIMEOUT_MS: 'soon' };

    // Act
    const read = () => verifyCaptchaFromEnv(environment);

    // Assess
    expect(read).toThrow(expect.objectContaining({ variable: 'CAPTCHA_TIMEOUT_MS' }));
  });

  it.each([
    ['unset', {}],
    ['none', { CAPTCHA_PROVIDER: 'none', CAPTCHA_SECRET: secretValue }],
  ])('returns undefined (rule off) when CAPTCHA_PROVIDER is %s', (_label, env) => {
    // Prepare
    const environment: Record<string, string> = env;

    // Act
    const config = verifyCaptchaFromEnv(environment);

    // Assess
    expect(config).toBeUndefined();
  });

  it('reads every variable into the options', () => {
    // Prepare
    const env = {
      CAPTCHA_PROVIDER: 'recaptcha',
      CAPTCHA_SECRET: secretValue,
      CAPTCHA_VERIFY_URL: 'http://127.0.0.1:9999/recaptcha/api/siteverify',
      CAPTCHA_TIMEOUT_MS: '2000',
      CAPTCHA_FAIL_OPEN: 'true',
      CAPTCHA_EXPECTED_HOSTNAMES: 'app.example.com, *.example.org',
      CAPTCHA_EXPECTED_ACTION: 'signup',
      CAPTCHA_MIN_SCORE: '0.7',
    };

    // Act
    const config = verifyCaptchaFromEnv(env);

    // Assess
    expect(config?.options).toEqual({
      provider: 'recaptcha',
      verifyUrl: 'http://127.0.0.1:9999/recaptcha/api/siteverify',
      timeoutMs: 2000,
      failOpen: true,
      expectedHostnames: ['app.example.com', '*.example.org'],
      expectedAction: 'signup',
      minScore: 0.7,
    });
  });

  it('applies the defaults: 1500 ms, fail closed, any hostname, no action, score 0.5', () => {
    // Prepare
    const env = { CAPTCHA_PROVIDER: 'turnstile', CAPTCHA_SECRET: secretValue };

    // Act
    const config = verifyCaptchaFromEnv(env);

    // Assess
    expect(config?.options).toEqual({
      provider: 'turnstile',
      timeoutMs: 1500,
      failOpen: false,
      expectedHostnames: [],
      minScore: 0.5,
    });
  });

  it('reads the secret through the shared secret loader', async () => {
    // Prepare
    const config = verifyCaptchaFromEnv({ CAPTCHA_PROVIDER: 'hcaptcha', CAPTCHA_SECRET: secretValue });

    // Act
    const secrets = await config?.dependencies.secret.get(Date.now() + 1000, AbortSignal.timeout(1000));

    // Assess
    expect(secrets).toEqual([secretValue]);
  });

  it('throws a ConfigurationError naming CAPTCHA_SECRET when a provider has no secret', () => {
    // Prepare
    const env = { CAPTCHA_PROVIDER: 'turnstile' };

    // Act
    const act = () => verifyCaptchaFromEnv(env);

    // Assess
    expect(act).toThrow(expect.objectContaining({ name: 'ConfigurationError', variable: 'CAPTCHA_SECRET' }));
  });

  it.each([
    ['CAPTCHA_PROVIDER', 'friendlycaptcha'],
    ['CAPTCHA_VERIFY_URL', 'http://captcha.example.com/siteverify'],
    ['CAPTCHA_VERIFY_URL', 'not a url'],
    ['CAPTCHA_TIMEOUT_MS', '5000'],
    ['CAPTCHA_TIMEOUT_MS', '99'],
    ['CAPTCHA_TIMEOUT_MS', 'soon'],
    ['CAPTCHA_FAIL_OPEN', 'maybe'],
    ['CAPTCHA_EXPECTED_HOSTNAMES', 'app.example.com,not a host'],
    ['CAPTCHA_EXPECTED_ACTION', 'sign up'],
    ['CAPTCHA_MIN_SCORE', '1.5'],
    ['CAPTCHA_MIN_SCORE', '-0.5'],
    ['CAPTCHA_MIN_SCORE', 'high'],
  ])('throws a ConfigurationError naming %s for %j, through the settings declaration', (variable, value) => {
    // Prepare
    const env = { CAPTCHA_PROVIDER: 'recaptcha', CAPTCHA_SECRET: secretValue, [variable]: value };

    // Act
    const act = () => configured(env);

    // Assess
    expect(act).toThrow(expect.objectContaining({ name: 'ConfigurationError', variable }));
  });

  it('throws a ConfigurationError naming CAPTCHA_EXPECTED_ACTION with hcaptcha', () => {
    // Prepare
    const env = {
      CAPTCHA_PROVIDER: 'hcaptcha',
      CAPTCHA_SECRET: secretValue,
      CAPTCHA_EXPECTED_ACTION: 'signup',
    };

    // Act
    const act = () => configured(env);

    // Assess
    expect(act).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', variable: 'CAPTCHA_EXPECTED_ACTION' }),
    );
  });
});

describe('Rule: verifyCaptcha (trigger sources)', () => {
  it.each(['PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'] as const)(
    'skips %s without reading the secret or calling the provider',
    async (triggerSource) => {
      // Prepare
      const { rule, fetch, secret } = captchaRule();
      const event = preSignUpEvent({ triggerSource, request: { validationData: null } });

      // Act
      const outcome = await rule(event, ruleContext());

      // Assess
      expect({ outcome, fetched: fetch.mock.calls.length, secretRead: secret.get.mock.calls.length }).toEqual(
        {
          outcome: 'skipped',
          fetched: 0,
          secretRead: 0,
        },
      );
    },
  );
});

describe('Rule: verifyCaptcha (token)', () => {
  it.each([
    ['validationData is null (none sent, contract §2)', null],
    ['validationData is empty', {}],
    ['the key is absent', { invite: 'abc' }],
    ['the token is empty, as a form sends an unfinished widget', { captchaToken: '' }],
  ])('rejects with CAPTCHA_REQUIRED when %s', async (_label, validationData) => {
    // Prepare
    const { rule } = captchaRule();
    const event = preSignUpEvent({ request: { validationData } });

    // Act
    const error = await rejectionOf(rule(event, ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(CaptchaRequiredError);
    expect((error as CaptchaRequiredError).message).toBe(
      'CAPTCHA_REQUIRED: Please complete the captcha challenge.',
    );
  });

  it('does not call the provider for a missing token', async () => {
    // Prepare
    const { rule, fetch } = captchaRule();

    // Act
    await rejectionOf(rule(signUpWith(undefined), ruleContext()));

    // Assess
    expect(fetch).not.toHaveBeenCalled();
  });

  it.each([
    ['longer than the ValidationData limit of 2048', 'a'.repeat(2049)],
    ['with a space', 'pass token'],
    ['with a control character', 'pass\u0000'],
    ['with non-ASCII letters', 'pässe'],
  ])('rejects a token %s with METADATA_INVALID', async (_label, captchaToken) => {
    // Prepare
    const { rule } = captchaRule();

    // Act
    const error = await rejectionOf(rule(signUpWith(captchaToken), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(MetadataInvalidError);
    expect((error as MetadataInvalidError).key).toBe('captchaToken');
  });

  it('sends a token of exactly 2048 characters to the provider', async () => {
    // Prepare
    const { rule, fetch } = captchaRule();

    // Act
    await rule(signUpWith('a'.repeat(2048)), ruleContext());

    // Assess
    expect(fetch).toHaveBeenCalledOnce();
  });
});

describe('Rule: verifyCaptcha (request)', () => {
  it.each(['turnstile', 'recaptcha', 'hcaptcha'] as const)(
    'posts to the documented %s endpoint when no URL is configured',
    async (provider) => {
      // Prepare
      const { rule, fetch } = captchaRule({ provider });

      // Act
      await rule(signUpWith(token), ruleContext());

      // Assess
      expect(fetch.mock.calls[0]?.[0]).toBe(captchaVerifyUrls[provider]);
    },
  );

  it('posts the secret and the token form-encoded, never following a redirect', async () => {
    // Prepare
    const { rule, fetch } = captchaRule();

    // Act
    await rule(signUpWith(token), ruleContext());

    // Assess
    const init = fetch.mock.calls[0]?.[1];
    expect({
      method: init?.method,
      redirect: init?.redirect,
      body: Object.fromEntries(init?.body as URLSearchParams),
    }).toEqual({ method: 'POST', redirect: 'manual', body: { secret: secretValue, response: token } });
  });

  it('uses the current secret when the source lists several for rotation', async () => {
    // Prepare
    const { rule, fetch } = captchaRule({}, { secret: secretSource(['current', 'previous']) });

    // Act
    await rule(signUpWith(token), ruleContext());

    // Assess
    const body = fetch.mock.calls[0]?.[1].body as URLSearchParams | undefined;
    expect(body?.get('secret')).toBe('current');
  });

  it("hands the invocation's deadline and signal to the secret source", async () => {
    // Prepare
    const { rule, secret } = captchaRule();
    const context = ruleContext();

    // Act
    await rule(signUpWith(token), context);

    // Assess
    expect(secret.get).toHaveBeenCalledWith(context.deadline, context.signal);
  });

  it('gives up after timeoutMs when the provider does not answer', async () => {
    // Prepare
    const { rule } = captchaRule({ timeoutMs: 100 }, { fetch: fetchHanging() });
    const started = Date.now();

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext(4700)));

    // Assess
    expect({ reason: (error as CaptchaUnavailableError).reason, quick: Date.now() - started < 2000 }).toEqual(
      {
        reason: 'timeout',
        quick: true,
      },
    );
  });

  it('gives up before the invocation deadline when it is nearer than timeoutMs', async () => {
    // Prepare
    const { rule } = captchaRule({ timeoutMs: 4000 }, { fetch: fetchHanging() });
    const started = Date.now();

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext(400, new AbortController().signal)));

    // Assess
    expect({ reason: (error as CaptchaUnavailableError).reason, quick: Date.now() - started < 2000 }).toEqual(
      {
        reason: 'timeout',
        quick: true,
      },
    );
  });

  it("aborts the call when the invocation's signal aborts", async () => {
    // Prepare
    const { rule } = captchaRule({ timeoutMs: 4000 }, { fetch: fetchHanging() });
    const controller = new AbortController();
    const pending = rejectionOf(rule(signUpWith(token), ruleContext(4700, controller.signal)));

    // Act
    controller.abort();

    // Assess
    expect(await pending).toBeInstanceOf(CaptchaUnavailableError);
  });

  it('does not call the provider when the deadline leaves no time', async () => {
    // Prepare
    const { rule, fetch } = captchaRule();

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext(50)));

    // Assess
    expect({ reason: (error as CaptchaUnavailableError).reason, fetched: fetch.mock.calls.length }).toEqual({
      reason: 'no-time-left',
      fetched: 0,
    });
  });
});

describe('Rule: verifyCaptcha (verdict)', () => {
  it('passes on a successful verdict', async () => {
    // Prepare
    const { rule } = captchaRule();

    // Act
    const outcome = await rule(signUpWith(token), ruleContext());

    // Assess
    expect(outcome).toBe('pass');
  });

  it("rejects with CAPTCHA_FAILED and the provider's error codes when success is false", async () => {
    // Prepare
    const { rule } = captchaRule(
      {},
      {
        fetch: fetchAnswering(() => jsonReply({ success: false, 'error-codes': ['invalid-input-response'] })),
      },
    );

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(CaptchaFailedError);
    expect(error).toMatchObject({
      message: 'CAPTCHA_FAILED: The captcha challenge could not be verified. Please try again.',
      reason: 'unsuccessful',
      errorCodes: ['invalid-input-response'],
    });
  });

  it('keeps at most ten error codes and replaces odd ones', async () => {
    // Prepare
    const codes = ['has space', ...Array.from({ length: 12 }, (_, index) => `code-${index}`)];
    const { rule } = captchaRule(
      {},
      { fetch: fetchAnswering(() => jsonReply({ success: false, 'error-codes': codes })) },
    );

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect((error as CaptchaFailedError).errorCodes).toEqual([
      'unrecognised',
      ...Array.from({ length: 9 }, (_, index) => `code-${index}`),
    ]);
  });

  it('logs the reason and error codes of a rejection', async () => {
    // Prepare
    const { rule, logger } = captchaRule(
      {},
      { fetch: fetchAnswering(() => jsonReply({ success: false, 'error-codes': ['timeout-or-duplicate'] })) },
    );

    // Act
    await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(logger.info).toHaveBeenCalledWith(
      'captcha rejected',
      expect.objectContaining({ reason: 'unsuccessful', errorCodes: ['timeout-or-duplicate'] }),
    );
  });

  it.each([
    ['the same name', 'app.example.com', ['app.example.com']],
    ['another case and a trailing dot', 'App.Example.COM.', ['app.example.com']],
    ['a sub-domain of a wildcard entry', 'eu.app.example.com', ['*.app.example.com']],
    ['a single-label host', 'localhost', ['localhost']],
  ])('accepts a hostname matching %s', async (_label, hostname, expectedHostnames) => {
    // Prepare
    const { rule } = captchaRule(
      { expectedHostnames },
      { fetch: fetchAnswering(() => jsonReply({ success: true, hostname })) },
    );

    // Act
    const outcome = await rule(signUpWith(token), ruleContext());

    // Assess
    expect(outcome).toBe('pass');
  });

  it.each([
    ['another host', 'evil.example.net', ['app.example.com']],
    ['the apex of a wildcard-only entry', 'app.example.com', ['*.app.example.com']],
    ['no hostname at all', undefined, ['app.example.com']],
  ])('rejects with hostname-mismatch for %s', async (_label, hostname, expectedHostnames) => {
    // Prepare
    const { rule } = captchaRule(
      { expectedHostnames },
      { fetch: fetchAnswering(() => jsonReply({ success: true, hostname })) },
    );

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CaptchaFailedError', reason: 'hostname-mismatch' });
  });

  it.each([
    ['another action', 'login'],
    ['no action', undefined],
  ])('rejects with action-mismatch for %s', async (_label, action) => {
    // Prepare
    const { rule } = captchaRule(
      { expectedAction: 'signup' },
      { fetch: fetchAnswering(() => jsonReply({ success: true, action })) },
    );

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CaptchaFailedError', reason: 'action-mismatch' });
  });

  it('rejects a reCAPTCHA score under the minimum with low-score', async () => {
    // Prepare
    const { rule } = captchaRule(
      { provider: 'recaptcha', minScore: 0.5 },
      { fetch: fetchAnswering(() => jsonReply({ success: true, score: 0.4, action: 'signup' })) },
    );

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CaptchaFailedError', reason: 'low-score' });
  });

  it.each([
    ['a reCAPTCHA score equal to the minimum', 'recaptcha', { success: true, score: 0.5 }],
    ['a reCAPTCHA v2 reply without a score', 'recaptcha', { success: true }],
    ['a reCAPTCHA reply whose score is null', 'recaptcha', { success: true, score: null }],
    [
      'an hCaptcha Enterprise risk score, which is not reCAPTCHA’s scale',
      'hcaptcha',
      { success: true, score: 0.1 },
    ],
  ] as const)('passes %s', async (_label, provider, reply) => {
    // Prepare
    const { rule } = captchaRule(
      { provider, minScore: 0.5 },
      { fetch: fetchAnswering(() => jsonReply(reply)) },
    );

    // Act
    const outcome = await rule(signUpWith(token), ruleContext());

    // Assess
    expect(outcome).toBe('pass');
  });

  it.each([
    ['HTTP 500 with an HTML page', () => new Response('<html>oops</html>', { status: 500 }), 'http-status'],
    ['HTTP 503 even with a successful body', () => jsonReply({ success: true }, 503), 'http-status'],
    ['HTTP 429', () => jsonReply({ success: false }, 429), 'http-status'],
    [
      "Turnstile's internal-error",
      () => jsonReply({ success: false, 'error-codes': ['internal-error'] }),
      'provider-error',
    ],
  ])('treats %s as an outage', async (_label, reply, reason) => {
    // Prepare
    const { rule } = captchaRule({}, { fetch: fetchAnswering(reply) });

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(CaptchaUnavailableError);
    expect((error as CaptchaUnavailableError).reason).toBe(reason);
  });

  it.each([
    ['HTTP 408, which our small request cannot earn by being slow', 408, 'request-refused'],
    ['HTTP 501', 501, 'request-refused'],
    ['HTTP 511 from a captive portal', 511, 'request-refused'],
    ['HTTP 302', 302, 'redirected'],
  ])('treats %s as a fault failOpen never softens', async (_label, status, reason) => {
    // Prepare
    const reply = () => new Response('<html>not a verdict</html>', { status });
    const { rule } = captchaRule({ failOpen: true }, { fetch: fetchAnswering(reply) });

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CaptchaMisconfiguredError', reason, status });
  });

  it.each([
    ['a body that is not JSON', () => new Response('<html>not json'), 'unparsable'],
    ['an empty 204', () => new Response(null, { status: 204 }), 'unparsable'],
    ['a JSON array', () => jsonReply([true]), 'unparsable'],
    ['a success that is not a boolean', () => jsonReply({ success: 'true' }), 'unparsable'],
    ['a score that is not a number', () => jsonReply({ success: true, score: 'high' }), 'unparsable'],
    [
      'a reply larger than any verdict',
      () => new Response(`{"success":true,"x":"${'x'.repeat(20_000)}"}`),
      'oversized',
    ],
  ])('treats a 2xx with %s as a fault failOpen never softens', async (_label, reply, reason) => {
    // Prepare
    const { rule } = captchaRule({ failOpen: true }, { fetch: fetchAnswering(reply) });

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CaptchaMisconfiguredError', reason });
  });

  it('treats a redirect a browser-style fetch did not follow (opaque, status 0) as a redirect', async () => {
    // Prepare
    const opaque = { type: 'opaqueredirect', status: 0, body: null } as unknown as Response;
    const { rule } = captchaRule({ failOpen: true }, { fetch: fetchAnswering(() => opaque) });

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CaptchaMisconfiguredError', reason: 'redirected' });
  });

  it.each([
    ['a redirect', 302, 'redirected'],
    ['a refusal', 404, 'request-refused'],
  ])(
    'keeps %s closed when its body breaks off, rather than calling it an outage',
    async (_label, status, reason) => {
      // Prepare
      const broken = () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              controller.error(undiciError('terminated', { code: 'ECONNRESET' }));
            },
          }),
          { status },
        );
      const { rule } = captchaRule({ failOpen: true }, { fetch: fetchAnswering(broken) });

      // Act
      const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

      // Assess
      expect(error).toMatchObject({ name: 'CaptchaMisconfiguredError', reason, status });
    },
  );

  it.each([
    ['connection refused', undiciError('fetch failed', { code: 'ECONNREFUSED' })],
    ['a reset', undiciError('fetch failed', { code: 'ECONNRESET' })],
    ['a close before the answer', undiciError('fetch failed', socketError('other side closed'))],
    ['a reset mid-body', undiciError('terminated', { code: 'ECONNRESET' })],
    ['a temporary DNS failure', undiciError('fetch failed', { code: 'EAI_AGAIN' })],
    ['a connect timeout', undiciError('fetch failed', { code: 'UND_ERR_CONNECT_TIMEOUT' })],
    ['an unreachable network', undiciError('fetch failed', { code: 'ENETUNREACH' })],
    [
      'every address refusing',
      undiciError('fetch failed', new AggregateError([{ code: 'ECONNREFUSED' }, { code: 'ECONNREFUSED' }])),
    ],
  ])('treats %s as an outage (network)', async (_label, failure) => {
    // Prepare
    const fetch = vi.fn<FetchStub>(async () => {
      throw failure;
    });
    const { rule } = captchaRule({}, { fetch });

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CaptchaUnavailableError', reason: 'network' });
  });

  it.each([
    ['a host name that does not exist', undiciError('fetch failed', { code: 'ENOTFOUND' })],
    ['an unsolicited 100 Continue', undiciError('fetch failed', socketError('bad response'))],
    ['an unsolicited 101 Switching Protocols', undiciError('fetch failed', socketError('bad upgrade'))],
    ['an answer that is not HTTP', undiciError('fetch failed', { code: 'HPE_INVALID_CONSTANT' })],
    ['a certificate that does not verify', undiciError('fetch failed', { code: 'CERT_HAS_EXPIRED' })],
    [
      'a TLS handshake with a plain HTTP port',
      undiciError('fetch failed', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }),
    ],
    ['a port fetch refuses to call', undiciError('fetch failed', new Error('bad port'))],
    ['a redirect fetch refused to follow', undiciError('fetch failed', new Error('unexpected redirect'))],
    ['an error with no cause', new TypeError('fetch failed')],
    ['a thrown value that is not an error', 'boom'],
    [
      'some addresses refusing, one failing TLS',
      undiciError(
        'fetch failed',
        new AggregateError([{ code: 'ECONNREFUSED' }, { code: 'CERT_HAS_EXPIRED' }]),
      ),
    ],
  ])('treats %s as a fault failOpen never softens (protocol-error)', async (_label, failure) => {
    // Prepare
    const fetch = vi.fn<FetchStub>(async () => {
      throw failure;
    });
    const { rule } = captchaRule({ failOpen: true }, { fetch });

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CaptchaMisconfiguredError', reason: 'protocol-error' });
  });

  it('treats a refused request with a well-formed "no" as CAPTCHA_FAILED, never as an outage', async () => {
    // Prepare
    const { rule } = captchaRule(
      { failOpen: true },
      { fetch: fetchAnswering(() => jsonReply({ success: false, 'error-codes': ['bad-request'] }, 400)) },
    );

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(CaptchaFailedError);
  });

  it('treats any other refused request (a wrong URL) as a misconfiguration, even with failOpen', async () => {
    // Prepare
    const { rule } = captchaRule(
      { failOpen: true },
      { fetch: fetchAnswering(() => new Response('Not Found', { status: 404 })) },
    );

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toMatchObject({
      name: 'CaptchaMisconfiguredError',
      reason: 'request-refused',
      status: 404,
    });
  });

  it.each(['invalid-input-secret', 'missing-input-secret', 'sitekey-secret-mismatch'])(
    'treats %s as a misconfiguration, even with failOpen',
    async (code) => {
      // Prepare
      const { rule } = captchaRule(
        { failOpen: true },
        { fetch: fetchAnswering(() => jsonReply({ success: false, 'error-codes': [code] })) },
      );

      // Act
      const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

      // Assess
      expect(error).toMatchObject({ name: 'CaptchaMisconfiguredError', reason: 'secret-rejected' });
    },
  );

  it('treats an empty secret as a misconfiguration without calling the provider', async () => {
    // Prepare
    const { rule, fetch } = captchaRule({}, { secret: secretSource([]) });

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect({ error, fetched: fetch.mock.calls.length }).toMatchObject({
      error: { name: 'CaptchaMisconfiguredError', reason: 'secret-unavailable' },
      fetched: 0,
    });
  });

  it('lets a failing secret source fail the rule', async () => {
    // Prepare
    const failure = new Error('secret store down');
    const { rule } = captchaRule(
      { failOpen: true },
      {
        secret: {
          get: vi.fn(async () => {
            throw failure;
          }),
        },
      },
    );

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toBe(failure);
  });
});

describe('Rule: verifyCaptcha (fail open)', () => {
  it('passes with a logged warning when the provider is down and failOpen is set', async () => {
    // Prepare
    const { rule, logger } = captchaRule(
      { failOpen: true },
      { fetch: fetchAnswering(() => new Response('down', { status: 503 })) },
    );

    // Act
    const outcome = await rule(signUpWith(token), ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(logger.warn).toHaveBeenCalledWith(
      'captcha provider unavailable: failing open',
      expect.objectContaining({ provider: 'turnstile', reason: 'http-status', status: 503 }),
    );
  });

  it('does not soften a definite "no" when failOpen is set', async () => {
    // Prepare
    const { rule } = captchaRule(
      { failOpen: true },
      {
        fetch: fetchAnswering(() => jsonReply({ success: false, 'error-codes': ['invalid-input-response'] })),
      },
    );

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(CaptchaFailedError);
  });
});

// Provider answers the property tests choose from; each is a fresh Response (a body is read once).
const answers = {
  pass: () => jsonReply({ success: true, hostname: 'app.example.com', action: 'signup', score: 0.9 }),
  fail: () => jsonReply({ success: false, 'error-codes': ['invalid-input-response'] }),
  lowScore: () => jsonReply({ success: true, hostname: 'app.example.com', action: 'signup', score: 0.1 }),
  wrongHost: () => jsonReply({ success: true, hostname: 'evil.example.net', action: 'signup' }),
  garbage: () => new Response('<html>'),
  down: () => new Response('', { status: 502 }),
  badSecret: () => jsonReply({ success: false, 'error-codes': ['invalid-input-secret'] }),
  network: () => Promise.reject(undiciError('fetch failed', { code: 'ECONNREFUSED' })),
  redirect: () => new Response(null, { status: 307, headers: { location: 'https://example.net/' } }),
  notFound: () => new Response('<html>Not Found</html>', { status: 404 }),
};

const validationDataArbitrary = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.dictionary(
    mapKey('captchaToken', 'invite'),
    fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_.~+/=:*-]{0,64}$/),
      hostileText({ maxLength: 64 }),
      fc.string({ maxLength: 3000 }),
    ),
    { maxKeys: 25 },
  ),
);

describe('Rule: verifyCaptcha (properties)', () => {
  it('for any ValidationData, source and provider answer, passes, skips or throws a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(
        validationDataArbitrary,
        fc.constantFrom<PreSignUpEvent['triggerSource']>(
          'PreSignUp_SignUp',
          'PreSignUp_AdminCreateUser',
          'PreSignUp_ExternalProvider',
        ),
        fc.constantFrom(...(Object.keys(answers) as (keyof typeof answers)[])),
        fc.boolean(),
        async (validationData, triggerSource, answer, failOpen) => {
          // Prepare
          const { rule } = captchaRule(
            { provider: 'recaptcha', failOpen, expectedHostnames: ['app.example.com'] },
            { fetch: fetchAnswering(answers[answer]) },
          );
          const event = preSignUpEvent({ triggerSource, request: { validationData } });

          // Act
          const outcome = await settledOutcomeOf(rule(event, ruleContext()));

          // Assess
          const typed =
            outcome === 'pass' ||
            outcome === 'skipped' ||
            outcome instanceof SignUpRejection ||
            outcome instanceof CaptchaUnavailableError ||
            outcome instanceof CaptchaMisconfiguredError;
          expect(typed).toBe(true);
          expect(event.response).toEqual(preSignUpResponse.unflagged);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never puts the token or the secret into a log line or an error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9_.~+/=:*-]{12,2048}$/),
        fc.constantFrom(...(Object.keys(answers) as (keyof typeof answers)[])),
        fc.boolean(),
        async (captchaToken, answer, failOpen) => {
          // Prepare
          const secret = `s3cret-${captchaToken.length}-never-logged`;
          const { rule, logger } = captchaRule(
            {
              provider: 'recaptcha',
              failOpen,
              expectedHostnames: ['app.example.com'],
              expectedAction: 'signup',
            },
            { fetch: fetchAnswering(answers[answer]), secret: secretSource([secret]) },
          );

          // Act
          const thrown = await settledOutcomeOf(rule(signUpWith(captchaToken), ruleContext()));

          // Assess
          const visible = [
            everythingLogged(logger),
            thrown instanceof Error ? `${thrown.message} ${JSON.stringify({ ...thrown })}` : '',
          ].join('\n');
          expect(visible.includes(captchaToken)).toBe(false);
          expect(visible.includes(secret)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('Rule: verifyCaptcha, read by the tools (captchaProviderOf, withCaptchaOff)', () => {
  it.each([
    [{}, undefined],
    [{ CAPTCHA_PROVIDER: '' }, undefined],
    [{ CAPTCHA_PROVIDER: 'none' }, undefined],
    [{ CAPTCHA_PROVIDER: ' turnstile ' }, 'turnstile'],
  ])('says which provider %j turns on: %s', (env, provider) => {
    // Act
    const found = captchaProviderOf(env);

    // Assess
    expect(found).toBe(provider);
  });

  it('turns captcha off and keeps every other setting', () => {
    // Prepare
    const env = { CAPTCHA_PROVIDER: 'hcaptcha', CAPTCHA_SECRET: 'x', INVITE_SECRET: 'y' };

    // Act
    const off = withCaptchaOff(env);

    // Assess
    expect(captchaProviderOf(off)).toBeUndefined();
    expect(off).toEqual({ ...env, CAPTCHA_PROVIDER: 'none' });
  });
});
