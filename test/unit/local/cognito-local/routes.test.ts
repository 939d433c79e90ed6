import { describe, expect, it } from 'vitest';
import type { Ctx, Json, Route } from '../../../../local/cognito-local/internals.js';
import { type Corrections, correctedRouter } from '../../../../local/cognito-local/routes.js';
import { cognitoRequestContext } from '../../../../local/request-context.js';

/** Corrections that note their name when they run; `resolveAlias` renames the user. */
function recordingCorrections(ran: string[]): Corrections {
  const note = (name: string) => async () => {
    ran.push(name);
  };
  return {
    checkSecretHash: note('checkSecretHash'),
    checkPassword: note('checkPassword'),
    resendCode: async () => {
      ran.push('resendCode');
      return { CodeDeliveryDetails: {} };
    },
    markVerified: note('markVerified'),
    runPreSignUp: note('runPreSignUp'),
    resolveAlias: async (_ctx: Ctx, body: Json) => {
      ran.push('resolveAlias');
      return { ...body, Username: 'internal-name' };
    },
  };
}

function recordingRouter(ran: string[], seen: Json[]): (operation: string) => Route {
  return (operation) => async (_ctx, body) => {
    ran.push(`cognito-local ${operation}`);
    seen.push(body);
    return { CodeDeliveryDetails: { Destination: 'j***@example.com' }, UserSub: 'sub-1' };
  };
}

describe('Cognito-local: correctedRouter', () => {
  it.each([
    ['SignUp', ['checkSecretHash', 'checkPassword', 'cognito-local SignUp']],
    ['ConfirmSignUp', ['checkSecretHash', 'markVerified', 'cognito-local ConfirmSignUp']],
    ['ConfirmForgotPassword', ['checkSecretHash', 'checkPassword', 'cognito-local ConfirmForgotPassword']],
    ['ResendConfirmationCode', ['checkSecretHash', 'resendCode']],
    ['AdminCreateUser', ['runPreSignUp', 'cognito-local AdminCreateUser']],
    ['AdminListGroupsForUser', ['resolveAlias', 'cognito-local AdminListGroupsForUser']],
    ['InitiateAuth', ['cognito-local InitiateAuth']],
  ])('runs the corrections of %s in order before cognito-local', async (operation, expected) => {
    // Prepare
    const ran: string[] = [];
    const route = correctedRouter(recordingRouter(ran, []), recordingCorrections(ran));

    // Act
    await route(operation)({ logger: undefined }, { Username: 'jane@example.com' });

    // Assess
    expect(ran).toEqual(expected);
  });

  it('passes the internal user name on to an admin operation named by alias', async () => {
    // Prepare
    const seen: Json[] = [];
    const route = correctedRouter(recordingRouter([], seen), recordingCorrections([]));

    // Act
    await route('AdminGetUser')({ logger: undefined }, { UserPoolId: 'pool', Username: 'jane@example.com' });

    // Assess
    expect(seen).toEqual([{ UserPoolId: 'pool', Username: 'internal-name' }]);
  });

  it('drops CodeDeliveryDetails from a SignUp that pre sign-up auto-confirmed', async () => {
    // Prepare
    const route = correctedRouter(recordingRouter([], []), recordingCorrections([]));
    const context = { operation: 'SignUp', body: {}, userAgent: undefined, autoConfirmed: true };

    // Act
    const answer = await cognitoRequestContext.run(context, () => route('SignUp')({ logger: undefined }, {}));

    // Assess
    expect(answer).toEqual({ UserSub: 'sub-1' });
  });
});
