/**
 * The captcha rule against a loopback server speaking each provider's verify protocol
 * (test/support/captcha-server.ts), over real HTTP with the global `fetch`: success, failure, wrong
 * hostname / action, low score, slow, down, 500 and unparsable replies, closed and open; and the fail-open
 * policy as a table over every status class and transport failure, failing closed and failing open.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignUpRejection, SignUpUnavailableError } from '../../shared/errors.js';
import type { PreSignUpEvent } from '../../shared/event-types.js';
import { createTriggerHandler } from '../../shared/handler-core.js';
import { parsePreSignUpEvent } from '../../shared/parse-event.js';
import {
  CaptchaFailedError,
  CaptchaMisconfiguredError,
  CaptchaRequiredError,
  CaptchaUnavailableError,
} from '../../triggers/pre-sign-up/captcha/errors.js';
import type { CaptchaProvider } from '../../triggers/pre-sign-up/captcha/provider.js';
import {
  type VerifyCaptchaOptions,
  verifyCaptcha,
  verifyCaptchaFromEnv,
} from '../../triggers/pre-sign-up/rules/verify-captcha.js';
import { lambdaContext, preSignUpEvent, preSignUpResponse, ruleContext } from '../support/builders.js';
import {
  type CaptchaServer,
  type CaptchaServerReply,
  startCaptchaServer,
} from '../support/captcha-server.js';
import { everythingLogged, spyLogger } from '../support/logger-spies.js';
import { unusedLoopbackUrl } from '../support/loopback.js';
import { rejectionOf, settledOutcomeOf } from '../support/outcomes.js';

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
  server.setReply(undefined);
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

  it.each([
    ['something that is not JSON', 'garbage.1'],
    ['JSON that is not a verdict', 'not-a-verdict.1'],
  ])('fails closed on a 2xx holding %s, even failing open', async (_label, token) => {
    // Prepare
    const { rule, logger } = loopbackRule(provider, { failOpen: true });

    // Act
    const error = await rejectionOf(rule(signUpWith(token), ruleContext()));

    // Assess
    expect({ error, warned: logger.warn.mock.calls.length }).toEqual({
      error: expect.objectContaining({
        name: 'CaptchaMisconfiguredError',
        reason: 'unparsable',
        status: 200,
      }),
      warned: 0,
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

/** What one verify call came to, in the terms of the fail-open policy. */
type CallOutcome =
  | { outcome: 'pass' }
  | { outcome: 'rejected'; code: string }
  | { outcome: 'fault'; fault: string; reason: string; status: number | undefined };

/** The outcome of one endpoint behaviour with `failOpen` off and on. */
type Expected = { failingClosed: CallOutcome; failingOpen: CallOutcome };

const PASS: CallOutcome = { outcome: 'pass' };
/** A verdict that passes, either way. */
const passes: Expected = { failingClosed: PASS, failingOpen: PASS };
/** A definite "no": CAPTCHA_FAILED, either way. */
const rejected: Expected = {
  failingClosed: { outcome: 'rejected', code: 'CAPTCHA_FAILED' },
  failingOpen: { outcome: 'rejected', code: 'CAPTCHA_FAILED' },
};

/** A provider outage: SIGNUP_UNAVAILABLE failing closed, a pass failing open. */
function outage(reason: string, status?: number): Expected {
  return {
    failingClosed: { outcome: 'fault', fault: 'CaptchaUnavailableError', reason, status },
    failingOpen: PASS,
  };
}

/** Anything else that keeps a verdict from arriving: SIGNUP_UNAVAILABLE, failing open or not. */
function alwaysClosed(reason: string, status?: number): Expected {
  const fault: CallOutcome = { outcome: 'fault', fault: 'CaptchaMisconfiguredError', reason, status };
  return { failingClosed: fault, failingOpen: fault };
}

