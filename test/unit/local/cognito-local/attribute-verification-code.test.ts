import { describe, expect, it } from 'vitest';
import {
  recordCodeDelivery,
  withDeliveredCode,
} from '../../../../local/cognito-local/attribute-verification-code.js';
import { type CognitoRequestContext, cognitoRequestContext } from '../../../../local/request-context.js';

const DETAILS = { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'jane@example.com' };

function contextOf(): CognitoRequestContext {
  return { operation: 'GetUserAttributeVerificationCode', body: {}, userAgent: undefined };
}

/** cognito-local's `deliver` arguments after `ctx` and `source`, ending with `details`. */
function argumentsWith(details: unknown): unknown[] {
  return ['client-1', 'local_Example1', { Username: 'sub-1', Attributes: [] }, '123456', undefined, details];
}

describe('Cognito-local: recordCodeDelivery and withDeliveredCode', () => {
  it('answers with the details of the code delivered during the call', async () => {
    // Prepare
    const deliver = recordCodeDelivery(async () => undefined);

    // Act
    const answer = await cognitoRequestContext.run(contextOf(), async () => {
      await deliver({ logger: undefined }, 'VerifyUserAttribute', ...argumentsWith(DETAILS));
      return withDeliveredCode({});
    });

    // Assess
    expect(answer).toEqual({ CodeDeliveryDetails: DETAILS });
  });

  it('leaves the answer of a call that delivered nothing unchanged', async () => {
    // Prepare
    const deliver = recordCodeDelivery(async () => undefined);
    await cognitoRequestContext.run(contextOf(), () =>
      deliver({ logger: undefined }, 'VerifyUserAttribute', ...argumentsWith(DETAILS)),
    );

    // Act
    const answer = cognitoRequestContext.run(contextOf(), () => withDeliveredCode({}));

    // Assess
    expect(answer).toEqual({});
  });

  it('notes nothing when delivery fails', async () => {
    // Prepare
    const deliver = recordCodeDelivery(async () => {
      throw new Error('CustomMessage failed');
    });

    // Act
    const answer = await cognitoRequestContext.run(contextOf(), async () => {
      await deliver({ logger: undefined }, 'VerifyUserAttribute', ...argumentsWith(DETAILS)).catch(
        () => undefined,
      );
      return withDeliveredCode({});
    });

    // Assess
    expect(answer).toEqual({});
  });

  it('ignores arguments that are not delivery details, and answers unchanged outside a call', async () => {
    // Prepare
    const deliver = recordCodeDelivery(async () => undefined);

    // Act
    const inCall = await cognitoRequestContext.run(contextOf(), async () => {
      await deliver({ logger: undefined }, 'VerifyUserAttribute', ...argumentsWith({ Destination: 'x' }));
      return withDeliveredCode({});
    });
    await deliver({ logger: undefined }, 'VerifyUserAttribute', ...argumentsWith(DETAILS));
    const outside = withDeliveredCode({});

    // Assess
    expect({ inCall, outside }).toEqual({ inCall: {}, outside: {} });
  });
});
