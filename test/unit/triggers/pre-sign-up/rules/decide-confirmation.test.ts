import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CognitoClientOptions, CognitoRequestError } from '../../../../../shared/cognito-client.js';
import { ConfigurationError } from '../../../../../shared/errors.js';
import type { PreSignUpEvent } from '../../../../../shared/event-types.js';
import { logger } from '../../../../../shared/observability.js';
import { configureFrom, OptionsError } from '../../../../../shared/options.js';
import { emailProofOf, recordEmailProof } from '../../../../../triggers/pre-sign-up/proof.js';
import {
  aliasGuardOn,
  type DecideConfirmationOptions,
  decideConfirmation,
  decideConfirmationFromEnv,
  decideConfirmationSettings,
} from '../../../../../triggers/pre-sign-up/rules/decide-confirmation.js';
import { awkwardStrings, hostileText, mapKey } from '../../../../support/arbitraries.js';
import { preSignUpEvent, preSignUpResponse, ruleContext, testEmail } from '../../../../support/builders.js';
import { cognitoClientFor, noCognito, useCognitoIdpServer } from '../../../../support/cognito-test-client.js';
import { everythingLogged, spyOnLogger } from '../../../../support/logger-spies.js';
import { describeWithMoto } from '../../../../support/moto-server.js';
import { errorOf } from '../../../../support/outcomes.js';

/** The rule with the alias guard off and a getter that must stay unused. */
function offlineRule(options: DecideConfirmationOptions = {}) {
  const cognito = noCognito();
  return { rule: decideConfirmation({ aliasGuard: 'off', ...options }, { cognito }), cognito };
}

function withInvite(event: PreSignUpEvent, email: string): PreSignUpEvent {
  recordEmailProof(event, { kind: 'invite', email, claims: {} });
  return event;
}

function googleEvent(attributes: Record<string, string>, userName = 'Google_103571795941234567890') {
  return preSignUpEvent({
    triggerSource: 'PreSignUp_ExternalProvider',
    userName,
    request: { userAttributes: attributes },
  });
}