/** The outcome of a rule call as a {@link CallOutcome}. */
async function callOutcomeOf(work: unknown): Promise<CallOutcome> {
  const settled = await settledOutcomeOf(work);
  if (settled === 'pass') return PASS;
  if (settled instanceof SignUpRejection) return { outcome: 'rejected', code: settled.code };
  if (settled instanceof CaptchaUnavailableError || settled instanceof CaptchaMisconfiguredError) {
    return { outcome: 'fault', fault: settled.name, reason: settled.reason, status: settled.status };
  }
  throw new Error(`Test: the rule ended in ${String(settled)}`);
}

/**
 * Where the rule's verify call goes: the loopback server forced to one reply, a redirect from it to a
 * second server that must never be reached, or a verify URL of its own.
 */
type Endpoint =
  | { reply: CaptchaServerReply }
  | { redirect: number }
  | { verifyUrl: () => Promise<string> | string };

const passing = JSON.stringify({ success: true, 'error-codes': [], hostname, action, cdata: '' });
const no = (code: string) => JSON.stringify({ success: false, 'error-codes': [code] });
const padded = JSON.stringify({ success: true, hostname, action, pad: 'x'.repeat(20_000) });
const json = (status: number, body: string): Endpoint => ({
  reply: { status, body, contentType: 'application/json' },
});
const page = (status: number): Endpoint => ({
  reply: {
    status,
    body: `<!DOCTYPE html><html><body>HTTP ${status}</body></html>`,
    contentType: 'text/html',
  },
});
const raw = (bytes: string, ending: 'close' | 'reset' | 'hang'): Endpoint => ({
  reply: { raw: bytes, ending },
});
const head200 = (length: number) =>
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
const earlyHints = 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n';
const upgrade = 'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n';

