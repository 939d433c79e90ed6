import { describe, expect, it } from 'vitest';
import type { Ctx, Json, Route } from '../../../../local/cognito-local/internals.js';
import { type Corrections, correctedRouter } from '../../../../local/cognito-local/routes.js';
import { cognitoRequestContext } from '../../../../local/request-context.js';

const MADE_UP = {
  CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'nobody@example.com' },
};

/**
 * Corrections that note their name when they run; `resolveAlias` renames the user; `answerUnknownUser`
 * answers for `nobody@example.com` only.
 */
function recordingCorrections(ran: string[]): Corrections {
  const note = (name: string) => async () => {
    ran.push(name);
  };
  return {
    checkLimits: () => {
      ran.push('checkLimits');
    },
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
    answerUnknownUser: async (_ctx: Ctx, _operation: string, body: Json) => {
      ran.push('answerUnknownUser');
      return body.Username === 'nobody@example.com' ? MADE_UP : undefined;
    },
  };
}

function recordingRouter(ran: string[], seen: Json[]): (operation: string) => Route {
  return (operation) => async (_ctx, body) => {
    ran.push(`cognito-local ${operation}`);
    seen.push(body);
    return {
      CodeDeliveryDetails: {
        AttributeName: 'email',
        DeliveryMedium: 'EMAIL',
        Destination: 'jane@example.com',
      },
      UserSub: 'sub-1',
    };
  };
}

describe('Cognito-local: correctedRouter', () => {
  it.each([
    ['SignUp', ['checkLimits', 'checkSecretHash', 'checkPassword', 'cognito-local SignUp']],
    ['ConfirmSignUp', ['checkLimits', 'checkSecretHash', 'markVerified', 'cognito-local ConfirmSignUp']],
    [
      'ConfirmForgotPassword',
      [
        'checkLimits',
        'checkSecretHash',
        'checkPassword',
        'answerUnknownUser',
        'cognito-local ConfirmForgotPassword',
      ],
    ],
    ['ResendConfirmationCode', ['checkLimits', 'checkSecretHash', 'answerUnknownUser', 'resendCode']],
    [
      'ForgotPassword',
      ['checkLimits', 'checkSecretHash', 'answerUnknownUser', 'cognito-local ForgotPassword'],
    ],
    ['AdminCreateUser', ['checkLimits', 'checkPassword', 'runPreSignUp', 'cognito-local AdminCreateUser']],
    ['AdminListGroupsForUser', ['checkLimits', 'resolveAlias', 'cognito-local AdminListGroupsForUser']],
    ['InitiateAuth', ['checkLimits', 'cognito-local InitiateAuth']],
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

  it.each([['ForgotPassword'], ['ResendConfirmationCode']])(
    'answers an unknown user of %s with the made-up details, masked, without running the operation',
    async (operation) => {
      // Prepare
      const ran: string[] = [];
      const route = correctedRouter(recordingRouter(ran, []), recordingCorrections(ran));

      // Act
      const answer = await route(operation)({ logger: undefined }, { Username: 'nobody@example.com' });

      // Assess
      expect(answer).toEqual({
        CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'n***@e***' },
      });
      expect(ran).toEqual(['checkLimits', 'checkSecretHash', 'answerUnknownUser']);
    },
  );

  it.each([['SignUp'], ['ForgotPassword'], ['ResendConfirmationCode']])(
    'masks the destination of the code %s sent to a known user',
    async (operation) => {
      // Prepare
      const ran: string[] = [];
      const corrections = {
        ...recordingCorrections(ran),
        resendCode: async () => ({
          CodeDeliveryDetails: {
            AttributeName: 'email',
            DeliveryMedium: 'EMAIL',
            Destination: 'jane@example.com',
          },
        }),
      };
      const route = correctedRouter(recordingRouter(ran, []), corrections);

      // Act
      const answer = await route(operation)({ logger: undefined }, { Username: 'jane@example.com' });

      // Assess
      expect((answer as { CodeDeliveryDetails: unknown }).CodeDeliveryDetails).toEqual({
        AttributeName: 'email',
        DeliveryMedium: 'EMAIL',
        Destination: 'j***@e***',
      });
    },
  );
});