describe('Rule: decideConfirmation', () => {
  describe('PreSignUp_AdminCreateUser', () => {
    it('skips the source whose flags Cognito ignores, even with an invite (contract §2 rule 3)', async () => {
      // Prepare
      const { rule } = offlineRule();
      const event = withInvite(preSignUpEvent({ triggerSource: 'PreSignUp_AdminCreateUser' }), testEmail);

      // Act
      const outcome = await rule(event, ruleContext());

      // Assess
      expect(outcome).toBe('skipped');
      expect(event.response).toEqual(preSignUpResponse.unflagged);
    });
  });

  describe('PreSignUp_SignUp', () => {
    it('confirms and verifies when an invite is bound to the email', async () => {
      // Prepare
      const { rule } = offlineRule();
      const event = withInvite(preSignUpEvent(), testEmail);

      // Act
      const outcome = await rule(event, ruleContext());

      // Assess
      expect(outcome).toBe('changed');
      expect(event.response).toEqual(preSignUpResponse.confirmedAndVerified);
    });

    it('matches the invite against the normalised email (case, IDN, trailing dot)', async () => {
      // Prepare
      const { rule } = offlineRule();
      const event = withInvite(
        preSignUpEvent({ request: { userAttributes: { email: 'Jane@Bücher.Example.' } } }),
        'jane@xn--bcher-kva.example',
      );

      // Act
      await rule(event, ruleContext());

      // Assess
      expect(event.response.autoVerifyEmail).toBe(true);
    });

    it('grants nothing for an invite bound to another email', async () => {
      // Prepare
      const { rule } = offlineRule();
      const event = withInvite(preSignUpEvent(), 'someone.else@example.com');

      // Act
      const outcome = await rule(event, ruleContext());

      // Assess
      expect(outcome).toBe('pass');
      expect(event.response).toEqual(preSignUpResponse.unflagged);
    });

    it('grants nothing without proof (KIT: never verify a self-asserted email)', async () => {
      // Prepare
      const { rule } = offlineRule();
      const event = preSignUpEvent({
        request: { userAttributes: { email: testEmail, email_verified: 'true' } },
      });

      // Act
      const outcome = await rule(event, ruleContext());

      // Assess
      expect(outcome).toBe('pass');
      expect(event.response).toEqual(preSignUpResponse.unflagged);
    });

    it('treats an identity-provider proof on a self sign-up as no proof', async () => {
      // Prepare
      const { rule } = offlineRule();
      const event = preSignUpEvent();
      recordEmailProof(event, { kind: 'identity-provider', provider: 'Google', email: testEmail });

      // Act
      await rule(event, ruleContext());

      // Assess
      expect(event.response).toEqual(preSignUpResponse.unflagged);
    });

    it('confirms without verifying an email in AUTO_CONFIRM_DOMAINS', async () => {
      // Prepare
      const { rule } = offlineRule({ autoConfirmDomains: ['example.com'] });
      const event = preSignUpEvent();

      // Act
      const outcome = await rule(event, ruleContext());

      // Assess
      expect(outcome).toBe('changed');
      expect(event.response).toEqual(preSignUpResponse.confirmed);
    });

    it('matches a wildcard auto-confirm entry on sub-domains only', async () => {
      // Prepare
      const { rule } = offlineRule({ autoConfirmDomains: ['*.example.com'] });
      const apex = preSignUpEvent({ request: { userAttributes: { email: 'jane@example.com' } } });
      const sub = preSignUpEvent({ request: { userAttributes: { email: 'jane@eu.example.com' } } });

      // Act
      await rule(apex, ruleContext());
      await rule(sub, ruleContext());

      // Assess
      expect([apex.response.autoConfirmUser, sub.response.autoConfirmUser]).toEqual([false, true]);
    });

    it('grants nothing without an email, even in an auto-confirm domain pool', async () => {
      // Prepare
      const { rule } = offlineRule({ autoConfirmDomains: ['example.com'] });
      const event = preSignUpEvent({ request: { userAttributes: { phone_number: '+15555550123' } } });

      // Act
      const outcome = await rule(event, ruleContext());

      // Assess
      expect(outcome).toBe('pass');
      expect(event.response).toEqual(preSignUpResponse.unflagged);
    });

    it('never verifies a phone number, even with an invite', async () => {
      // Prepare
      const { rule } = offlineRule();
      const event = withInvite(
        preSignUpEvent({ request: { userAttributes: { email: testEmail, phone_number: '+15555550123' } } }),
        testEmail,
      );

      // Act
      await rule(event, ruleContext());

      // Assess
      expect(event.response.autoVerifyPhone).toBe(false);
    });
  });

  describe('PreSignUp_ExternalProvider', () => {
    it('confirms and verifies a trusted provider asserting email_verified "true"', async () => {
      // Prepare
      const { rule } = offlineRule();
      const event = googleEvent({ email: testEmail, email_verified: 'true' });

      // Act
      const outcome = await rule(event, ruleContext());

      // Assess
      expect(outcome).toBe('changed');
      expect(event.response).toEqual(preSignUpResponse.confirmedAndVerified);
    });

    it('records the identity-provider proof under the configured provider name', async () => {
      // Prepare
      const { rule } = offlineRule();
      const event = googleEvent(
        { email: 'Alice.Example@Example.com', email_verified: 'true' },
        'google_1035',
      );

      // Act
      await rule(event, ruleContext());

      // Assess
      expect(emailProofOf(event)).toEqual({
        kind: 'identity-provider',
        provider: 'Google',
        email: testEmail,
      });
    });

    it.each([
      ['"True"', { email: testEmail, email_verified: 'True' }],
      ['"false"', { email: testEmail, email_verified: 'false' }],
      ['missing', { email: testEmail }],
    ])('grants nothing when email_verified is %s', async (_label, attributes) => {
      // Prepare
      const { rule } = offlineRule();
      const event = googleEvent(attributes);

      // Act
      const outcome = await rule(event, ruleContext());

      // Assess
      expect(outcome).toBe('pass');
      expect(event.response).toEqual(preSignUpResponse.unflagged);
    });

    it('grants nothing for a provider that is not trusted', async () => {
      // Prepare
      const { rule } = offlineRule();
      const event = googleEvent({ email: testEmail, email_verified: 'true' }, 'Facebook_10158');

      // Act
      await rule(event, ruleContext());

      // Assess
      expect(event.response).toEqual(preSignUpResponse.unflagged);
    });

    it('grants nothing when the trusted list is empty', async () => {
      // Prepare
      const { rule } = offlineRule({ trustedEmailProviders: [] });
      const event = googleEvent({ email: testEmail, email_verified: 'true' });

      // Act
      await rule(event, ruleContext());

      // Assess
      expect(event.response).toEqual(preSignUpResponse.unflagged);
    });

    it('grants nothing for a verified but malformed email', async () => {
      // Prepare
      const { rule } = offlineRule();
      const event = googleEvent({ email: 'not an address', email_verified: 'true' });

      // Act
      await rule(event, ruleContext());

      // Assess
      expect(event.response).toEqual(preSignUpResponse.unflagged);
    });

    it('does not apply AUTO_CONFIRM_DOMAINS to federated users', async () => {
      // Prepare
      const { rule } = offlineRule({ autoConfirmDomains: ['example.com'] });
      const event = googleEvent({ email: testEmail }, 'Facebook_10158');

      // Act
      await rule(event, ruleContext());

      // Assess
      expect(event.response).toEqual(preSignUpResponse.unflagged);
    });
  });

  it('skips a trigger source nobody documented (contract §2, user migration)', async () => {
    // Prepare
    const { rule } = offlineRule({ autoConfirmDomains: ['example.com'] });
    const event = withInvite(preSignUpEvent(), testEmail);
    Object.assign(event, { triggerSource: 'PreSignUp_UserMigration' });

    // Act
    const outcome = await rule(event, ruleContext());

    // Assess
    expect(outcome).toBe('skipped');
    expect(event.response).toEqual(preSignUpResponse.unflagged);
  });

  it('never asks for a Cognito client when nothing is to be verified', async () => {
    // Prepare
    const cognito = noCognito();
    const rule = decideConfirmation({ autoConfirmDomains: ['example.com'] }, { cognito });

    // Act
    await rule(preSignUpEvent(), ruleContext());
    await rule(googleEvent({ email: testEmail }), ruleContext());

    // Assess
    expect(cognito).not.toHaveBeenCalled();
  });

  describe('construction', () => {
    it.each([
      ['a bad domain entry', { autoConfirmDomains: ['not a domain'] }, 'autoConfirmDomains'],
      ['a bad provider name', { trustedEmailProviders: ['has space_'] }, 'trustedEmailProviders'],
      ['the Cognito provider name', { trustedEmailProviders: ['Cognito'] }, 'trustedEmailProviders'],
      ['an unknown alias guard', { aliasGuard: 'maybe' as 'off' }, 'aliasGuard'],
    ])('throws an OptionsError naming the option for %s', (_label, options, named) => {
      // Prepare
      const build = () => decideConfirmation(options, { cognito: noCognito() });

      // Act
      const error = errorOf(OptionsError, build);

      // Assess
      expect(error.option).toBe(named);
    });

    it('throws an OptionsError naming the dependency when the Cognito getter is not a function', () => {
      // Prepare
      const build = () => decideConfirmation({}, { cognito: 'client' as never });

      // Act
      const error = errorOf(OptionsError, build);

      // Assess
      expect(error.option).toBe('dependencies.cognito');
    });
  });

  describe('decideConfirmationFromEnv', () => {
    it('reads the defaults: no auto-confirm domains, Google and Apple trusted, ListUsers guard', () => {
      // Prepare
      const env = {};

      // Act
      const options = decideConfirmationFromEnv(env);

      // Assess
      expect(options).toEqual({
        autoConfirmDomains: [],
        trustedEmailProviders: ['Google', 'SignInWithApple'],
        aliasGuard: 'list-users',
      });
    });

    it('reads the three variables, the domain entries as written (the factory normalises them)', () => {
      // Prepare
      const env = {
        AUTO_CONFIRM_DOMAINS: 'Example.com, *.example.org',
        TRUSTED_EMAIL_PROVIDERS: 'Google,MyOidc',
        ALIAS_GUARD: 'off',
      };

      // Act
      const options = decideConfirmationFromEnv(env);

      // Assess
      expect(options).toEqual({
        autoConfirmDomains: ['Example.com', '*.example.org'],
        trustedEmailProviders: ['Google', 'MyOidc'],
        aliasGuard: 'off',
      });
    });

    it('reads TRUSTED_EMAIL_PROVIDERS=none as trusting no provider', () => {
      // Prepare
      const env = { TRUSTED_EMAIL_PROVIDERS: 'none' };

      // Act
      const options = decideConfirmationFromEnv(env);

      // Assess
      expect(options.trustedEmailProviders).toEqual([]);
    });

    it.each([
      ['AUTO_CONFIRM_DOMAINS', 'example.com,not a domain'],
      ['TRUSTED_EMAIL_PROVIDERS', 'Google,Cognito'],
      ['ALIAS_GUARD', 'sometimes'],
    ])('throws a ConfigurationError naming %s, through the settings declaration', (variable, value) => {
      // Prepare
      const env = { [variable]: value };
      const configure = () =>
        configureFrom(decideConfirmationSettings, () =>
          decideConfirmation(decideConfirmationFromEnv(env), { cognito: noCognito() }),
        );

      // Act
      const error = errorOf(ConfigurationError, configure);

      // Assess
      expect(error.variable).toBe(variable);
    });
  });

  describe('property: no flag without proof', () => {
    const attributeKey = mapKey(
      'email',
      'email_verified',
      'phone_number',
      'phone_number_verified',
      'sub',
      'cognito:user_status',
      'custom:tenant',
    );
    const attributeValue = fc.oneof(
      fc.constantFrom('true', 'True', 'false', testEmail, 'jane@eu.example.com', ...awkwardStrings),
      fc.emailAddress(),
      hostileText({ maxLength: 300 }),
    );
    const attributes = fc.dictionary(attributeKey, attributeValue, { maxKeys: 8 });
    const metadata = fc.dictionary(fc.string({ maxLength: 40 }), attributeValue, { maxKeys: 6 });
    const userName = fc.oneof(
      fc.string({ maxLength: 140 }),
      fc
        .tuple(fc.constantFrom('Google', 'google', 'SignInWithApple', 'Facebook', 'Cognito', ''), fc.string())
        .map(([provider, subject]) => `${provider}_${subject}`),
    );
    const source = fc.constantFrom(
      'PreSignUp_SignUp' as const,
      'PreSignUp_AdminCreateUser' as const,
      'PreSignUp_ExternalProvider' as const,
    );

    it('sets autoVerifyEmail only with an invite or a trusted verified provider, autoConfirmUser only with those or an auto-confirm domain', async () => {
      // Prepare
      const { rule, cognito } = offlineRule({ autoConfirmDomains: ['*.example.com'] });

      // Act / Assess
      await fc.assert(
        fc.asyncProperty(source, userName, attributes, metadata, metadata, async (...input) => {
          const [triggerSource, name, userAttributes, validationData, clientMetadata] = input;
          const event = preSignUpEvent({
            triggerSource,
            userName: name,
            request: { userAttributes, validationData, clientMetadata },
          });
          const outcome = await rule(event, ruleContext());
          const email = Object.hasOwn(userAttributes, 'email') ? userAttributes.email : undefined;
          const verifiedByProvider =
            triggerSource === 'PreSignUp_ExternalProvider' &&
            /^(google|signinwithapple)_/i.test(name) &&
            Object.hasOwn(userAttributes, 'email_verified') &&
            userAttributes.email_verified === 'true';
          const inAutoConfirmDomain =
            triggerSource === 'PreSignUp_SignUp' &&
            typeof email === 'string' &&
            /\.example\.com$/i.test(email);
          expect(['pass', 'changed', 'skipped']).toContain(outcome);
          expect(event.response.autoVerifyPhone).toBe(false);
          if (event.response.autoVerifyEmail) expect(verifiedByProvider).toBe(true);
          if (event.response.autoConfirmUser) expect(verifiedByProvider || inAutoConfirmDomain).toBe(true);
          if (triggerSource === 'PreSignUp_AdminCreateUser')
            expect(event.response).toEqual(preSignUpResponse.unflagged);
        }),
        { numRuns: 300 },
      );
      expect(cognito).not.toHaveBeenCalled();
    });

    it('never lets ValidationData or ClientMetadata stand in for an invite', async () => {
      // Prepare
      const { rule } = offlineRule();

      // Act / Assess
      await fc.assert(
        fc.asyncProperty(metadata, metadata, async (validationData, clientMetadata) => {
          const event = preSignUpEvent({
            request: {
              validationData: { ...validationData, invite: 'v1.forged.mac', email_verified: 'true' },
              clientMetadata: { ...clientMetadata, autoVerifyEmail: 'true', autoConfirmUser: 'true' },
            },
          });
          await rule(event, ruleContext());
          expect(event.response).toEqual(preSignUpResponse.unflagged);
        }),
        { numRuns: 100 },
      );
    });
  });
});

