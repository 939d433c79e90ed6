import { describe, expect, it } from 'vitest';
import type { CognitoLocalTriggerParams } from '../../../../local/cognito-events.js';
import {
  attributeValuesOf,
  customMessage,
  filledMessage,
} from '../../../../local/cognito-local/custom-message.js';

describe('Cognito-local: filledMessage', () => {
  it('fills every code and user name placeholder, not only the first', () => {
    // Prepare
    const text = 'Code {####}, again {####}, for {username} ({username})';

    // Act
    const filled = filledMessage(text, '123456', 'jane@example.com');

    // Assess
    expect(filled).toBe('Code 123456, again 123456, for jane@example.com (jane@example.com)');
  });

  it('fills a link placeholder with its text and the code, having filled the code placeholders first', () => {
    // Prepare: a pool that verifies by link (docs/cognito-contract.md §3a)
    const text = '<p>{##Click Here##}</p><p>{####}</p>';

    // Act
    const filled = filledMessage(text, '123456', 'jane@example.com');

    // Assess
    expect(filled).toBe('<p>Click Here (confirmation code 123456)</p><p>123456</p>');
  });

  it('leaves a field the trigger left empty undefined, so the pool default applies', () => {
    // Prepare
    const text = null;

    // Act
    const filled = filledMessage(text, '123456', 'jane@example.com');

    // Assess
    expect(filled).toBeUndefined();
  });
});

describe('Cognito-local: attributeValuesOf', () => {
  it('maps the attributes that have a value, __proto__ included as a plain key', () => {
    // Prepare
    const attributes = [
      { Name: 'email', Value: 'jane@example.com' },
      { Name: 'name' },
      { Name: '__proto__', Value: 'x' },
    ];

    // Act
    const values = attributeValuesOf(attributes);

    // Assess
    expect(Object.entries(values)).toEqual([
      ['email', 'jane@example.com'],
      ['__proto__', 'x'],
    ]);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
  });
});

describe('Cognito-local: customMessage', () => {
  it('invokes CustomMessage with the event parameters and fills the answer it gets', async () => {
    // Prepare
    const invoked: CognitoLocalTriggerParams[] = [];
    const runCustomMessage = customMessage({
      lambda: {
        invoke: async (_ctx, _trigger, params) => {
          invoked.push(params);
          return { emailMessage: 'Hi {username}: {####}', emailSubject: 'Your code', smsMessage: null };
        },
      },
    });

    // Act
    const answer = await runCustomMessage(
      { logger: undefined },
      {
        clientId: 'client',
        code: '654321',
        source: 'CustomMessage_SignUp',
        userAttributes: [{ Name: 'email', Value: 'jane@example.com' }],
        username: 'sub-1',
        userPoolId: 'local_Example1',
      },
    );

    // Assess
    expect(invoked).toEqual([
      {
        triggerSource: 'CustomMessage_SignUp',
        userPoolId: 'local_Example1',
        username: 'sub-1',
        clientId: 'client',
        userAttributes: { email: 'jane@example.com' },
      },
    ]);
    expect(answer).toEqual({
      emailMessage: 'Hi jane@example.com: 654321',
      emailSubject: 'Your code',
      smsMessage: undefined,
    });
  });
});
