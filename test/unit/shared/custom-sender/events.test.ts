import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AccountTakeOverAction,
  AccountTakeOverAttribute,
  type CustomEmailSenderCodeEvent,
  type CustomEmailSenderEvent,
  CustomSenderRequestType,
  CustomSenderTriggerSource,
  customEmailSenderSources,
  customSenderFactsOf,
  customSenderSourceFacts,
  customSMSSenderSources,
  isCustomSenderTriggerSource,
  requestTypeOfChannel,
  requiredAccountTakeOverAttributes,
  SAMPLE_ONLY_SMS_ACCOUNT_TAKEOVER_SOURCE,
  sourcesOfChannel,
  triggerNameOfChannel,
} from '../../../../shared/custom-sender/events.js';

const everySource = Object.values(CustomSenderTriggerSource);

describe('Shared: CustomSenderTriggerSource', () => {
  it('lists the eight email sources of the custom email sender page, each once', () => {
    // Prepare
    const documented = [
      'CustomEmailSender_SignUp',
      'CustomEmailSender_ResendCode',
      'CustomEmailSender_ForgotPassword',
      'CustomEmailSender_UpdateUserAttribute',
      'CustomEmailSender_VerifyUserAttribute',
      'CustomEmailSender_AdminCreateUser',
      'CustomEmailSender_AccountTakeOverNotification',
      'CustomEmailSender_Authentication',
    ];

    // Act
    const listed = new Set(customEmailSenderSources);

    // Assess
    expect(listed.size).toBe(8);
    expect([...listed].sort()).toEqual(documented.sort());
  });

  it('lists the seven SMS sources of the custom SMS sender page, each once, without the sample-only one', () => {
    // Prepare
    const documented = [
      'CustomSMSSender_SignUp',
      'CustomSMSSender_ResendCode',
      'CustomSMSSender_ForgotPassword',
      'CustomSMSSender_UpdateUserAttribute',
      'CustomSMSSender_VerifyUserAttribute',
      'CustomSMSSender_AdminCreateUser',
      'CustomSMSSender_Authentication',
    ];

    // Act
    const listed = new Set(customSMSSenderSources);

    // Assess
    expect(listed.size).toBe(7);
    expect([...listed].sort()).toEqual(documented.sort());
    expect(listed.has(SAMPLE_ONLY_SMS_ACCOUNT_TAKEOVER_SOURCE as never)).toBe(false);
  });

  it('files every source under the channel whose trigger name it starts with', () => {
    // Prepare
    const channels = ['email', 'sms'] as const;

    // Act
    const misfiled = channels.flatMap((channel) =>
      sourcesOfChannel[channel].filter(
        (source) =>
          !source.startsWith(`${triggerNameOfChannel[channel]}_`) ||
          customSenderSourceFacts[source].channel !== channel,
      ),
    );

    // Assess
    expect(misfiled).toEqual([]);
    expect([...customEmailSenderSources, ...customSMSSenderSources].sort()).toEqual([...everySource].sort());
  });

  it('pairs each channel with its request type', () => {
    // Prepare (nothing beyond the constants)

    // Act
    const types = { email: requestTypeOfChannel.email, sms: requestTypeOfChannel.sms };

    // Assess
    expect(types).toEqual({ email: 'customEmailSenderRequestV1', sms: 'customSMSSenderRequestV1' });
    expect(Object.values(CustomSenderRequestType).sort()).toEqual(Object.values(types).sort());
  });
});

describe('Shared: customSenderSourceFacts', () => {
  it.each([
    ['CustomEmailSender_AdminCreateUser', 'temporary-password'],
    ['CustomSMSSender_AdminCreateUser', 'temporary-password'],
    ['CustomEmailSender_AccountTakeOverNotification', 'none'],
  ] as const)('says %s carries %s', (source, secret) => {
    // Prepare (nothing beyond the source)

    // Act
    const facts = customSenderFactsOf(source);

    // Assess
    expect(facts?.secret).toBe(secret);
  });

  it('says every other source carries a code', () => {
    // Prepare
    const special = new Set([
      'CustomEmailSender_AdminCreateUser',
      'CustomSMSSender_AdminCreateUser',
      'CustomEmailSender_AccountTakeOverNotification',
    ]);

    // Act
    const secrets = everySource
      .filter((source) => !special.has(source))
      .map((source) => customSenderSourceFacts[source].secret);

    // Assess
    expect(secrets).toHaveLength(12);
    expect(new Set(secrets)).toEqual(new Set(['code']));
  });

  it('records where AWS says ClientMetadata is sent, and where it says it is not', () => {
    // Prepare (nothing beyond the table)

    // Act
    const sourcesWhere = (delivery: string) =>
      everySource.filter((source) => customSenderSourceFacts[source].clientMetadata === delivery);

    // Assess
    expect(sourcesWhere('sent').sort()).toEqual(
      [
        'CustomEmailSender_Authentication',
        'CustomEmailSender_ForgotPassword',
        'CustomEmailSender_SignUp',
      ].sort(),
    );
    expect(sourcesWhere('not-sent')).toEqual(['CustomEmailSender_AccountTakeOverNotification']);
    expect(sourcesWhere('undocumented')).toHaveLength(11);
  });

  it('bounds how long each secret is usable: a day for verification codes, an hour for reset codes, a sign-in session for sign-in codes, a year for temporary passwords, nothing without a secret', () => {
    // Prepare: docs/custom-senders-events.md, "Sources" (DG-VER, DG-REC, BOTO)
    const hours = (source: (typeof everySource)[number]) => {
      const seconds = customSenderSourceFacts[source].usableForAtMostSeconds;
      return seconds === undefined ? undefined : seconds / 3600;
    };

    // Act
    const lifetimes = Object.fromEntries(everySource.map((source) => [source, hours(source)]));

    // Assess
    expect(lifetimes).toEqual({
      CustomEmailSender_SignUp: 24,
      CustomEmailSender_ResendCode: 24,
      CustomEmailSender_ForgotPassword: 1,
      CustomEmailSender_UpdateUserAttribute: 24,
      CustomEmailSender_VerifyUserAttribute: 24,
      CustomEmailSender_AdminCreateUser: 365 * 24,
      CustomEmailSender_AccountTakeOverNotification: undefined,
      CustomEmailSender_Authentication: 0.25,
      CustomSMSSender_SignUp: 24,
      CustomSMSSender_ResendCode: 24,
      CustomSMSSender_ForgotPassword: 1,
      CustomSMSSender_UpdateUserAttribute: 24,
      CustomSMSSender_VerifyUserAttribute: 24,
      CustomSMSSender_AdminCreateUser: 365 * 24,
      CustomSMSSender_Authentication: 0.25,
    });
  });
});

