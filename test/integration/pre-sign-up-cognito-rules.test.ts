/**
 * The pre sign-up handler with the two rules that call Cognito (linkExternalUsers, decideConfirmation), in
 * their fixed order, against moto behind the test proxy: what a caller of SignUp or a federated sign-in
 * would get back.
 */
import { expect, it } from 'vitest';
import { SignUpUnavailableError } from '../../shared/errors.js';
import type { PreSignUpEvent } from '../../shared/event-types.js';
import { createTriggerHandler, type Rule } from '../../shared/handler-core.js';
import { parsePreSignUpEvent } from '../../shared/parse-event.js';
import { recordEmailProof } from '../../triggers/pre-sign-up/proof.js';
import { decideConfirmation } from '../../triggers/pre-sign-up/rules/decide-confirmation.js';
import {
  AccountLinkedError,
  type FirstSignIn,
  linkExternalUsers,
} from '../../triggers/pre-sign-up/rules/link-external-users.js';
import { lambdaContext, preSignUpEvent, preSignUpResponse, testEmail } from '../support/builders.js';
import { cognitoClientFor, useCognitoIdpServer } from '../support/cognito-test-client.js';
import { everythingLogged, spyLogger } from '../support/logger-spies.js';
import { describeWithMoto } from '../support/moto-server.js';

// Stands in for rule 5 (requireInvite): a valid invite for the test address was presented.
const inviteAccepted: Rule<PreSignUpEvent> = function inviteAccepted(event) {
  if (event.triggerSource !== 'PreSignUp_SignUp') return 'skipped';
  recordEmailProof(event, { kind: 'invite', email: testEmail, claims: {} });
  return 'pass';
};

describeWithMoto('Trigger: pre-sign-up with the rules that call Cognito (moto)', () => {
  const server = useCognitoIdpServer();
  let poolId: string;

  async function preSignUp(firstSignIn: FirstSignIn = 'reject') {
    poolId = await server.createPool();
    const cognito = cognitoClientFor(server);
    const logger = spyLogger();
    const handler = createTriggerHandler({
      trigger: 'PreSignUp',
      parse: parsePreSignUpEvent,
      rules: [
        inviteAccepted,
        linkExternalUsers({ firstSignIn }, { cognito }),
        decideConfirmation({ aliasGuard: 'list-users' }, { cognito }),
      ],
      logger,
    });
    return { handler, logger };
  }

  function googleSignIn(): PreSignUpEvent {
    return preSignUpEvent({
      triggerSource: 'PreSignUp_ExternalProvider',
      userPoolId: poolId,
      userName: 'Google_103571795941234567890',
      request: { userAttributes: { email: testEmail, email_verified: 'true' } },
    });
  }

  const nativeUser = { email: testEmail, emailVerified: true, status: 'CONFIRMED' } as const;

  it('rejects the first federated sign-in of a native user with ACCOUNT_LINKED, after linking', async () => {
    // Prepare
    const { handler } = await preSignUp();
    await server.createNativeUser(poolId, nativeUser);

    // Act
    const error = await handler(googleSignIn(), lambdaContext()).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(AccountLinkedError);
    expect((error as Error).message).toBe(
      'ACCOUNT_LINKED: Your accounts have been linked. Please sign in again.',
    );
    expect(server.callsOf('AdminLinkProviderForUser')).toHaveLength(1);
  });

  it("with LINK_FIRST_SIGN_IN=continue, links and confirms without moving the native user's email", async () => {
    // Prepare
    const { handler } = await preSignUp('continue');
    await server.createNativeUser(poolId, nativeUser);

    // Act
    const result = await handler(googleSignIn(), lambdaContext());

    // Assess
    expect(result.response).toEqual(preSignUpResponse.confirmed);
    expect(server.callsOf('AdminLinkProviderForUser')).toHaveLength(1);
  });

  it('confirms and verifies a new federated user nobody else holds the email of', async () => {
    // Prepare
    const { handler } = await preSignUp();

    // Act
    const result = await handler(googleSignIn(), lambdaContext());

    // Assess
    expect(result.response).toEqual(preSignUpResponse.confirmedAndVerified);
    expect(server.callsOf('AdminLinkProviderForUser')).toHaveLength(0);
  });

  it('confirms an invited self sign-up but leaves the email unverified when another user holds it', async () => {
    // Prepare
    const { handler } = await preSignUp();
    await server.createNativeUser(poolId, { ...nativeUser, status: 'UNCONFIRMED', emailVerified: false });

    // Act
    const result = await handler(preSignUpEvent({ userPoolId: poolId }), lambdaContext());

    // Assess
    expect(result.response).toEqual(preSignUpResponse.confirmed);
  });

  it('answers a user-safe SIGNUP_UNAVAILABLE when Cognito cannot be asked, and logs no address', async () => {
    // Prepare
    const { handler, logger } = await preSignUp();
    server.inject({ operation: 'ListUsers', kind: 'error', type: 'InternalErrorException', status: 500 });

    // Act
    const error = await handler(preSignUpEvent({ userPoolId: poolId }), lambdaContext()).catch(
      (caught: unknown) => caught,
    );

    // Assess
    expect(error).toBeInstanceOf(SignUpUnavailableError);
    expect(everythingLogged(logger)).not.toContain(testEmail);
  });

  it('calls Cognito for nothing on AdminCreateUser', async () => {
    // Prepare
    const { handler } = await preSignUp();
    const event = preSignUpEvent({ triggerSource: 'PreSignUp_AdminCreateUser', userPoolId: poolId });

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result.response).toEqual(preSignUpResponse.unflagged);
    expect(server.calls).toHaveLength(0);
  });
});
