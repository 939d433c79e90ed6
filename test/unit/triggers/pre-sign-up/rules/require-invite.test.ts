import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { normalizeEmail } from '../../../../../shared/email.js';
import { ConfigurationError, MetadataInvalidError, SignUpRejection } from '../../../../../shared/errors.js';
import type { PreSignUpEvent } from '../../../../../shared/event-types.js';
import { createInvite, verifyInvite } from '../../../../../shared/invite.js';
import { configureFrom, OptionsError } from '../../../../../shared/options.js';
import {
  createSecretSource,
  type SecretSource,
  SecretUnavailableError,
} from '../../../../../shared/secret.js';
import { emailProofOf } from '../../../../../triggers/pre-sign-up/proof.js';
import {
  InviteInvalidError,
  InviteRequiredError,
  type RequireInviteOptions,
  requireInvite,
  requireInviteFromEnv,
  requireInviteSettings,
} from '../../../../../triggers/pre-sign-up/rules/require-invite.js';
import { hostileText, mapKey } from '../../../../support/arbitraries.js';
import {
  preSignUpEvent,
  preSignUpResponse,
  ruleContext,
  testEmail,
  withValueAt,
} from '../../../../support/builders.js';
import { everythingLogged, spyLogger } from '../../../../support/logger-spies.js';
import { errorOf, rejectionOf } from '../../../../support/outcomes.js';

const SECRET = 'rule-test-invite-secret-0123456789abcdef';
const ISSUED = new Date('2026-01-01T00:00:00Z');
const DURING = new Date('2026-01-02T00:00:00Z');
const DAY = 86_400;

function tokenFor(email: string, overrides: Partial<Parameters<typeof createInvite>[0]> = {}): string {
  return createInvite({ email, ttlSeconds: 7 * DAY, secret: SECRET, now: ISSUED, ...overrides });
}

function signUpWith(invite: string | undefined, overrides: Parameters<typeof preSignUpEvent>[0] = {}) {
  return preSignUpEvent({
    ...overrides,
    request: { validationData: invite === undefined ? null : { invite }, ...overrides.request },
  });
}

function rule(options: RequireInviteOptions = {}) {
  return requireInvite({
    secrets: createSecretSource({ value: SECRET }),
    now: () => DURING,
    logger: spyLogger(),
    ...options,
  });
}

