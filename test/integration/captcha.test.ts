/**
 * The captcha rule against a loopback server speaking each provider's verify protocol
 * (test/support/captcha-server.ts), over real HTTP with the global `fetch`: success, failure, wrong
 * hostname / action, low score, slow, down, 500 and unparsable replies, closed and open.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignUpUnavailableError } from '../../shared/errors.js';
import type { PreSignUpEvent } from '../../shared/event-types.js';
import { createTriggerHandler } from '../../shared/handler-core.js';
import { parsePreSignUpEvent } from '../../shared/parse-event.js';
import {
  CaptchaFailedError,
  CaptchaMisconfiguredError,
  type CaptchaProvider,
  CaptchaRequiredError,
  CaptchaUnavailableError,
  type VerifyCaptchaOptions,
  verifyCaptcha,
  verifyCaptchaFromEnv,
} from '../../triggers/pre-sign-up/rules/verify-captcha.js';
import { lambdaContext, preSignUpEvent, preSignUpResponse, ruleContext } from '../support/builders.js';
import { type CaptchaServer, startCaptchaServer } from '../support/captcha-server.js';
import { spyLogger } from '../support/logger-spies.js';
import { unusedLoopbackUrl } from '../support/loopback.js';
import { rejectionOf } from '../support/outcomes.js';

const secret = 'loopback-captcha-secret';
const hostname = 'app.example.com';
const action = 'signup';
const slowMs = 1500;
const allProviders: readonly CaptchaProvider[] = ['turnstile', 'recaptcha', 'hcaptcha'];
// hCaptcha's reply carries no action.
const actionProviders: readonly CaptchaProvider[] = ['turnstile', 'recaptcha'];

let server: CaptchaServer;

beforeAll(async () => {
  server = await startCaptchaServer({ secret, hostname, action, slowMs });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
  server.setBehaviour(undefined);
});

/** The rule for `provider`, pointed at the loopback server, checking hostname (and action where there is one). */
function loopbackRule(provider: CaptchaProvider, options: Partial<VerifyCaptchaOptions> = {}) {
  const logger = spyLogger();
  const rule = verifyCaptcha(
    {
      provider,
      verifyUrl: server.url(provider),
      expectedHostnames: [hostname],
      ...(actionProviders.includes(provider) ? { expectedAction: action } : {}),
      timeoutMs: 300,
      ...options,
    },
    { secret: { get: async () => [secret] }, logger },
  );
  return { rule, logger };
}

function signUpWith(captchaToken: string): PreSignUpEvent {
  return preSignUpEvent({ request: { validationData: { captchaToken } } });
}

