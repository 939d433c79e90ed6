import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attributeMapOf,
  type CognitoLocalTriggerParams,
  cognitoEventOf,
  fillCodeAndUsername,
  sdkVersionOf,
  withUnverifiedFlags,
} from '../../../local/cognito-events.js';
import type { CognitoRequestContext } from '../../../local/request-context.js';
import { anyText, prototypeKeys } from '../../support/arbitraries.js';

const PARAMS: CognitoLocalTriggerParams = {
  triggerSource: 'PreSignUp_SignUp',
  userPoolId: 'local_Example1',
  username: 'jane.doe',
  clientId: 'client',
  userAttributes: { email: 'jane.doe@example.com', sub: 'generated-by-cognito-local' },
};

function contextOf(overrides: Partial<CognitoRequestContext> = {}): CognitoRequestContext {
  return { operation: 'SignUp', body: {}, userAgent: 'aws-sdk-js/3.1169.0 ua/2.1 os/linux', ...overrides };
}

describe('Local: sdkVersionOf', () => {
  it.each([
    ['aws-sdk-js/3.1169.0 ua/2.1 os/linux#6.8', 'aws-sdk-js-3.1169.0'],
    ['lang/js md/nodejs#20.20.2 aws-sdk-js/3.700.0', 'aws-sdk-js-3.700.0'],
    ['AWS-SDK-Java/2.20.1 Linux', 'aws-sdk-java-2.20.1'],
    ['aws-cli/2.15.0 Python/3.11.6 Linux', 'aws-sdk-unknown-unknown'],
    ['Boto3/1.34.0 md/Botocore#1.34.0 Python/3.12', 'aws-sdk-unknown-unknown'],
    [undefined, 'aws-sdk-unknown-unknown'],
  ])('reads %j as %j', (userAgent, expected) => {
    // Prepare
    const header = userAgent;

    // Act
    const version = sdkVersionOf(header);

    // Assess
    expect(version).toBe(expected);
  });

  it('answers any user agent with aws-sdk-<name>-<version> and nothing from outside the match', () => {
    // Prepare
    const userAgent = fc.oneof(anyText({ maxLength: 200 }), fc.constant(undefined));

    // Act
    const property = fc.property(userAgent, (header) => {
      const version = sdkVersionOf(header);
      return version === 'aws-sdk-unknown-unknown' || /^aws-sdk-[a-z]+-[0-9][\w.-]*$/.test(version);
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Local: attributeMapOf', () => {
  it("maps SignUp's ValidationData list; null when the caller sent none", () => {
    // Prepare
    const list = [
      { Name: 'invite', Value: 'v1.abc' },
      { Name: 'captcha', Value: 'token' },
      { Name: 'broken' },
    ];

    // Act
    const map = attributeMapOf(list);
    const none = attributeMapOf(undefined);

    // Assess
    expect(map).toEqual({ invite: 'v1.abc', captcha: 'token' });
    expect(none).toBeNull();
  });

  it('reads any client input into own string entries, __proto__ and friends as plain keys', () => {
    // Prepare
    const name = fc.oneof(fc.constantFrom(...prototypeKeys), anyText({ maxLength: 20 }));
    const entry = fc.oneof(fc.record({ Name: name, Value: anyText({ maxLength: 20 }) }), fc.anything());
    const input = fc.oneof(fc.array(entry, { maxLength: 8 }), fc.anything());

    // Act
    const property = fc.property(input, (list) => {
      const map = attributeMapOf(list);
      if (map === null) return !Array.isArray(list);
      return (
        Object.getPrototypeOf(map) === Object.prototype &&
        Object.values(map).every((value) => typeof value === 'string') &&
        Object.keys(Object.prototype).length === 0
      );
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Local: cognitoEventOf', () => {
  it("builds pre sign-up's event: version 1, the Region, the caller's ValidationData and SDK, no sub", () => {
    // Prepare
    const context = contextOf({ body: { ValidationData: [{ Name: 'invite', Value: 'v1.abc' }] } });

    // Act
    const event = cognitoEventOf('PreSignUp', PARAMS, { region: 'eu-west-1', context });

    // Assess
    expect(event).toEqual({
      version: '1',
      region: 'eu-west-1',
      userPoolId: 'local_Example1',
      userName: 'jane.doe',
      callerContext: { awsSdkVersion: 'aws-sdk-js-3.1169.0', clientId: 'client' },
      triggerSource: 'PreSignUp_SignUp',
      request: { userAttributes: { email: 'jane.doe@example.com' }, validationData: { invite: 'v1.abc' } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
  });

  it('gives pre sign-up validationData null outside SignUp and AdminCreateUser', () => {
    // Prepare
    const context = contextOf({
      operation: 'ConfirmSignUp',
      body: { ValidationData: [{ Name: 'a', Value: 'b' }] },
    });

    // Act
    const event = cognitoEventOf('PreSignUp', PARAMS, { region: 'us-east-1', context });

    // Assess
    expect(event.request.validationData).toBeNull();
  });

  it("builds custom message's event: placeholders, the user status, a null response", () => {
    // Prepare
    const params = { ...PARAMS, triggerSource: 'CustomMessage_SignUp', clientMetadata: { locale: 'fr' } };

    // Act
    const event = cognitoEventOf('CustomMessage', params, { region: 'us-east-1', context: contextOf() });

    // Assess
    expect(event.request).toEqual({
      userAttributes: {
        ...PARAMS.userAttributes,
        'cognito:user_status': 'UNCONFIRMED',
        email_verified: 'false',
      },
      codeParameter: '{####}',
      linkParameter: '{##Click Here##}',
      usernameParameter: null,
      clientMetadata: { locale: 'fr' },
    });
    expect(event.response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
  });

  it('names the user name placeholder only in the AdminCreateUser invitation', () => {
    // Prepare
    const params = { ...PARAMS, triggerSource: 'CustomMessage_AdminCreateUser' };

    // Act
    const event = cognitoEventOf('CustomMessage', params, { region: 'us-east-1', context: undefined });

    // Assess
    expect(event.request).toMatchObject({
      usernameParameter: '{username}',
      userAttributes: { 'cognito:user_status': 'FORCE_CHANGE_PASSWORD' },
    });
    expect(event.callerContext.awsSdkVersion).toBe('aws-sdk-unknown-unknown');
  });

  it("builds post confirmation's event with the attributes as stored and an empty response", () => {
    // Prepare
    const userAttributes = { ...PARAMS.userAttributes, email_verified: 'true' };
    const params = { ...PARAMS, triggerSource: 'PostConfirmation_ConfirmSignUp', userAttributes };

    // Act
    const event = cognitoEventOf('PostConfirmation', params, { region: 'us-east-1', context: contextOf() });

    // Assess
    expect(event.request).toEqual({ userAttributes });
    expect(event.response).toEqual({});
  });

  it('gives post confirmation email_verified "false" for an address confirmed by an administrator', () => {
    // Prepare
    const params = { ...PARAMS, triggerSource: 'PostConfirmation_ConfirmSignUp' };

    // Act
    const event = cognitoEventOf('PostConfirmation', params, { region: 'us-east-1', context: undefined });

    // Assess
    expect(event.request.userAttributes).toEqual({ ...PARAMS.userAttributes, email_verified: 'false' });
  });

  it('leaves the invitation without a verified flag the administrator did not set', () => {
    // Prepare
    const params = { ...PARAMS, triggerSource: 'CustomMessage_AdminCreateUser' };

    // Act
    const event = cognitoEventOf('CustomMessage', params, { region: 'us-east-1', context: undefined });

    // Assess
    expect(event.request.userAttributes).not.toHaveProperty('email_verified');
  });
});

describe('Local: withUnverifiedFlags', () => {
  it.each([
    [
      'an email without a flag',
      { email: 'a@example.com' },
      { email: 'a@example.com', email_verified: 'false' },
    ],
    [
      'a phone number without a flag',
      { phone_number: '+15555550100' },
      { phone_number: '+15555550100', phone_number_verified: 'false' },
    ],
    [
      'a verified email',
      { email: 'a@example.com', email_verified: 'true' },
      { email: 'a@example.com', email_verified: 'true' },
    ],
    ['no address', { sub: 'id' }, { sub: 'id' }],
  ])('flags %s as Cognito stores it', (_case, attributes, expected) => {
    // Prepare
    const stored: Record<string, string> = attributes;

    // Act
    const flagged = withUnverifiedFlags(stored);

    // Assess
    expect(flagged).toEqual(expected);
  });

  it('never changes a value it was given, and adds only "false" flags', () => {
    // Prepare
    const attributes = fc.dictionary(
      fc.constantFrom(
        'email',
        'phone_number',
        'email_verified',
        'phone_number_verified',
        'sub',
        ...prototypeKeys,
      ),
      anyText({ maxLength: 20 }),
    );

    // Act
    const property = fc.property(attributes, (stored) => {
      const flagged = withUnverifiedFlags(stored);
      return Object.entries(flagged).every(([name, value]) =>
        Object.hasOwn(stored, name) ? stored[name] === value : value === 'false',
      );
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Local: fillCodeAndUsername', () => {
  it('fills every code and user name placeholder', () => {
    // Act
    const text = fillCodeAndUsername('{username}: {####}, again {####}', '123456', 'jane');

    // Assess
    expect(text).toBe('jane: 123456, again 123456');
  });

  it('inserts any value as it is: no replacement pattern, no placeholder expanded twice', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyText(), fc.constantFrom('$&', "$'", '$`', '$$', '{username}', '{####}')),
        fc.oneof(anyText(), fc.constantFrom('$&', '{####}')),
        (code, userName) => {
          // Act: a caller's own temporary password is the code of an invitation.
          const text = fillCodeAndUsername('[{####}|{username}]', code, userName);

          // Assess
          expect(text).toBe(`[${code}|${userName}]`);
        },
      ),
    );
  });
});