// Every status class and transport failure. Only an outage (a transport failure, a timeout, 429, an
// outage 5xx, Turnstile's internal-error) passes when failing open.
const failOpenTable: readonly [string, Endpoint, Expected][] = [
  // 2xx: the body must be a verdict.
  ['200 with a passing verdict', json(200, passing), passes],
  ['201 with a passing verdict', json(201, passing), passes],
  ['200 with a "no"', json(200, no('invalid-input-response')), rejected],
  ["200 with Turnstile's internal-error", json(200, no('internal-error')), outage('provider-error')],
  ['204 with an empty body', { reply: { status: 204 } }, alwaysClosed('unparsable', 204)],
  ['200 with an HTML page', page(200), alwaysClosed('unparsable', 200)],
  ['200 with malformed JSON', json(200, '{"success":tru'), alwaysClosed('unparsable', 200)],
  ['200 with JSON but no verdict fields', json(200, '{"ok":true}'), alwaysClosed('unparsable', 200)],
  [
    '200 with a success that is not a boolean',
    json(200, '{"success":"true"}'),
    alwaysClosed('unparsable', 200),
  ],
  ['200 with a verdict padded past 16 KiB', json(200, padded), alwaysClosed('oversized', 200)],
  // 3xx: never followed.
  ['301', { redirect: 301 }, alwaysClosed('redirected', 301)],
  ['302', { redirect: 302 }, alwaysClosed('redirected', 302)],
  ['303', { redirect: 303 }, alwaysClosed('redirected', 303)],
  ['307', { redirect: 307 }, alwaysClosed('redirected', 307)],
  ['308', { redirect: 308 }, alwaysClosed('redirected', 308)],
  ['304 without a Location', { reply: { status: 304 } }, alwaysClosed('redirected', 304)],
  // 4xx: our request was refused; a well-formed "no" is still a "no".
  ['400 with a "no"', json(400, no('bad-request')), rejected],
  ['400 with an HTML page', page(400), alwaysClosed('request-refused', 400)],
  ['401', page(401), alwaysClosed('request-refused', 401)],
  ['403', page(403), alwaysClosed('request-refused', 403)],
  ['403 with a passing verdict', json(403, passing), alwaysClosed('request-refused', 403)],
  ['404', page(404), alwaysClosed('request-refused', 404)],
  ['405', page(405), alwaysClosed('request-refused', 405)],
  // 408 fails closed: our 2 KB request cannot be slow to arrive (the policy in captcha/transport.ts says why).
  ['408', page(408), alwaysClosed('request-refused', 408)],
  ['413', page(413), alwaysClosed('request-refused', 413)],
  ['418', page(418), alwaysClosed('request-refused', 418)],
  ['422', page(422), alwaysClosed('request-refused', 422)],
  ['429', page(429), outage('http-status', 429)],
  // 5xx: an outage, except the three that describe our request or a proxy in the way.
  ['500', page(500), outage('http-status', 500)],
  ['502', page(502), outage('http-status', 502)],
  ['503', page(503), outage('http-status', 503)],
  ['503 with a passing verdict', json(503, passing), outage('http-status', 503)],
  ['504', page(504), outage('http-status', 504)],
  ['501', page(501), alwaysClosed('request-refused', 501)],
  ['505', page(505), alwaysClosed('request-refused', 505)],
  ['511 (a captive portal)', page(511), alwaysClosed('request-refused', 511)],
  // 1xx: an interim answer before the final one is ordinary HTTP; an unsolicited 100 or 101 is not.
  [
    '103 then a passing 200',
    raw(`${earlyHints}${head200(Buffer.byteLength(passing))}${passing}`, 'hang'),
    passes,
  ],
  [
    'an unsolicited 100 Continue, then a close',
    raw('HTTP/1.1 100 Continue\r\n\r\n', 'close'),
    alwaysClosed('protocol-error'),
  ],
  ['an unsolicited 101 Switching Protocols', raw(upgrade, 'hang'), alwaysClosed('protocol-error')],
  // Cannot be told from a connection dropped before the answer (the policy in captcha/transport.ts).
  ['103 then a close', raw(earlyHints, 'close'), outage('network')],
  // Not HTTP at all.
  ['an SSH banner', raw('SSH-2.0-OpenSSH_9.6\r\n', 'close'), alwaysClosed('protocol-error')],
  // Transport failures.
  [
    'nothing listening (connection refused)',
    { verifyUrl: () => unusedLoopbackUrl('/siteverify') },
    outage('network'),
  ],
  ['a close before any answer', raw('', 'close'), outage('network')],
  ['a reset before any answer', raw('', 'reset'), outage('network')],
  ['a reset mid-response', raw(`${head200(200)}{"success":tr`, 'reset'), outage('network')],
  ['a close mid-response', raw(`${head200(200)}{"success":tr`, 'close'), outage('network')],
  ['no answer within the timeout', raw('', 'hang'), outage('timeout')],
  [
    'headers, then no body within the timeout',
    raw(`${head200(200)}{"success":tr`, 'hang'),
    outage('timeout'),
  ],
  // Calls that cannot work as configured, whatever the provider's health.
  [
    'https to a port that speaks plain HTTP (TLS fails)',
    { verifyUrl: () => server.url('turnstile').replace('http:', 'https:') },
    alwaysClosed('protocol-error'),
  ],
  [
    'a port fetch refuses to call (127.0.0.1:9)',
    { verifyUrl: () => 'http://127.0.0.1:9/siteverify' },
    alwaysClosed('protocol-error'),
  ],
];

describe('Rule: verifyCaptcha fail-open policy against a loopback endpoint', () => {
  let redirectTarget: CaptchaServer;

  beforeAll(async () => {
    redirectTarget = await startCaptchaServer({ secret, hostname, action });
  });

  afterAll(async () => {
    await redirectTarget.close();
  });

  beforeEach(() => {
    redirectTarget.reset();
  });

  /** Points the server (or the rule) at `endpoint`; returns the verify URL to use. */
  async function verifyUrlFor(endpoint: Endpoint): Promise<string> {
    if ('verifyUrl' in endpoint) return endpoint.verifyUrl();
    server.setReply(
      'reply' in endpoint
        ? endpoint.reply
        : { status: endpoint.redirect, headers: { location: redirectTarget.url('turnstile') } },
    );
    return server.url('turnstile');
  }

  describe.each(failOpenTable)('when the endpoint answers %s', (_label, endpoint, expected) => {
    it.each([
      ['closed', false, expected.failingClosed],
      ['open', true, expected.failingOpen],
    ] as const)('failing %s, ends in the expected outcome', async (_mode, failOpen, outcome) => {
      // Prepare
      const { rule } = loopbackRule('turnstile', { verifyUrl: await verifyUrlFor(endpoint), failOpen });

      // Act
      const actual = await callOutcomeOf(rule(signUpWith('pass.table'), ruleContext()));

      // Assess
      expect(actual).toEqual(outcome);
    });
  });

  it.each([301, 302, 303, 307, 308])(
    'never follows a %i: the redirect target receives nothing, so neither token nor secret',
    async (status) => {
      // Prepare
      const verifyUrl = await verifyUrlFor({ redirect: status });
      const { rule } = loopbackRule('turnstile', { verifyUrl, failOpen: true });

      // Act
      await settledOutcomeOf(rule(signUpWith('pass.redirected'), ruleContext()));

      // Assess
      expect({ origin: server.calls.length, target: redirectTarget.calls.length }).toEqual({
        origin: 1,
        target: 0,
      });
    },
  );
});