describe.each(allProviders)('Rule: verifyCaptcha against a loopback %s', (provider) => {
  it('passes a token the provider accepts', async () => {
    // Prepare
    const { rule } = loopbackRule(provider);

    // Act
    const outcome = await rule(signUpWith('pass.a1B2c3'), ruleContext());

    // Assess
    expect(outcome).toBe('pass');
  });

  it("sends the secret and the token form-encoded to the provider's path", async () => {
    // Prepare
    const { rule } = loopbackRule(provider);
    const token = 'pass.Zx9_-';

    // Act
    await rule(signUpWith(token), ruleContext());

    // Assess
    expect(server.calls).toEqual([
      expect.objectContaining({
        provider,
        method: 'POST',
        contentType: 'application/x-www-form-urlencoded',
        fields: { secret, response: token },
      }),
    ]);
  });

  it.each([
    ['a token the provider refuses', 'fail.1', 'unsuccessful', ['invalid-input-response']],
    ['a token already used', 'duplicate.1', 'unsuccessful', ['timeout-or-duplicate']],
    ['a challenge solved on another host', 'wrong-hostname.1', 'hostname-mismatch', []],
  ])('rejects %s with CAPTCHA_FAILED', async (_label, token, reason, errorCodes) => {
    // Prepare
    const { rule } = loopbackRule(provider);

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(CaptchaFailedError);
    expect(error).toMatchObject({ code: 'CAPTCHA_FAILED', reason, errorCodes });
  });

  it('rejects a request the provider refuses with HTTP 400 and a verdict as CAPTCHA_FAILED, even failing open', async () => {
    // Prepare
    const { rule } = loopbackRule(provider, { failOpen: true });

    // Act
    const error = await rejectionOf(rule(signUpWith('refused.1'), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(CaptchaFailedError);
  });

  it('rejects CAPTCHA_REQUIRED without calling the provider when no token is sent', async () => {
    // Prepare
    const { rule } = loopbackRule(provider);
    const event = preSignUpEvent({ request: { validationData: null } });

    // Act
    const error = await rejectionOf(rule(event, ruleContext()));

    // Assess
    expect({ error, calls: server.calls.length }).toEqual({
      error: expect.any(CaptchaRequiredError),
      calls: 0,
    });
  });

  it('reports a secret the provider refuses as a misconfiguration, even failing open', async () => {
    // Prepare
    const rule = verifyCaptcha(
      { provider, verifyUrl: server.url(provider), failOpen: true },
      { secret: { get: async () => ['not-the-secret'] }, logger: spyLogger() },
    );

    // Act
    const error = await rejectionOf(rule(signUpWith('pass.1'), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CaptchaMisconfiguredError', reason: 'secret-rejected' });
  });

  it('reports a wrong verify URL (HTTP 404) as a misconfiguration, even failing open', async () => {
    // Prepare
    const { rule } = loopbackRule(provider, { failOpen: true });

    // Act
    const error = await rejectionOf(rule(signUpWith('404.1'), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(CaptchaMisconfiguredError);
  });

  describe.each([
    ['slow (answers after the timeout)', 'slow.1', 'timeout'],
    ['answering HTTP 500', '500.1', 'http-status'],
    ['answering something that is not JSON', 'garbage.1', 'unparsable'],
    ['answering JSON that is not a verdict', 'not-a-verdict.1', 'unparsable'],
  ])('when the provider is %s', (_label, token, reason) => {
    it('fails closed with a fault', async () => {
      // Prepare
      const { rule } = loopbackRule(provider);

      // Act
      const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

      // Assess
      expect(error).toBeInstanceOf(CaptchaUnavailableError);
      expect((error as CaptchaUnavailableError).reason).toBe(reason);
    });

    it('passes with a logged warning when failing open', async () => {
      // Prepare
      const { rule, logger } = loopbackRule(provider, { failOpen: true });

      // Act
      const outcome = await rule(signUpWith(token), ruleContext());

      // Assess
      expect(outcome).toBe('pass');
      expect(logger.warn).toHaveBeenCalledWith(
        'captcha provider unavailable: failing open',
        expect.objectContaining({ provider, reason }),
      );
    });
  });

  describe('when the provider is down (nothing listens)', () => {
    it('fails closed with a network fault', async () => {
      // Prepare
      const { rule } = loopbackRule(provider, { verifyUrl: await unusedLoopbackUrl('/siteverify') });

      // Act
      const error = await rejectionOf(rule(signUpWith('pass.1'), ruleContext()));

      // Assess
      expect(error).toMatchObject({ name: 'CaptchaUnavailableError', reason: 'network' });
    });

    it('passes with a logged warning when failing open', async () => {
      // Prepare
      const { rule, logger } = loopbackRule(provider, {
        verifyUrl: await unusedLoopbackUrl('/siteverify'),
        failOpen: true,
      });

      // Act
      const outcome = await rule(signUpWith('pass.1'), ruleContext());

      // Assess
      expect({ outcome, warned: logger.warn.mock.calls.length }).toEqual({ outcome: 'pass', warned: 1 });
    });
  });

  it('stops waiting for a slow provider within its timeout', async () => {
    // Prepare
    const { rule } = loopbackRule(provider, { timeoutMs: 200 });
    const started = Date.now();

    // Act
    await rejectionOf(rule(signUpWith('slow.1'), ruleContext()));

    // Assess
    expect(Date.now() - started).toBeLessThan(slowMs);
  });
});

describe.each(actionProviders)('Rule: verifyCaptcha against a loopback %s (actions)', (provider) => {
  it('rejects a token solved for another widget action with CAPTCHA_FAILED', async () => {
    // Prepare
    const { rule } = loopbackRule(provider);

    // Act
    const error = await rejectionOf(rule(signUpWith('wrong-action.1'), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CaptchaFailedError', reason: 'action-mismatch' });
  });
});

describe('Rule: verifyCaptcha against a loopback recaptcha (scores)', () => {
  it('rejects a v3 score under CAPTCHA_MIN_SCORE with CAPTCHA_FAILED', async () => {
    // Prepare
    const { rule } = loopbackRule('recaptcha', { minScore: 0.5 });

    // Act
    const error = await rejectionOf(rule(signUpWith('low-score.1'), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CaptchaFailedError', reason: 'low-score' });
  });

  it('passes a v2 reply, which has no score', async () => {
    // Prepare
    const { rule } = loopbackRule('recaptcha', { expectedAction: undefined });

    // Act
    const outcome = await rule(signUpWith('pass-v2.1'), ruleContext());

    // Assess
    expect(outcome).toBe('pass');
  });
});

describe('Rule: verifyCaptcha against a loopback turnstile (provider errors)', () => {
  it("treats Turnstile's internal-error as an outage", async () => {
    // Prepare
    const { rule } = loopbackRule('turnstile');

    // Act
    const error = await rejectionOf(rule(signUpWith('internal-error.1'), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CaptchaUnavailableError', reason: 'provider-error' });
  });
});

describe('Trigger: pre-sign-up with verifyCaptcha from the environment', () => {
  /** A pre sign-up handler whose only rule is the captcha rule configured from `env`. */
  function handlerFrom(env: Record<string, string>) {
    const config = verifyCaptchaFromEnv({ CAPTCHA_SECRET: secret, ...env });
    if (config === undefined) throw new Error('Test: the captcha rule is off');
    return createTriggerHandler({
      trigger: 'PreSignUp',
      parse: parsePreSignUpEvent,
      rules: [verifyCaptcha(config.options, config.dependencies)],
      logger: spyLogger(),
    });
  }

  it('lets a verified sign-up through unchanged', async () => {
    // Prepare
    const handler = handlerFrom({ CAPTCHA_PROVIDER: 'hcaptcha', CAPTCHA_VERIFY_URL: server.url('hcaptcha') });
    const event = signUpWith('pass.1');

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result.response).toEqual(preSignUpResponse.unflagged);
  });

  it('answers CAPTCHA_REQUIRED to a SignUp without a token', async () => {
    // Prepare
    const handler = handlerFrom({
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_VERIFY_URL: server.url('turnstile'),
    });

    // Act
    const error = await rejectionOf(handler(preSignUpEvent(), lambdaContext()));

    // Assess
    expect((error as Error).message).toBe('CAPTCHA_REQUIRED: Please complete the captcha challenge.');
  });

  it('answers SIGNUP_UNAVAILABLE when the provider is down and the rule fails closed', async () => {
    // Prepare
    const handler = handlerFrom({
      CAPTCHA_PROVIDER: 'recaptcha',
      CAPTCHA_VERIFY_URL: await unusedLoopbackUrl('/siteverify'),
    });

    // Act
    const error = await rejectionOf(handler(signUpWith('pass.1'), lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(SignUpUnavailableError);
  });

  it('lets the sign-up through when the provider is down and CAPTCHA_FAIL_OPEN=true', async () => {
    // Prepare
    const handler = handlerFrom({
      CAPTCHA_PROVIDER: 'recaptcha',
      CAPTCHA_VERIFY_URL: await unusedLoopbackUrl('/siteverify'),
      CAPTCHA_FAIL_OPEN: 'true',
    });

    // Act
    const result = await handler(signUpWith('pass.1'), lambdaContext());

    // Assess
    expect(result.triggerSource).toBe('PreSignUp_SignUp');
  });

  it('answers CAPTCHA_FAILED when the provider refuses the token', async () => {
    // Prepare
    const handler = handlerFrom({
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_VERIFY_URL: server.url('turnstile'),
    });

    // Act
    const error = await rejectionOf(handler(signUpWith('fail.1'), lambdaContext()));

    // Assess
    expect((error as Error).message).toBe(
      'CAPTCHA_FAILED: The captcha challenge could not be verified. Please try again.',
    );
  });
});

describe('Harness: captcha server', () => {
  /** Posts `body` with `contentType` to `provider`'s route and returns the parsed reply. */
  async function post(provider: CaptchaProvider, contentType: string, body: string) {
    const response = await fetch(server.url(provider), {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    return (await response.json()) as Record<string, unknown>;
  }

  it('reads a JSON body on the Turnstile route, as Turnstile does', async () => {
    // Prepare
    const body = JSON.stringify({ secret, response: 'pass.1' });

    // Act
    const reply = await post('turnstile', 'application/json', body);

    // Assess
    expect(reply.success).toBe(true);
  });

  it.each(['recaptcha', 'hcaptcha'] as const)(
    'finds no parameters in a JSON body on the %s route, which reads forms only',
    async (provider) => {
      // Prepare
      const body = JSON.stringify({ secret, response: 'pass.1' });

      // Act
      const reply = await post(provider, 'application/json', body);

      // Assess
      expect(reply).toMatchObject({
        success: false,
        'error-codes': ['missing-input-secret', 'missing-input-response'],
      });
    },
  );

  it('answers every request with the forced behaviour whatever the token', async () => {
    // Prepare
    server.setBehaviour('fail');
    const body = new URLSearchParams({ secret, response: 'pass.1' }).toString();

    // Act
    const reply = await post('hcaptcha', 'application/x-www-form-urlencoded', body);

    // Assess
    expect(reply.success).toBe(false);
  });

  it('refuses methods other than POST', async () => {
    // Prepare
    const url = server.url('recaptcha');

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(405);
  });
});
