import { describe, expect, it } from 'vitest';
import { deliverAsCognito } from '../../../../local/cognito-local/message-delivery.js';
import { type CognitoRequestContext, cognitoRequestContext } from '../../../../local/request-context.js';

describe('Cognito-local: deliverAsCognito', () => {
  function contextOf(autoConfirmed: boolean): CognitoRequestContext {
    return { operation: 'SignUp', body: {}, userAgent: undefined, autoConfirmed };
  }

  it('sends no sign-up code to a user pre sign-up auto-confirmed', async () => {
    // Prepare
    const sent: string[] = [];
    const deliver = deliverAsCognito(async (_ctx, source) => {
      sent.push(source);
    });

    // Act
    await cognitoRequestContext.run(contextOf(true), () => deliver({ logger: undefined }, 'SignUp'));

    // Assess
    expect(sent).toEqual([]);
  });

  it('sends every other message, tagged with its custom message source', async () => {
    // Prepare
    const sent: string[] = [];
    const deliver = deliverAsCognito(async (_ctx, source) => {
      sent.push(source);
    });
    const context = contextOf(false);

    // Act
    await cognitoRequestContext.run(context, () => deliver({ logger: undefined }, 'SignUp'));

    // Assess
    expect(sent).toEqual(['SignUp']);
    expect(context.messageSource).toBe('CustomMessage_SignUp');
  });
});