describe('Trigger: pre-sign-up with verifyCaptcha from the environment', () => {
  /** A pre sign-up handler whose only rule is the captcha rule configured from `env`. */
  function handlerFrom(env: Record<string, string>, logger = spyLogger()) {
    const config = verifyCaptchaFromEnv({ CAPTCHA_SECRET: secret, ...env });
    if (config === undefined) throw new Error('Test: the captcha rule is off');
    return createTriggerHandler({
      trigger: 'PreSignUp',
      parse: parsePreSignUpEvent,
      rules: [verifyCaptcha(config.options, config.dependencies)],
      logger,
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

  it('answers SIGNUP_UNAVAILABLE to a redirect even with CAPTCHA_FAIL_OPEN=true', async () => {
    // Prepare
    server.setReply({ status: 302, headers: { location: 'https://captive.example.net/login' } });
    const handler = handlerFrom({
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_VERIFY_URL: server.url('turnstile'),
      CAPTCHA_FAIL_OPEN: 'true',
    });

    // Act
    const error = await rejectionOf(handler(signUpWith('pass.1'), lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(SignUpUnavailableError);
  });

  it('logs why a fault failed closed, without the token or the secret', async () => {
    // Prepare
    server.setReply({ status: 302, headers: { location: 'https://captive.example.net/login' } });
    const logger = spyLogger();
    const token = 'pass.never-logged-7f3a';
    const handler = handlerFrom(
      {
        CAPTCHA_PROVIDER: 'turnstile',
        CAPTCHA_VERIFY_URL: server.url('turnstile'),
        CAPTCHA_FAIL_OPEN: 'true',
      },
      logger,
    );

    // Act
    await rejectionOf(handler(signUpWith(token), lambdaContext()));

    // Assess
    expect(logger.error).toHaveBeenCalledWith('trigger fault', {
      error: expect.objectContaining({
        name: 'CaptchaMisconfiguredError',
        message: 'Captcha provider turnstile misconfigured: redirected (HTTP 302)',
      }),
    });
    const logged = everythingLogged(logger);
    expect({ token: logged.includes(token), secret: logged.includes(secret) }).toEqual({
      token: false,
      secret: false,
    });
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

  it('answers every request with the forced reply, ahead of any behaviour and whatever the secret', async () => {
    // Prepare
    server.setBehaviour('pass');
    server.setReply({ status: 418, body: 'teapot', contentType: 'text/plain', headers: { 'x-test': 'yes' } });

    // Act
    const response = await fetch(server.url('recaptcha'), { method: 'POST', body: 'secret=wrong' });

    // Assess
    expect({
      status: response.status,
      header: response.headers.get('x-test'),
      body: await response.text(),
    }).toEqual({ status: 418, header: 'yes', body: 'teapot' });
  });

  it('writes a raw reply on the socket as it is, then ends the connection as asked', async () => {
    // Prepare
    server.setReply({ raw: 'HTTP/1.1 299 Odd\r\nContent-Length: 2\r\n\r\nok', ending: 'close' });

    // Act
    const response = await fetch(server.url('hcaptcha'), { method: 'POST', body: '' });

    // Assess
    expect({ status: response.status, body: await response.text() }).toEqual({ status: 299, body: 'ok' });
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