describe('Rule: requireInvite', () => {
  it('is a function named requireInvite, as logs and SHADOW_RULES call it', () => {
    // Prepare
    const options = {};

    // Act
    const built = requireInvite(options);

    // Assess
    expect(built.name).toBe('requireInvite');
  });

  it('skips PreSignUp_AdminCreateUser, even when invite-only: an admin already decided', async () => {
    // Prepare
    const event = signUpWith(undefined, { triggerSource: 'PreSignUp_AdminCreateUser' });

    // Act
    const outcome = await rule({ inviteOnly: true })(event, ruleContext());

    // Assess
    expect(outcome).toBe('skipped');
  });

  it('refuses a federated first sign-in in an invite-only pool: it is a self sign-up without an invite', async () => {
    // Prepare
    const event = signUpWith(undefined, { triggerSource: 'PreSignUp_ExternalProvider' });

    // Act
    const error = await rejectionOf(rule({ inviteOnly: true })(event, ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(InviteRequiredError);
  });

  it.each([
    ['invites are optional', { inviteOnly: false }],
    ['INVITE_ONLY_EXTERNAL=allow', { inviteOnly: true, inviteOnlyExternal: 'allow' as const }],
  ])('skips a federated first sign-in when %s', async (_label, options) => {
    // Prepare
    const event = signUpWith(undefined, { triggerSource: 'PreSignUp_ExternalProvider' });

    // Act
    const outcome = await rule(options)(event, ruleContext());

    // Assess
    expect(outcome).toBe('skipped');
  });

  it('passes a sign-up without an invite when invites are optional', async () => {
    // Prepare
    const event = signUpWith(undefined);

    // Act
    const outcome = await rule()(event, ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(emailProofOf(event)).toBeUndefined();
  });

  it('rejects a sign-up without an invite with INVITE_REQUIRED when invite-only', async () => {
    // Prepare
    const event = signUpWith(undefined);

    // Act
    const error = await rejectionOf(rule({ inviteOnly: true })(event, ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(InviteRequiredError);
    expect(error).toMatchObject({
      code: 'INVITE_REQUIRED',
      message: 'INVITE_REQUIRED: An invitation is required to sign up.',
    });
  });

  it('treats an empty invite field as no invite', async () => {
    // Prepare
    const event = signUpWith('');

    // Act
    const error = await rejectionOf(rule({ inviteOnly: true })(event, ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(InviteRequiredError);
  });

  it('treats validationData {} (seen on federated events) as no invite', async () => {
    // Prepare
    const event = preSignUpEvent({ request: { validationData: {} } });

    // Act
    const error = await rejectionOf(rule({ inviteOnly: true })(event, ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(InviteRequiredError);
  });

  it('records a valid invite as proof of the email, with its claims, and passes', async () => {
    // Prepare
    const event = signUpWith(tokenFor(testEmail, { claims: { tenant: 'acme' } }));

    // Act
    const outcome = await rule()(event, ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(emailProofOf(event)).toEqual({ kind: 'invite', email: testEmail, claims: { tenant: 'acme' } });
  });

  it('sets no response flag itself: the confirmation rule decides', async () => {
    // Prepare
    const event = signUpWith(tokenFor(testEmail));

    // Act
    await rule({ inviteOnly: true })(event, ruleContext());

    // Assess
    expect(event.response).toEqual(preSignUpResponse.unflagged);
  });

  it("accepts an invite minted for the event's own pool", async () => {
    // Prepare
    const event = signUpWith(undefined);
    event.request.validationData = { invite: tokenFor(testEmail, { userPoolId: event.userPoolId }) };

    // Act
    const outcome = await rule()(event, ruleContext());

    // Assess
    expect({ outcome, proof: emailProofOf(event)?.email }).toEqual({ outcome: 'pass', proof: testEmail });
  });

  it('accepts an invite minted for another spelling of the same address', async () => {
    // Prepare
    const event = signUpWith(tokenFor('ALICE.Example@EXAMPLE.com.'));

    // Act
    const outcome = await rule({ inviteOnly: true })(event, ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(emailProofOf(event)?.email).toBe(testEmail);
  });

  it.each([
    ['bound to another email', () => tokenFor('mallory@example.com'), 'email'],
    ['expired', () => tokenFor(testEmail, { ttlSeconds: 3600 }), 'expired'],
    ['forged', () => tokenFor(testEmail, { secret: 'attacker-secret-0123456789abcdef-0123' }), 'signature'],
    ['of an unknown version', () => tokenFor(testEmail).replace(/^v1/, 'v9'), 'malformed'],
    ['minted for another pool', () => tokenFor(testEmail, { userPoolId: 'us-east-1_Other1234' }), 'pool'],
  ])(
    'rejects an invite %s with INVITE_INVALID and keeps the reason out of the message',
    async (_case, mint, reason) => {
      // Prepare
      const event = signUpWith(mint());

      // Act
      const error = await rejectionOf(rule()(event, ruleContext()));

      // Assess
      expect(error).toBeInstanceOf(InviteInvalidError);
      expect(error).toMatchObject({
        code: 'INVITE_INVALID',
        reason,
        message: 'INVITE_INVALID: The invitation is invalid or has expired.',
      });
      expect(emailProofOf(event)).toBeUndefined();
    },
  );

  it('rejects an invite with INVITE_INVALID when the event has no email', async () => {
    // Prepare
    const event = signUpWith(tokenFor(testEmail), {
      request: { userAttributes: { phone_number: '+15555550123' } },
    });

    // Act
    const error = await rejectionOf(rule()(event, ruleContext()));

    // Assess
    expect(error).toMatchObject({ code: 'INVITE_INVALID', reason: 'email' });
  });

  it('rejects an invalid invite even when invites are optional: a bad invite is never ignored', async () => {
    // Prepare
    const event = signUpWith(tokenFor('mallory@example.com'));

    // Act
    const error = await rejectionOf(rule({ inviteOnly: false })(event, ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(InviteInvalidError);
  });

  it('logs the reason and a masked email, never the token or the address', async () => {
    // Prepare
    const token = tokenFor('mallory@example.com');
    const logger = spyLogger();
    const event = signUpWith(token);

    // Act
    await rejectionOf(rule({ logger })(event, ruleContext()));

    // Assess
    expect(logger.info).toHaveBeenCalledWith('invite rejected', {
      reason: 'email',
      email: 'a***@example.com',
    });
    const logged = everythingLogged(logger);
    expect(logged).not.toContain(testEmail);
    expect(logged).not.toContain(token.split('.')[1]);
  });

  it.each([
    ['characters outside the token alphabet', 'v1.abc def.ghi'],
    ['over 2,048 characters', `v1.${'A'.repeat(2046)}`],
  ])('rejects an invite value with %s as METADATA_INVALID', async (_case, invite) => {
    // Prepare
    const event = signUpWith(invite);

    // Act
    const error = await rejectionOf(rule()(event, ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(MetadataInvalidError);
    expect(error).toMatchObject({ source: 'validationData', key: 'invite' });
  });

  it('passes a token with a warning, recording nothing, when no secret is configured', async () => {
    // Prepare
    const logger = spyLogger();
    const event = signUpWith(tokenFor(testEmail));

    // Act
    const outcome = await requireInvite({ logger })(event, ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(emailProofOf(event)).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith('invite ignored: no invite secret is configured', {
      triggerSource: 'PreSignUp_SignUp',
    });
  });

  it('hands the secret source the invocation deadline and signal', async () => {
    // Prepare
    const secrets: SecretSource = { kind: 'value', get: vi.fn(async () => [SECRET]) };
    const context = ruleContext();
    const event = signUpWith(tokenFor(testEmail));

    // Act
    await rule({ secrets })(event, context);

    // Assess
    expect(secrets.get).toHaveBeenCalledWith(context.deadline, context.signal);
  });

  it('does not read the secret when there is no invite', async () => {
    // Prepare
    const secrets: SecretSource = { kind: 'ssm', get: vi.fn(async () => [SECRET]) };
    const event = signUpWith(undefined);

    // Act
    await rule({ secrets })(event, ruleContext());

    // Assess
    expect(secrets.get).not.toHaveBeenCalled();
  });

  it('lets a secret outage through as a fault, which the engine answers with SIGNUP_UNAVAILABLE', async () => {
    // Prepare
    const outage = new SecretUnavailableError('ssm', '/invite', 'down');
    const secrets: SecretSource = { kind: 'ssm', get: async () => Promise.reject(outage) };
    const event = signUpWith(tokenFor(testEmail));

    // Act
    const error = await rejectionOf(rule({ secrets })(event, ruleContext()));

    // Assess
    expect(error).toBe(outage);
  });

  it('accepts an invite signed with a secret being rotated out', async () => {
    // Prepare
    const previous = 'previous-invite-secret-0123456789abcdef';
    const secrets = createSecretSource({ value: JSON.stringify([SECRET, previous]) });
    const event = signUpWith(tokenFor(testEmail, { secret: previous }));

    // Act
    const outcome = await rule({ secrets })(event, ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(emailProofOf(event)?.kind).toBe('invite');
  });

  it('refuses inviteOnly without secrets at construction', () => {
    // Prepare
    const options = { inviteOnly: true };

    // Act
    const error = errorOf(OptionsError, () => requireInvite(options));

    // Assess
    expect(error.option).toBe('inviteOnly');
  });

  it.each([-1, 1.5, 3601])('refuses a clock skew of %s at construction', (clockSkewSeconds) => {
    // Prepare
    const options = { clockSkewSeconds };

    // Act
    const error = errorOf(OptionsError, () => requireInvite(options));

    // Assess
    expect(error).toMatchObject({ option: 'clockSkewSeconds', expected: 'a whole number from 0 to 3600' });
  });

  it.each([
    ['inviteOnly', { inviteOnly: 'yes' as never }],
    ['inviteOnlyExternal', { inviteOnlyExternal: 'maybe' as never }],
  ])('refuses a bad %s at construction', (option, options) => {
    // Prepare
    const build = () => requireInvite(options);

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error.option).toBe(option);
  });
});

describe('Rule: requireInvite (environment)', () => {
  it('reads no variables as optional invites with no secret', () => {
    // Prepare
    const env = {};

    // Act
    const options = requireInviteFromEnv(env);

    // Assess
    expect(options).toEqual({ inviteOnly: false, inviteOnlyExternal: 'reject' });
  });

  it('reads INVITE_ONLY and INVITE_SECRET', async () => {
    // Prepare
    const env = { INVITE_ONLY: 'true', INVITE_SECRET: SECRET };

    // Act
    const options = requireInviteFromEnv(env);

    // Assess
    expect(options.inviteOnly).toBe(true);
    expect(await options.secrets?.get(Date.now() + 1000, new AbortController().signal)).toEqual([SECRET]);
  });

  it('reads INVITE_SECRET_SSM_PARAMETER as an SSM source', () => {
    // Prepare
    const env = { INVITE_SECRET_SSM_PARAMETER: '/cognito/invite-secret' };

    // Act
    const options = requireInviteFromEnv(env);

    // Assess
    expect(options.secrets?.kind).toBe('ssm');
  });

  it.each([
    ['INVITE_ONLY', { INVITE_ONLY: 'true' }],
    ['INVITE_ONLY', { INVITE_ONLY: 'yes', INVITE_SECRET: SECRET }],
    ['INVITE_SECRET', { INVITE_SECRET: 'shorter-than-32-bytes' }],
    ['INVITE_SECRET and INVITE_SECRET_ARN', { INVITE_SECRET: SECRET, INVITE_SECRET_ARN: 'arn:aws:x' }],
    ['INVITE_SECRET_CACHE_SECONDS', { INVITE_SECRET: SECRET, INVITE_SECRET_CACHE_SECONDS: '-5' }],
    ['INVITE_SECRET_CACHE_SECONDS', { INVITE_SECRET: SECRET, INVITE_SECRET_CACHE_SECONDS: 'soon' }],
    ['INVITE_ONLY_EXTERNAL', { INVITE_ONLY_EXTERNAL: 'maybe' }],
    ['INVITE_SECRET_SSM_PARAMETER', { INVITE_SECRET_SSM_PARAMETER: 'has spaces' }],
  ])('refuses a bad configuration naming %s, through the settings declaration', (variable, env) => {
    // Prepare
    const configure = () =>
      configureFrom(requireInviteSettings, () => requireInvite(requireInviteFromEnv(env)));

    // Act
    const thrown = errorOf(ConfigurationError, configure);

    // Assess
    expect(thrown).toMatchObject({ variable });
  });
});

describe('Rule: requireInvite (properties)', () => {
  const addresses = fc.emailAddress().filter((email) => normalizeEmail(email) !== undefined);
  const emailAttribute = fc.oneof(fc.constant(testEmail), addresses, fc.string({ maxLength: 300 }));
  // Invites a caller might send: real ones for some address, altered ones, and anything at all.
  const invites = (email: string) =>
    fc.oneof(
      addresses.map((address) => tokenFor(address)),
      fc.constant(tokenFor(email.length <= 254 && normalizeEmail(email) !== undefined ? email : testEmail)),
      fc.tuple(addresses, fc.nat(), fc.constantFrom(...'Aa0_-.')).map(([address, index, char]) => {
        const token = tokenFor(address);
        const at = index % token.length;
        return `${token.slice(0, at)}${char}${token.slice(at + 1)}`;
      }),
      fc.string({ maxLength: 3000 }),
      hostileText({ maxLength: 100 }),
    );
  const otherKeys = fc.dictionary(mapKey('captchaToken'), fc.string({ maxLength: 100 }), { maxKeys: 5 });
  const sources = fc.constantFrom(
    'PreSignUp_SignUp',
    'PreSignUp_AdminCreateUser',
    'PreSignUp_ExternalProvider',
  );

  it('passes, skips or throws a SignUpRejection, and records proof only for a valid invite bound to the email', async () => {
    // Prepare
    let proofs = 0;
    const scenario = emailAttribute.chain((email) =>
      fc.record({
        email: fc.constant(email),
        invite: fc.option(invites(email), { nil: undefined }),
        extra: otherKeys,
        triggerSource: sources,
        inviteOnly: fc.boolean(),
      }),
    );
    const property = fc.asyncProperty(
      scenario,
      async ({ email, invite, extra, triggerSource, inviteOnly }) => {
        const validationData = invite === undefined ? extra : withValueAt(extra, ['invite'], invite);
        const event = withValueAt(
          preSignUpEvent({ triggerSource, request: { userAttributes: { email } } }),
          ['request', 'validationData'],
          validationData,
        ) as PreSignUpEvent;
        let outcome: unknown;
        try {
          outcome = await rule({ inviteOnly })(event, ruleContext());
        } catch (error) {
          if (!(error instanceof SignUpRejection)) throw error;
          outcome = 'rejected';
        }
        const proof = emailProofOf(event);
        if (!['pass', 'skipped', 'rejected'].includes(outcome as string)) return false;
        if (
          event.response.autoConfirmUser ||
          event.response.autoVerifyEmail ||
          event.response.autoVerifyPhone
        ) {
          return false;
        }
        if (proof === undefined) return true;
        proofs += 1;
        // A proof demands a SignUp, a token in ValidationData, and that token verifying for this very email.
        const verified = verifyInvite(invite, { email, secrets: [SECRET], now: DURING });
        return (
          triggerSource === 'PreSignUp_SignUp' &&
          outcome === 'pass' &&
          verified.ok &&
          proof.kind === 'invite' &&
          proof.email === normalizeEmail(email)?.address
        );
      },
    );

    // Act
    const run = fc.assert(property, { numRuns: 300 });

    // Assess
    await expect(run).resolves.toBeUndefined();
    expect(proofs).toBeGreaterThan(0);
  });
});
