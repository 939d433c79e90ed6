import { describe, expect, it } from 'vitest';
import type { CognitoLocalTriggerParams } from '../../../../local/cognito-events.js';
import { postConfirmation } from '../../../../local/cognito-local/post-confirmation.js';

const PARAMS = {
  clientId: 'client',
  clientMetadata: { step: 'confirm' },
  source: 'PostConfirmation_ConfirmSignUp',
  userAttributes: [
    { Name: 'email', Value: 'jane@example.com' },
    { Name: 'cognito:user_status', Value: 'CONFIRMED' },
  ],
  username: 'sub-1',
  userPoolId: 'local_Example1',
};

describe('Cognito-local: postConfirmation', () => {
  it('invokes PostConfirmation with the event parameters', async () => {
    // Prepare
    const invoked: CognitoLocalTriggerParams[] = [];
    const runPostConfirmation = postConfirmation({
      lambda: {
        invoke: async (_ctx, _trigger, params) => {
          invoked.push(params);
          return {};
        },
      },
    });

    // Act
    await runPostConfirmation({ logger: undefined }, PARAMS);

    // Assess
    expect(invoked).toEqual([
      {
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        userPoolId: 'local_Example1',
        username: 'sub-1',
        clientId: 'client',
        clientMetadata: { step: 'confirm' },
        userAttributes: { email: 'jane@example.com', 'cognito:user_status': 'CONFIRMED' },
      },
    ]);
  });

  it("fails the API call with the trigger's error, where cognito-local logged it and answered success (contract §4)", async () => {
    // Prepare
    const failure = new Error('PostConfirmation failed with error Onboarding failed..');
    const runPostConfirmation = postConfirmation({
      lambda: {
        invoke: async () => {
          throw failure;
        },
      },
    });

    // Act
    const confirming = runPostConfirmation({ logger: undefined }, PARAMS);

    // Assess
    await expect(confirming).rejects.toBe(failure);
  });
});