describeWithMoto('Rule: decideConfirmation alias guard (moto)', () => {
  const server = useCognitoIdpServer();
  let poolId: string;

  async function guardedRule(clientOptions: CognitoClientOptions = {}) {
    poolId = await server.createPool();
    const cognito = cognitoClientFor(server, clientOptions);
    return decideConfirmation({ aliasGuard: 'list-users' }, { cognito });
  }

  function invited(email = testEmail): PreSignUpEvent {
    return withInvite(
      preSignUpEvent({ userPoolId: poolId, request: { userAttributes: { email } } }),
      testEmail,
    );
  }

  it('verifies when no other user holds the email, after one bounded ListUsers', async () => {
    // Prepare
    const rule = await guardedRule();
    const event = invited();

    // Act
    await rule(event, ruleContext());

    // Assess
    expect(event.response).toEqual(preSignUpResponse.confirmedAndVerified);
    expect(server.callsOf('ListUsers').map((call) => call.input)).toEqual([
      { UserPoolId: poolId, Filter: `email = "${testEmail}"`, Limit: 2, AttributesToGet: ['sub'] },
    ]);
  });

  it('confirms but does not verify an email another user holds (contract §2 rule 2)', async () => {
    // Prepare
    const rule = await guardedRule();
    await server.createNativeUser(poolId, { email: testEmail, emailVerified: true, status: 'CONFIRMED' });
    const event = invited();

    // Act
    const outcome = await rule(event, ruleContext());

    // Assess
    expect(outcome).toBe('changed');
    expect(event.response).toEqual(preSignUpResponse.confirmed);
  });

  it('logs the guard hit with the email masked', async () => {
    // Prepare
    const rule = await guardedRule();
    await server.createNativeUser(poolId, { email: testEmail, emailVerified: false, status: 'UNCONFIRMED' });
    const logged = spyOnLogger(logger);

    // Act
    await rule(invited(), ruleContext());

    // Assess
    expect(logged.warn).toHaveBeenCalledWith('alias guard: email in use', {
      rule: 'decideConfirmation',
      email: 'a***@example.com',
    });
    expect(everythingLogged(logged)).not.toContain(testEmail);
  });

  it('finds the holder under another spelling of the address', async () => {
    // Prepare
    const rule = await guardedRule();
    await server.createNativeUser(poolId, { email: testEmail, emailVerified: true, status: 'CONFIRMED' });
    const event = invited('Alice.Example@EXAMPLE.com');

    // Act
    await rule(event, ruleContext());

    // Assess
    expect(event.response.autoVerifyEmail).toBe(false);
    expect(server.callsOf('ListUsers')).toHaveLength(2);
  });

  it('does not count the signing-up user itself as another holder', async () => {
    // Prepare
    const rule = await guardedRule();
    const self = await server.createNativeUser(poolId, {
      email: testEmail,
      emailVerified: false,
      status: 'UNCONFIRMED',
    });
    const event = invited();
    event.userName = self.username;

    // Act
    await rule(event, ruleContext());

    // Assess
    expect(event.response.autoVerifyEmail).toBe(true);
  });

  it('counts a user whose name differs only in case as another holder: in a case-sensitive pool it is one', async () => {
    // Prepare
    const rule = await guardedRule();
    const holder = await server.createNativeUser(poolId, {
      email: testEmail,
      emailVerified: true,
      status: 'CONFIRMED',
    });
    const event = invited();
    // The holder's name (a lower-case UUID) in capitals: the same letters, another user.
    event.userName = holder.username.toUpperCase();

    // Act
    await rule(event, ruleContext());

    // Assess
    expect(event.response).toEqual(preSignUpResponse.confirmed);
  });

  it('does not verify a federated email that a native user already holds', async () => {
    // Prepare
    const rule = await guardedRule();
    await server.createNativeUser(poolId, { email: testEmail, emailVerified: true, status: 'CONFIRMED' });
    const event = googleEvent({ email: testEmail, email_verified: 'true' });
    event.userPoolId = poolId;

    // Act
    await rule(event, ruleContext());

    // Assess
    expect(event.response).toEqual(preSignUpResponse.confirmed);
  });

  it('retries a throttled ListUsers once and then decides', async () => {
    // Prepare
    const rule = await guardedRule();
    server.inject({ operation: 'ListUsers', kind: 'throttle', times: 1 });
    const event = invited();

    // Act
    await rule(event, ruleContext());

    // Assess
    expect(event.response.autoVerifyEmail).toBe(true);
    expect(server.callsOf('ListUsers')).toHaveLength(2);
  });

  it('fails closed with a CognitoRequestError when ListUsers stays throttled', async () => {
    // Prepare
    const rule = await guardedRule();
    server.inject({ operation: 'ListUsers', kind: 'throttle' });
    const event = invited();

    // Act
    const error = await Promise.resolve(rule(event, ruleContext())).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(CognitoRequestError);
    expect(error).toMatchObject({ operation: 'ListUsers', errorName: 'TooManyRequestsException' });
    expect(event.response).toEqual(preSignUpResponse.unflagged);
  });

  it('fails closed when ListUsers does not answer before the deadline', async () => {
    // Prepare
    const rule = await guardedRule({ requestTimeoutMs: 5000 });
    server.inject({ operation: 'ListUsers', kind: 'hang' });
    const event = invited();
    const started = Date.now();

    // Act
    const error = await Promise.resolve(rule(event, ruleContext(300))).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(CognitoRequestError);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(event.response).toEqual(preSignUpResponse.unflagged);
  });

  it('does not verify an address too long to be searched, and makes no call', async () => {
    // Prepare
    const rule = await guardedRule();
    // 254 characters: a valid address, but `email = "…"` exceeds ListUsers' 256-character filter.
    const long = `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(59)}.example`;
    const event = withInvite(
      preSignUpEvent({ userPoolId: poolId, request: { userAttributes: { email: long } } }),
      long,
    );

    // Act
    await rule(event, ruleContext());

    // Assess
    expect(event.response).toEqual(preSignUpResponse.confirmed);
    expect(server.callsOf('ListUsers')).toHaveLength(0);
  });
});

describe('Rule: decideConfirmation, read by the tools (aliasGuardOn)', () => {
  it.each([
    [{}, true],
    [{ ALIAS_GUARD: 'list-users' }, true],
    [{ ALIAS_GUARD: 'off' }, false],
    [{ ALIAS_GUARD: ' off ' }, false],
  ])('says whether %j keeps the alias guard on: %s', (env, on) => {
    // Act
    const found = aliasGuardOn(env);

    // Assess
    expect(found).toBe(on);
  });
});
