import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CognitoRequestError } from '../../../../../shared/cognito-client.js';
import { ConfigurationError, SignUpRejection } from '../../../../../shared/errors.js';
import type { PreSignUpEvent } from '../../../../../shared/event-types.js';
import { logger } from '../../../../../shared/observability.js';
import { OptionsError, optionalRule } from '../../../../../shared/options.js';
import { emailProofOf } from '../../../../../triggers/pre-sign-up/proof.js';
import {
  AccountLinkedError,
  type LinkExternalUsersOptions,
  linkExternalUsers,
  linkExternalUsersFromEnv,
  linkExternalUsersSettings,
} from '../../../../../triggers/pre-sign-up/rules/link-external-users.js';
import { preSignUpEvent, preSignUpResponse, ruleContext, testEmail } from '../../../../support/builders.js';
import { cognitoClientFor, noCognito, useCognitoIdpServer } from '../../../../support/cognito-test-client.js';
import { everythingLogged, spyOnLogger } from '../../../../support/logger-spies.js';
import { describeWithMoto } from '../../../../support/moto-server.js';
import { errorOf, rejectionOf } from '../../../../support/outcomes.js';

const GOOGLE_SUBJECT = '103571795941234567890';

function federatedEvent(
  poolId: string,
  attributes: Record<string, string> = { email: testEmail, email_verified: 'true' },
  userName = `Google_${GOOGLE_SUBJECT}`,
): PreSignUpEvent {
  return preSignUpEvent({
    triggerSource: 'PreSignUp_ExternalProvider',
    userPoolId: poolId,
    userName,
    request: { userAttributes: attributes },
  });
}

describe('Rule: linkExternalUsers', () => {
  it.each([['PreSignUp_SignUp' as const], ['PreSignUp_AdminCreateUser' as const]])(
    'skips %s without asking for a client',
    async (triggerSource) => {
      // Prepare
      const cognito = noCognito();
      const rule = linkExternalUsers({}, { cognito });
      const event = preSignUpEvent({
        triggerSource,
        request: { userAttributes: { email: testEmail, email_verified: 'true' } },
      });

      // Act
      const outcome = await rule(event, ruleContext());

      // Assess
      expect(outcome).toBe('skipped');
      expect(cognito).not.toHaveBeenCalled();
    },
  );

  it.each([
    ['an untrusted provider', { email: testEmail, email_verified: 'true' }, 'Facebook_10158'],
    ['an unverified email', { email: testEmail, email_verified: 'false' }, `Google_${GOOGLE_SUBJECT}`],
    ['email_verified "True"', { email: testEmail, email_verified: 'True' }, `Google_${GOOGLE_SUBJECT}`],
    ['no email_verified', { email: testEmail }, `Google_${GOOGLE_SUBJECT}`],
    ['no subject', { email: testEmail, email_verified: 'true' }, 'Google_'],
  ])('passes without a lookup for %s', async (_label, attributes, userName) => {
    // Prepare
    const cognito = noCognito();
    const rule = linkExternalUsers({}, { cognito });

    // Act
    const outcome = await rule(federatedEvent('us-east-1_EXAMPLE', attributes, userName), ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(cognito).not.toHaveBeenCalled();
  });

  it('builds AccountLinkedError with the fixed code and sentence', () => {
    // Prepare
    const error = new AccountLinkedError('Google');

    // Act
    const { message, code, provider } = error;

    // Assess
    expect(error).toBeInstanceOf(SignUpRejection);
    expect({ message, code, provider }).toEqual({
      message: 'ACCOUNT_LINKED: Your accounts have been linked. Please sign in again.',
      code: 'ACCOUNT_LINKED',
      provider: 'Google',
    });
  });

  it.each([
    ['an unknown first sign-in mode', { firstSignIn: 'later' as 'reject' }, 'firstSignIn'],
    ['a bad provider name', { trustedEmailProviders: ['_bad'] }, 'trustedEmailProviders'],
  ])(
    'throws an OptionsError naming the option for %s',
    (_label, options: LinkExternalUsersOptions, named) => {
      // Prepare
      const build = () => linkExternalUsers(options, { cognito: noCognito() });

      // Act
      const error = errorOf(OptionsError, build);

      // Assess
      expect(error.option).toBe(named);
    },
  );

  it('throws an OptionsError naming the dependency when the Cognito getter is not a function', () => {
    // Prepare
    const build = () => linkExternalUsers({}, { cognito: undefined as never });

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error.option).toBe('dependencies.cognito');
  });

  describe('linkExternalUsersFromEnv', () => {
    it('returns undefined while LINK_EXTERNAL_USERS is not true', () => {
      // Prepare
      const env = { LINK_FIRST_SIGN_IN: 'continue' };

      // Act
      const options = linkExternalUsersFromEnv(env);

      // Assess
      expect(options).toBeUndefined();
    });

    it('reads the options when linking is on, reject by default', () => {
      // Prepare
      const env = { LINK_EXTERNAL_USERS: 'true', TRUSTED_EMAIL_PROVIDERS: 'Google' };

      // Act
      const options = linkExternalUsersFromEnv(env);

      // Assess
      expect(options).toEqual({ trustedEmailProviders: ['Google'], firstSignIn: 'reject' });
    });

    it.each([
      ['LINK_EXTERNAL_USERS', { LINK_EXTERNAL_USERS: 'yes' }],
      ['LINK_FIRST_SIGN_IN', { LINK_FIRST_SIGN_IN: 'retry' }],
      ['TRUSTED_EMAIL_PROVIDERS', { TRUSTED_EMAIL_PROVIDERS: 'Google,bad name_' }],
    ])('throws a ConfigurationError naming %s, even while linking is off', (variable, env) => {
      // Prepare
      const read = () => linkExternalUsersFromEnv(env);

      // Act
      const error = errorOf(ConfigurationError, read);

      // Assess
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.variable).toBe(variable);
    });

    it.each([
      ['LINK_FIRST_SIGN_IN', { LINK_EXTERNAL_USERS: 'true', LINK_FIRST_SIGN_IN: 'retry' }],
      ['TRUSTED_EMAIL_PROVIDERS', { LINK_EXTERNAL_USERS: 'true', TRUSTED_EMAIL_PROVIDERS: 'Google,Cognito' }],
    ])('names %s for a bad value, through the settings declaration', (variable, env) => {
      // Prepare
      const configure = () =>
        optionalRule(linkExternalUsersSettings, linkExternalUsersFromEnv(env), (options) =>
          linkExternalUsers(options, { cognito: noCognito() }),
        );

      // Act
      const error = errorOf(ConfigurationError, configure);

      // Assess
      expect(error.variable).toBe(variable);
    });
  });
});