describe('Shared: isCustomSenderTriggerSource', () => {
  it.each(everySource)('accepts %s', (source) => {
    // Prepare (nothing beyond the source)

    // Act
    const known = isCustomSenderTriggerSource(source);

    // Assess
    expect(known).toBe(true);
  });

  it.each([
    ['the SMS account-takeover source of the sample code only', SAMPLE_ONLY_SMS_ACCOUNT_TAKEOVER_SOURCE],
    ['a source of a sign-up trigger', 'CustomMessage_SignUp'],
    ['a future email source', 'CustomEmailSender_Passkey'],
    ['a source in the wrong case', 'customemailsender_signup'],
    ['an Object.prototype member', 'toString'],
    ['a prototype key', '__proto__'],
    ['a number', 1],
    ['null', null],
  ])('refuses %s', (_label, source) => {
    // Prepare (nothing beyond the source)

    // Act
    const known = isCustomSenderTriggerSource(source);

    // Assess
    expect(known).toBe(false);
    expect(customSenderFactsOf(source)).toBeUndefined();
  });

  it('answers a boolean for any value and accepts only the fifteen sources', () => {
    // Prepare
    const anyValue = fc.oneof(
      fc.anything(),
      fc.constantFrom(...everySource),
      fc.constantFrom('constructor', 'hasOwnProperty', 'valueOf', '__proto__'),
      fc.tuple(fc.constantFrom('CustomEmailSender_', 'CustomSMSSender_'), fc.string()).map(([a, b]) => a + b),
    );

    // Act
    const property = fc.property(anyValue, (value) => {
      return isCustomSenderTriggerSource(value) === (everySource as readonly unknown[]).includes(value);
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Shared: account-takeover threat fields', () => {
  it('names the fields exactly as Cognito sends them, eight of them required', () => {
    // Prepare
    const captured = [
      'LOGIN_TIME',
      'CITY',
      'COUNTRY',
      'ACCOUNT_TAKE_OVER_ACTION',
      'FEEDBACK_TOKEN',
      'ONE_CLICK_LINK_VALID',
      'ONE_CLICK_LINK_INVALID',
      'DEVICE_NAME',
      'EVENT_ID',
      'IP_ADDRESS',
      'USER_NAME',
    ];

    // Act
    const named = Object.values(AccountTakeOverAttribute);

    // Assess
    expect([...named].sort()).toEqual(captured.sort());
    expect([...requiredAccountTakeOverAttributes].sort()).toEqual(
      captured.filter((name) => !['CITY', 'COUNTRY', 'DEVICE_NAME'].includes(name)).sort(),
    );
  });

  it("lists the model's four actions and DT's MFA", () => {
    // Prepare (nothing beyond the constant)

    // Act
    const actions = Object.values(AccountTakeOverAction);

    // Assess
    expect([...actions].sort()).toEqual(['BLOCK', 'MFA', 'MFA_IF_CONFIGURED', 'MFA_REQUIRED', 'NO_ACTION']);
  });
});

describe('Shared: custom sender event types', () => {
  it('narrows an email event to a string code once the account-takeover source is ruled out', () => {
    // Prepare
    const event = {
      version: '1',
      triggerSource: 'CustomEmailSender_ForgotPassword',
      region: 'us-east-1',
      userPoolId: 'us-east-1_EXAMPLE',
      userName: 'rroe',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: null },
      request: { type: 'customEmailSenderRequestV1', code: 'AYAD', userAttributes: {}, clientMetadata: null },
    } satisfies CustomEmailSenderEvent as CustomEmailSenderEvent;

    // Act
    const code =
      event.triggerSource === 'CustomEmailSender_AccountTakeOverNotification'
        ? undefined
        : event.request.code;

    // Assess
    expectTypeOf(code).toEqualTypeOf<string | undefined>();
    expectTypeOf<CustomEmailSenderCodeEvent>().not.toHaveProperty('response');
    expect(code).toBe('AYAD');
  });
});