describeWithMoto('Rule: linkExternalUsers (moto)', () => {
  const server = useCognitoIdpServer();
  let poolId: string;

  async function newRule(options: LinkExternalUsersOptions = {}) {
    poolId = await server.createPool();
    return linkExternalUsers(options, { cognito: cognitoClientFor(server) });
  }

  const confirmedVerified = { email: testEmail, emailVerified: true, status: 'CONFIRMED' } as const;

  it('links the identity to the verified native user and rejects with ACCOUNT_LINKED', async () => {
    // Prepare
    const rule = await newRule();
    const native = await server.createNativeUser(poolId, confirmedVerified);

    // Act
    const error = await rejectionOf(() => rule(federatedEvent(poolId), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(AccountLinkedError);
    expect(server.callsOf('AdminLinkProviderForUser').map((call) => call.input)).toEqual([
      {
        UserPoolId: poolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: native.username },
        SourceUser: {
          ProviderName: 'Google',
          ProviderAttributeName: 'Cognito_Subject',
          ProviderAttributeValue: GOOGLE_SUBJECT,
        },
      },
    ]);
  });

  it("leaves the identity in the native user's identities", async () => {
    // Prepare
    const rule = await newRule();
    const native = await server.createNativeUser(poolId, confirmedVerified);

    // Act
    await rejectionOf(() => rule(federatedEvent(poolId), ruleContext()));

    // Assess
    expect(await server.identitiesOf(poolId, native.username)).toMatchObject([
      { providerName: 'Google', userId: GOOGLE_SUBJECT },
    ]);
  });

  it('lets Cognito carry on after linking when firstSignIn is continue', async () => {
    // Prepare
    const rule = await newRule({ firstSignIn: 'continue' });
    await server.createNativeUser(poolId, confirmedVerified);
    const event = federatedEvent(poolId);

    // Act
    const outcome = await rule(event, ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(server.callsOf('AdminLinkProviderForUser')).toHaveLength(1);
    expect(event.response).toEqual(preSignUpResponse.unflagged);
  });

  it('records the identity-provider proof for the rules after it', async () => {
    // Prepare
    const rule = await newRule({ firstSignIn: 'continue' });
    const event = federatedEvent(poolId);

    // Act
    await rule(event, ruleContext());

    // Assess
    expect(emailProofOf(event)).toEqual({ kind: 'identity-provider', provider: 'Google', email: testEmail });
  });

  it('uses the configured provider name when the user name is lower-cased', async () => {
    // Prepare
    const rule = await newRule();
    await server.createNativeUser(poolId, confirmedVerified);

    // Act
    await rejectionOf(() =>
      rule(federatedEvent(poolId, undefined, `google_${GOOGLE_SUBJECT}`), ruleContext()),
    );

    // Assess
    expect(server.callsOf('AdminLinkProviderForUser')[0]?.input.SourceUser).toMatchObject({
      ProviderName: 'Google',
    });
  });

  it('finds the native user under another spelling of the address', async () => {
    // Prepare
    const rule = await newRule();
    await server.createNativeUser(poolId, confirmedVerified);
    const event = federatedEvent(poolId, { email: 'Alice.Example@Example.COM', email_verified: 'true' });

    // Act
    const error = await rejectionOf(() => rule(event, ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(AccountLinkedError);
  });

  it('passes when no native user has the email', async () => {
    // Prepare
    const rule = await newRule();
    await server.createNativeUser(poolId, { ...confirmedVerified, email: 'someone.else@example.com' });

    // Act
    const outcome = await rule(federatedEvent(poolId), ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(server.callsOf('AdminLinkProviderForUser')).toHaveLength(0);
  });

  it.each([
    ['an unverified email', { ...confirmedVerified, emailVerified: false }],
    ['an unconfirmed user', { ...confirmedVerified, status: 'UNCONFIRMED' as const }],
    [
      'a user who must change a temporary password',
      { ...confirmedVerified, status: 'FORCE_CHANGE_PASSWORD' as const },
    ],
    ['a disabled user', { ...confirmedVerified, enabled: false }],
  ])('never links to a native user with %s', async (_label, spec) => {
    // Prepare
    const rule = await newRule();
    await server.createNativeUser(poolId, spec);

    // Act
    const outcome = await rule(federatedEvent(poolId), ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(server.callsOf('AdminLinkProviderForUser')).toHaveLength(0);
  });

  it('never links to another federated (EXTERNAL_PROVIDER) user', async () => {
    // Prepare
    const rule = await newRule();
    await server.createFederatedUser(poolId, {
      providerName: 'SignInWithApple',
      subject: '001',
      email: testEmail,
    });

    // Act
    const outcome = await rule(federatedEvent(poolId), ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(server.callsOf('AdminLinkProviderForUser')).toHaveLength(0);
  });

  it('does not guess between two verified native users, and warns', async () => {
    // Prepare
    const rule = await newRule();
    await server.createNativeUser(poolId, confirmedVerified);
    await server.createNativeUser(poolId, confirmedVerified);
    const logged = spyOnLogger(logger);

    // Act
    const outcome = await rule(federatedEvent(poolId), ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(server.callsOf('AdminLinkProviderForUser')).toHaveLength(0);
    expect(logged.warn).toHaveBeenCalledWith('link: ambiguous native users, not linked', {
      rule: 'linkExternalUsers',
      email: 'a***@example.com',
      candidates: 2,
    });
  });

  it('does not link again on a retry of the same sign-in (contract §6)', async () => {
    // Prepare
    const rule = await newRule();
    await server.createNativeUser(poolId, confirmedVerified);
    await rejectionOf(() => rule(federatedEvent(poolId), ruleContext()));

    // Act
    const error = await rejectionOf(() => rule(federatedEvent(poolId), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(AccountLinkedError);
    expect(server.callsOf('AdminLinkProviderForUser')).toHaveLength(1);
  });

  it('counts a link that exists despite an error answer as made (boto3 #4163)', async () => {
    // Prepare
    const rule = await newRule();
    await server.createNativeUser(poolId, confirmedVerified);
    server.inject({
      operation: 'AdminLinkProviderForUser',
      kind: 'error',
      type: 'InvalidParameterException',
      applyFirst: true,
    });

    // Act
    const error = await rejectionOf(() => rule(federatedEvent(poolId), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(AccountLinkedError);
  });

  it('reports an InvalidParameterException that left no link as a fault', async () => {
    // Prepare
    const rule = await newRule();
    await server.createNativeUser(poolId, confirmedVerified);
    server.inject({
      operation: 'AdminLinkProviderForUser',
      kind: 'error',
      type: 'InvalidParameterException',
    });

    // Act
    const error = await rejectionOf(() => rule(federatedEvent(poolId), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(CognitoRequestError);
    expect(error).toMatchObject({
      operation: 'AdminLinkProviderForUser',
      errorName: 'InvalidParameterException',
    });
  });

  it('reports a throttled ListUsers as a fault and links nothing', async () => {
    // Prepare
    const rule = await newRule();
    await server.createNativeUser(poolId, confirmedVerified);
    server.inject({ operation: 'ListUsers', kind: 'throttle' });

    // Act
    const error = await rejectionOf(() => rule(federatedEvent(poolId), ruleContext()));

    // Assess
    expect(error).toMatchObject({ name: 'CognitoRequestError', operation: 'ListUsers' });
    expect(server.callsOf('AdminLinkProviderForUser')).toHaveLength(0);
  });

  it('gives up on a hanging AdminLinkProviderForUser at the deadline', async () => {
    // Prepare
    const rule = await newRule();
    await server.createNativeUser(poolId, confirmedVerified);
    server.inject({ operation: 'AdminLinkProviderForUser', kind: 'hang' });
    const started = Date.now();

    // Act
    const error = await rejectionOf(() => rule(federatedEvent(poolId), ruleContext(600)));

    // Assess
    expect(error).toMatchObject({ name: 'CognitoRequestError', operation: 'AdminLinkProviderForUser' });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('never logs the email or the user name unmasked', async () => {
    // Prepare
    const rule = await newRule({ firstSignIn: 'continue' });
    const native = await server.createNativeUser(poolId, confirmedVerified);
    const spies = spyOnLogger(logger);

    // Act
    await rule(federatedEvent(poolId), ruleContext());

    // Assess
    const logged = everythingLogged(spies);
    expect(spies.info).toHaveBeenCalled();
    expect(logged).not.toContain(testEmail);
    expect(logged).not.toContain(native.username);
    expect(logged).not.toContain(GOOGLE_SUBJECT);
  });

  describe('property: no link without proof on both sides', () => {
    it('links only a trusted verified identity, and only to the one confirmed verified native user', async () => {
      // Prepare
      const rule = await newRule({ firstSignIn: 'continue', trustedEmailProviders: ['Google'] });
      const emails = {
        verified: 'verified@example.com',
        unverified: 'unverified@example.com',
        unconfirmed: 'unconfirmed@example.com',
        federated: 'federated@example.com',
      };
      const target = await server.createNativeUser(poolId, { ...confirmedVerified, email: emails.verified });
      await server.createNativeUser(poolId, {
        ...confirmedVerified,
        email: emails.unverified,
        emailVerified: false,
      });
      await server.createNativeUser(poolId, {
        ...confirmedVerified,
        email: emails.unconfirmed,
        status: 'UNCONFIRMED',
      });
      await server.createFederatedUser(poolId, {
        providerName: 'Facebook',
        subject: '7',
        email: emails.federated,
      });
      // Biased towards the one linkable case, so most runs also exercise a real link.
      const email = fc.oneof(
        { arbitrary: fc.constantFrom(emails.verified, 'VERIFIED@Example.com'), weight: 3 },
        { arbitrary: fc.constantFrom(...Object.values(emails)), weight: 1 },
        { arbitrary: fc.emailAddress(), weight: 1 },
      );
      const verified = fc.oneof(
        { arbitrary: fc.constant('true'), weight: 3 },
        { arbitrary: fc.constantFrom('True', 'false', '1', ''), weight: 2 },
      );
      const attributes = fc
        .record({
          email: fc.option(email, { nil: undefined }),
          email_verified: fc.option(verified, { nil: undefined }),
          extra: fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 50 }), { maxKeys: 4 }),
        })
        .map(({ email: address, email_verified, extra }) => ({
          ...extra,
          ...(address === undefined ? {} : { email: address }),
          ...(email_verified === undefined ? {} : { email_verified }),
        }));
      const userName = fc
        .tuple(
          fc.constantFrom('Google', 'google', 'Google', 'Facebook', 'SignInWithApple', 'Cognito'),
          fc.stringMatching(/^\d{1,21}$/),
        )
        .map(([provider, subject]) => `${provider}_${subject}`);

      // Act / Assess
      await fc.assert(
        fc.asyncProperty(
          attributes,
          userName,
          fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
          async (userAttributes, name, clientMetadata) => {
            server.reset();
            const event = preSignUpEvent({
              triggerSource: 'PreSignUp_ExternalProvider',
              userPoolId: poolId,
              userName: name,
              request: { userAttributes, clientMetadata, validationData: clientMetadata },
            });
            await rule(event, ruleContext());
            for (const call of server.callsOf('AdminLinkProviderForUser')) {
              expect(/^google_/i.test(name)).toBe(true);
              expect(userAttributes.email_verified).toBe('true');
              expect(userAttributes.email?.toLowerCase()).toBe(emails.verified);
              expect(call.input.DestinationUser).toEqual({
                ProviderName: 'Cognito',
                ProviderAttributeValue: target.username,
              });
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  });
});
