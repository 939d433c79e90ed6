import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CustomSenderChannel,
  type CustomSenderTriggerSource,
  customSenderSourceFacts,
  requestTypeOfChannel,
  requiredAccountTakeOverAttributes,
  SAMPLE_ONLY_SMS_ACCOUNT_TAKEOVER_SOURCE,
  CustomSenderTriggerSource as Source,
  triggerNameOfChannel,
} from '../../../../shared/custom-sender/events.js';
import { CustomSenderLimits, parseCustomSenderEvent } from '../../../../shared/custom-sender/parse-event.js';
import { EventShapeError } from '../../../../shared/errors.js';
import { CLIENT_ID_NOT_APPLICABLE } from '../../../../shared/event-types.js';
import { OptionsError } from '../../../../shared/options.js';
import { jsonTypeOf } from '../../../../shared/parse-event.js';
import { accountTakeOverEvent, withoutKeyAt, withValueAt } from '../../../support/builders.js';
import { errorOf, outcomeOf } from '../../../support/outcomes.js';

type Event = Record<string, unknown>;

const everySource = Object.values(Source);
const channels = ['email', 'sms'] as const satisfies readonly CustomSenderChannel[];
const otherChannel = { email: 'sms', sms: 'email' } as const;

/**
 * CAP1: a real `CustomEmailSender_SignUp` event, fired by `SignUp` and logged in CloudWatch (eu-west-1, 2023),
 * with the identifiers its author had already replaced by EXAMPLE values. The code is cut after the header's
 * first bytes (the encryption-context key `aws-crypto-public-key`), ending in the author's `EXAMPLE=`.
 */
const cap1 = {
  version: '1',
  triggerSource: 'CustomEmailSender_SignUp',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_EXAMPLE',
  userName: 'HenryFord',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'EXAMPLEl2f6rjkqkbji2qr3u' },
  request: {
    type: 'customEmailSenderRequestV1',
    code: 'AYADeJsc8ABfz4We35yeVQUr6A8AgQACABVhd3MtY3J5cHRvLXB1YmxpYy1rZXkAEXAMPLE=',
    clientMetadata: null,
    userAttributes: {
      sub: '37877a9f-a4d4-4ae9-b20c-f59890e04411',
      email_verified: 'false',
      'cognito:user_status': 'UNCONFIRMED',
      email: 'HenryFord@example.com',
    },
  },
};

/**
 * The account-takeover event of DefinitelyTyped PR #52111, with fake values where its author wrote
 * placeholders: no code, no ClientMetadata, a null callerContext, and threat fields instead of attributes,
 * some of them null.
 */
const accountTakeOverCapture = accountTakeOverEvent(
  {
    LOGIN_TIME: 'Friday, March 19, 2021 02:25 PM UTC',
    CITY: null,
    COUNTRY: null,
    ACCOUNT_TAKE_OVER_ACTION: 'BLOCK',
    FEEDBACK_TOKEN: 'ZmVlZGJhY2stdG9rZW4tRVhBTVBMRQ',
    ONE_CLICK_LINK_VALID: 'https://example.com/feedback?valid=true',
    ONE_CLICK_LINK_INVALID: 'https://example.com/feedback?valid=false',
    DEVICE_NAME: '(Opera 74, Linux)',
    EVENT_ID: '00000000-0000-4000-8000-000000000000',
    IP_ADDRESS: '192.0.2.1',
    USER_NAME: 'rroe',
  },
  { userName: 'rroe' },
);

/** A ciphertext-shaped value: base64 of fake bytes (the real ones start with `AYAD`, a v1 message). */
const fakeCode = Buffer.from('AWS Encryption SDK message, EXAMPLE').toString('base64');

/** The user each channel delivers to, as Cognito lists its attributes. */
const attributesOf = {
  email: {
    sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    email_verified: 'true',
    'cognito:user_status': 'CONFIRMED',
    email: 'alice.example@example.com',
  },
  sms: {
    sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    phone_number_verified: 'true',
    'cognito:user_status': 'CONFIRMED',
    phone_number: '+15555550100',
  },
} as const;

/**
 * An event of `source` in its documented shape (DG-CES, DG-CSS: the common envelope and `type`, `code`,
 * `clientMetadata`, `userAttributes`). Admin-created users carry `CLIENT_ID_NOT_APPLICABLE` and are still
 * `FORCE_CHANGE_PASSWORD`; the account-takeover source is the capture above.
 */
function documentedEvent(source: CustomSenderTriggerSource): Event {
  if (source === Source.CustomEmailSenderAccountTakeOverNotification)
    return structuredClone(accountTakeOverCapture);
  const { channel } = customSenderSourceFacts[source];
  const admin = source.endsWith('_AdminCreateUser');
  return {
    version: '1',
    triggerSource: source,
    region: 'us-east-1',
    userPoolId: 'us-east-1_EXAMPLE',
    userName: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    callerContext: {
      awsSdkVersion: 'aws-sdk-unknown-unknown',
      clientId: admin ? CLIENT_ID_NOT_APPLICABLE : '1example23456789abcdefghij',
    },
    request: {
      type: requestTypeOfChannel[channel],
      code: fakeCode,
      clientMetadata: admin ? null : { locale: 'en' },
      userAttributes: {
        ...attributesOf[channel],
        ...(admin ? { 'cognito:user_status': 'FORCE_CHANGE_PASSWORD' } : {}),
      },
    },
  };
}

/** A valid event of the channel that carries a code: the one most tests change a field of. */
function codeEvent(channel: CustomSenderChannel): Event {
  return documentedEvent(
    channel === 'email' ? Source.CustomEmailSenderForgotPassword : Source.CustomSMSSenderForgotPassword,
  );
}

/** A map built key by key, so that keys such as `__proto__` become own keys, as JSON.parse makes them. */
function mapOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return map;
}

/** Total characters of a map's keys and string values, as the bounds count them. */
function lengthOf(map: Record<string, unknown>): number {
  return Object.entries(map).reduce(
    (sum, [key, value]) => sum + key.length + (typeof value === 'string' ? value.length : 0),
    0,
  );
}

describe('Shared: parseCustomSenderEvent (real capture CAP1)', () => {
  it('answers the captured sign-up event as a known email event, the very object, unchanged', () => {
    // Prepare
    const raw = structuredClone(cap1);

    // Act
    const parsed = parseCustomSenderEvent(raw, 'email');

    // Assess
    expect(parsed).toEqual({ kind: 'known', event: cap1 });
    expect(parsed.event).toBe(raw);
  });

  it('keeps the null ClientMetadata and the cognito:user_status attribute Cognito sent', () => {
    // Prepare
    const raw = structuredClone(cap1);

    // Act
    const { event } = parseCustomSenderEvent(raw, 'email');

    // Assess
    expect(event.request.clientMetadata).toBeNull();
    expect(event.request.userAttributes['cognito:user_status']).toBe('UNCONFIRMED');
    expect(event).not.toHaveProperty('response');
  });

  it('accepts the empty response cognito-local adds, and the numeric version of older samples', () => {
    // Prepare
    const raw = { ...structuredClone(cap1), version: 1, response: {} };

    // Act
    const parsed = parseCustomSenderEvent(raw, 'email');

    // Assess
    expect(parsed.kind).toBe('known');
    expect(parsed.event).toBe(raw);
  });
});

describe.each(everySource)('Shared: parseCustomSenderEvent (documented shape of %s)', (source) => {
  const { channel } = customSenderSourceFacts[source];

  it('answers it as a known event of its channel, the very object, unchanged', () => {
    // Prepare
    const raw = documentedEvent(source);
    const before = structuredClone(raw);

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed.kind).toBe('known');
    expect(parsed.event).toBe(raw);
    expect(parsed.event.triggerSource).toBe(source);
    expect(raw).toEqual(before);
  });

  it("is refused by the other channel's parser, on triggerSource: the function is wired wrong", () => {
    // Prepare
    const raw = documentedEvent(source);

    // Act
    const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, otherChannel[channel]));

    // Assess
    expect(error).toMatchObject({
      path: 'triggerSource',
      expected: `a ${triggerNameOfChannel[otherChannel[channel]]}_* source`,
    });
    expect(error.message).not.toContain(source);
  });
});

describe.each(channels)('Shared: parseCustomSenderEvent (envelope, %s channel)', (channel) => {
  it.each([
    ['an app client id', '1example23456789abcdefghij'],
    ['CLIENT_ID_NOT_APPLICABLE of admin operations', CLIENT_ID_NOT_APPLICABLE],
    ['null, as the account-takeover capture has it', null],
  ])('accepts callerContext.clientId as %s', (_label, clientId) => {
    // Prepare
    const raw = withValueAt(codeEvent(channel), ['callerContext', 'clientId'], clientId);

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed.event.callerContext.clientId).toBe(clientId);
  });

  it.each([
    ['null', withValueAt(codeEvent(channel), ['callerContext', 'awsSdkVersion'], null)],
    ['absent', withoutKeyAt(codeEvent(channel), ['callerContext', 'awsSdkVersion'])],
  ])('accepts callerContext.awsSdkVersion %s', (_label, raw) => {
    // Prepare (the event above)

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed.event).toBe(raw);
  });

  it.each([
    ['null, as Cognito sends it when the caller sent none', null],
    ['an empty map', {}],
    ['a map of strings', { locale: 'pt-BR', campaign: 'spring' }],
  ])('accepts request.clientMetadata %s', (_label, clientMetadata) => {
    // Prepare
    const raw = withValueAt(codeEvent(channel), ['request', 'clientMetadata'], clientMetadata);

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed).toEqual({ kind: 'known', event: raw });
  });

  it('accepts an absent request.clientMetadata, as cognito-local leaves it out', () => {
    // Prepare
    const raw = withoutKeyAt(codeEvent(channel), ['request', 'clientMetadata']);

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed.event.request).not.toHaveProperty('clientMetadata');
    expect(parsed.ignoredClientMetadata).toBeUndefined();
  });

  it('tolerates unknown fields at every level, keeping them (contract §1, "Forward compatibility")', () => {
    // Prepare
    let raw: unknown = codeEvent(channel);
    for (const path of [
      ['newTopLevel'],
      ['callerContext', 'newCallerField'],
      ['request', 'newRequestField'],
    ]) {
      raw = withValueAt(raw as object, path, { nested: [1, null, 'x'] });
    }

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed.event).toBe(raw);
    expect(parsed.event).toMatchObject({ newTopLevel: { nested: [1, null, 'x'] } });
  });

  it('keeps any extra fields fast-check can think of, and returns the same object', () => {
    // Prepare
    const extras = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 });
    const places = fc.constantFrom([], ['callerContext'], ['request']);

    // Act
    const property = fc.property(extras, places, (fields, place) => {
      const base = codeEvent(channel);
      const known = new Set(Object.keys(place.reduce<Event>((node, key) => node[key] as Event, base)));
      let raw: unknown = base;
      for (const [key, value] of Object.entries(fields)) {
        if (!known.has(key)) raw = withValueAt(raw as object, [...place, key], value);
      }
      const parsed = parseCustomSenderEvent(raw, channel);
      return parsed.kind === 'known' && parsed.event === raw;
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });

  it.each([
    ['the event', [], 'an object', 'array', []],
    ['the event', [], 'an object', 'null', null],
    ['triggerSource', ['triggerSource'], 'a string', 'absent', undefined],
    ['triggerSource', ['triggerSource'], 'a string', 'number', 7],
    ['version', ['version'], 'a string (or number)', 'boolean', true],
    ['region', ['region'], 'a string', 'null', null],
    ['userPoolId', ['userPoolId'], 'a string', 'object', {}],
    ['userName', ['userName'], 'a string', 'absent', undefined],
    ['callerContext', ['callerContext'], 'an object', 'absent', undefined],
    ['callerContext', ['callerContext'], 'an object', 'null', null],
    ['callerContext.clientId', ['callerContext', 'clientId'], 'a string or null', 'absent', undefined],
    ['callerContext.clientId', ['callerContext', 'clientId'], 'a string or null', 'number', 1],
    [
      'callerContext.awsSdkVersion',
      ['callerContext', 'awsSdkVersion'],
      'a string, null or absent',
      'object',
      {},
    ],
    ['request', ['request'], 'an object', 'absent', undefined],
    ['request.type', ['request', 'type'], 'a string', 'absent', undefined],
    ['request.userAttributes', ['request', 'userAttributes'], 'an object', 'null', null],
    ['request.userAttributes', ['request', 'userAttributes'], 'an object', 'array', ['a']],
    ['request.clientMetadata', ['request', 'clientMetadata'], 'an object, null or absent', 'string', 'x'],
    [
      'request.clientMetadata',
      ['request', 'clientMetadata'],
      'an object, null or absent',
      'array',
      [['k', 'v']],
    ],
  ] as const)('refuses %s (at %j) when it is not %s but %s', (_label, path, expected, found, value) => {
    // Prepare
    const raw =
      path.length === 0
        ? value
        : value === undefined
          ? withoutKeyAt(codeEvent(channel), path)
          : withValueAt(codeEvent(channel), path, value);

    // Act
    const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, channel));

    // Assess
    expect(error).toMatchObject({
      name: 'EventShapeError',
      path: path.length === 0 ? 'event' : path.join('.'),
      expected,
      found,
    });
  });

  it.each([
    ['a sign-up trigger', 'CustomMessage_SignUp'],
    ['another Cognito trigger', 'PreAuthentication_Authentication'],
    ['no trigger at all', '<triggerSource>'],
    ['a trigger named like this one, with a suffix', `${triggerNameOfChannel[channel]}V2_SignUp`],
  ])('refuses the source of %s, by its JSON type only', (_label, source) => {
    // Prepare
    const raw = withValueAt(codeEvent(channel), ['triggerSource'], source);

    // Act
    const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, channel));

    // Assess
    expect(error).toMatchObject({ path: 'triggerSource', found: 'another string' });
    expect(error.message).not.toContain(source);
  });

  it("refuses the other channel's request.type on a known source", () => {
    // Prepare
    const raw = withValueAt(
      codeEvent(channel),
      ['request', 'type'],
      requestTypeOfChannel[otherChannel[channel]],
    );

    // Act
    const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, channel));

    // Assess
    expect(error).toMatchObject({
      path: 'request.type',
      expected: `"${requestTypeOfChannel[channel]}"`,
      found: 'another string',
    });
  });

  it('answers any JSON value with a result or a typed error, never anything else', () => {
    // Prepare
    const anything = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          version: fc.oneof(fc.constant('1'), fc.jsonValue()),
          region: fc.oneof(fc.constant('us-east-1'), fc.jsonValue()),
          userPoolId: fc.oneof(fc.constant('us-east-1_EXAMPLE'), fc.jsonValue()),
          userName: fc.oneof(fc.constant('rroe'), fc.jsonValue()),
          triggerSource: fc.oneof(
            fc.constantFrom(...everySource, `${triggerNameOfChannel[channel]}_Future`),
            fc.jsonValue(),
          ),
          callerContext: fc.oneof(fc.constant({ clientId: null }), fc.jsonValue()),
          request: fc.oneof(
            fc.record(
              {
                type: fc.oneof(fc.constant(requestTypeOfChannel[channel]), fc.jsonValue()),
                code: fc.oneof(fc.constant(fakeCode), fc.jsonValue()),
                userAttributes: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }),
                clientMetadata: fc.jsonValue(),
              },
              { requiredKeys: [] },
            ),
            fc.jsonValue(),
          ),
        },
        { requiredKeys: [] },
      ),
    );

    // Act
    const property = fc.property(anything, (raw) => {
      const outcome = outcomeOf(() => parseCustomSenderEvent(raw, channel));
      if (outcome instanceof Error) return outcome instanceof EventShapeError;
      const { kind } = outcome as { kind: unknown };
      return kind === 'known' || kind === 'unknown-source';
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe.each(channels)('Shared: parseCustomSenderEvent (request.code, %s channel)', (channel) => {
  it.each([
    ['null', null, 'null'],
    ['a number', 1234, 'number'],
  ])('refuses a code that is %s on a source that carries one', (_label, code, found) => {
    // Prepare
    const raw = withValueAt(codeEvent(channel), ['request', 'code'], code);

    // Act
    const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, channel));

    // Assess
    expect(error).toMatchObject({ path: 'request.code', expected: 'a string (base64 ciphertext)', found });
  });

  it('refuses an absent code on a source that carries one', () => {
    // Prepare
    const raw = withoutKeyAt(codeEvent(channel), ['request', 'code']);

    // Act
    const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, channel));

    // Assess
    expect(error).toMatchObject({ path: 'request.code', found: 'absent' });
  });

  it.each([
    ['empty', ''],
    ['base64url rather than base64', `${fakeCode.slice(0, -4)}-_-_`],
    ['cut by a space', `${fakeCode.slice(0, 8)} ${fakeCode.slice(8)}`],
    ['padded in the middle', `AYAD=${fakeCode}`],
  ])('refuses a code that is %s, without echoing it', (_label, code) => {
    // Prepare
    const raw = withValueAt(codeEvent(channel), ['request', 'code'], code);

    // Act
    const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, channel));

    // Assess
    expect(error).toMatchObject({ path: 'request.code', found: 'another string' });
    if (code !== '') expect(error.message).not.toContain(code);
  });

  it('accepts a code of the largest size, and refuses one character more', () => {
    // Prepare
    const { maxLength } = CustomSenderLimits.code;
    const largest = withValueAt(codeEvent(channel), ['request', 'code'], 'A'.repeat(maxLength));
    const larger = withValueAt(codeEvent(channel), ['request', 'code'], 'A'.repeat(maxLength + 1));

    // Act
    const accepted = parseCustomSenderEvent(largest, channel);
    const error = errorOf(EventShapeError, () => parseCustomSenderEvent(larger, channel));

    // Assess
    expect(accepted.kind).toBe('known');
    expect(error).toMatchObject({ path: 'request.code', found: 'a longer string' });
  });

  it('never puts a ciphertext into an error, wherever the event is broken', () => {
    // Prepare: 33+ random bytes give 44+ base64 characters; no run of base64 characters in a message of
    // field names, JSON types and fixed words is that long, so a hit could only be an echo.
    const ciphertexts = fc
      .uint8Array({ minLength: 33, maxLength: 600 })
      .map((bytes) => Buffer.from(bytes).toString('base64'));
    const breakages = fc.constantFrom<readonly [readonly string[], (code: string) => unknown]>(
      [['request', 'code'], (code) => `${code}!`],
      [['request', 'code'], (code) => ` ${code}`],
      [['request', 'code'], (code) => `-${code}`],
      [
        ['request', 'code'],
        (code) => code.repeat(Math.ceil((CustomSenderLimits.code.maxLength + 1) / code.length)),
      ],
      [['request', 'code'], (code) => ({ ciphertext: code })],
      [['request', 'code'], (code) => [code]],
      [['version'], () => true],
      [['region'], () => null],
      [['triggerSource'], () => 'PreSignUp_SignUp'],
      [['callerContext', 'clientId'], () => 7],
      [['request', 'type'], () => 'customVoiceSenderRequestV1'],
      [['request', 'userAttributes'], () => []],
      [['request', 'userAttributes', 'sub'], () => null],
      [['request', 'clientMetadata'], () => 'x'],
    );

    // Act
    const property = fc.property(ciphertexts, breakages, (code, [path, breakage]) => {
      const planted = withValueAt(codeEvent(channel), ['request', 'code'], code);
      const raw = withValueAt(planted as object, path, breakage(code));
      const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, channel));
      return [error.message, error.path, error.expected, error.found].every((text) => !text.includes(code));
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Shared: parseCustomSenderEvent (account takeover, email)', () => {
  it('answers the captured notification as a known event: null code, null caller, threat fields with nulls', () => {
    // Prepare
    const raw = structuredClone(accountTakeOverCapture);

    // Act
    const parsed = parseCustomSenderEvent(raw, 'email');

    // Assess
    expect(parsed).toEqual({ kind: 'known', event: accountTakeOverCapture });
    expect(parsed.event).toBe(raw);
  });

  it.each(['CITY', 'COUNTRY', 'DEVICE_NAME'])('accepts the notification without the optional %s', (field) => {
    // Prepare
    const raw = withoutKeyAt(accountTakeOverCapture, ['request', 'userAttributes', field]);

    // Act
    const parsed = parseCustomSenderEvent(raw, 'email');

    // Assess
    expect(parsed.kind).toBe('known');
    expect(parsed.event.request.userAttributes).not.toHaveProperty(field);
  });

  it.each([
    ['a string, as DT allows', fakeCode],
    ['absent', undefined],
  ])('accepts a code that is %s: nothing reads it', (_label, code) => {
    // Prepare
    const raw =
      code === undefined
        ? withoutKeyAt(accountTakeOverCapture, ['request', 'code'])
        : withValueAt(accountTakeOverCapture, ['request', 'code'], code);

    // Act
    const parsed = parseCustomSenderEvent(raw, 'email');

    // Assess
    expect(parsed.kind).toBe('known');
  });

  it('keeps an action value nobody listed, and a threat field AWS may add later', () => {
    // Prepare
    const withAction = withValueAt(
      accountTakeOverCapture,
      ['request', 'userAttributes', 'ACCOUNT_TAKE_OVER_ACTION'],
      'PASSKEY_REQUIRED',
    );
    const raw = withValueAt(withAction as object, ['request', 'userAttributes', 'RISK_LEVEL'], 'HIGH');

    // Act
    const parsed = parseCustomSenderEvent(raw, 'email');

    // Assess
    expect(parsed.event.request.userAttributes).toMatchObject({
      ACCOUNT_TAKE_OVER_ACTION: 'PASSKEY_REQUIRED',
      RISK_LEVEL: 'HIGH',
    });
  });

  it.each(requiredAccountTakeOverAttributes)('refuses the notification without %s, naming it', (field) => {
    // Prepare
    const raw = withoutKeyAt(accountTakeOverCapture, ['request', 'userAttributes', field]);

    // Act
    const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, 'email'));

    // Assess
    expect(error).toMatchObject({
      path: `request.userAttributes["${field}"]`,
      expected: 'a string',
      found: 'absent',
    });
  });

  it.each(requiredAccountTakeOverAttributes)('refuses a null %s', (field) => {
    // Prepare
    const raw = withValueAt(accountTakeOverCapture, ['request', 'userAttributes', field], null);

    // Act
    const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, 'email'));

    // Assess
    expect(error).toMatchObject({ path: `request.userAttributes["${field}"]`, found: 'null' });
  });

  it("refuses the user's own attributes in place of the threat fields", () => {
    // Prepare
    const raw = withValueAt(accountTakeOverCapture, ['request', 'userAttributes'], attributesOf.email);

    // Act
    const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, 'email'));

    // Assess
    expect(error.path).toBe('request.userAttributes["EVENT_ID"]');
  });

  it('refuses a threat field that is neither a string nor null', () => {
    // Prepare
    const raw = withValueAt(accountTakeOverCapture, ['request', 'userAttributes', 'CITY'], {
      name: 'Seattle',
    });

    // Act
    const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, 'email'));

    // Assess
    expect(error).toMatchObject({
      path: 'request.userAttributes["CITY"]',
      expected: 'a string or null',
      found: 'object',
    });
  });
});

describe('Shared: parseCustomSenderEvent (unknown sources)', () => {
  it("answers the SMS account-takeover source of the sample code as unknown, in the email event's shape", () => {
    // Prepare
    const raw = {
      ...structuredClone(accountTakeOverCapture),
      triggerSource: SAMPLE_ONLY_SMS_ACCOUNT_TAKEOVER_SOURCE,
      request: { ...structuredClone(accountTakeOverCapture.request), type: 'customSMSSenderRequestV1' },
    };

    // Act
    const parsed = parseCustomSenderEvent(raw, 'sms');

    // Assess
    expect(parsed.kind).toBe('unknown-source');
    expect(parsed.event).toBe(raw);
  });

  it.each(channels)('answers a future %s source as unknown, keeping the event as it came', (channel) => {
    // Prepare
    const raw = withValueAt(
      codeEvent(channel),
      ['triggerSource'],
      `${triggerNameOfChannel[channel]}_Passkey`,
    );

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed).toEqual({ kind: 'unknown-source', event: raw });
    expect(parsed.event).toBe(raw);
  });

  it('accepts an unknown source without type or code, with null attributes', () => {
    // Prepare
    const base = withValueAt(codeEvent('email'), ['triggerSource'], 'CustomEmailSender_Future');
    const noType = withoutKeyAt(base as object, ['request', 'type']);
    const noCode = withoutKeyAt(noType as object, ['request', 'code']);
    const raw = withValueAt(noCode as object, ['request', 'userAttributes', 'email'], null);

    // Act
    const parsed = parseCustomSenderEvent(raw, 'email');

    // Assess
    expect(parsed.kind).toBe('unknown-source');
    expect(parsed.event.request.userAttributes.email).toBeNull();
  });

  it.each([
    [['region'], undefined, 'region', 'absent'],
    [['request', 'type'], 3, 'request.type', 'number'],
    [['request', 'code'], { blob: 'x' }, 'request.code', 'object'],
    [['request', 'userAttributes'], 'x', 'request.userAttributes', 'string'],
    [['request', 'userAttributes', 'email'], 5, 'request.userAttributes["email"]', 'number'],
  ] as const)(
    'still refuses %j holding %j under an unknown source, at %s',
    (path, value, errorPath, found) => {
      // Prepare
      const base = withValueAt(codeEvent('email'), ['triggerSource'], 'CustomEmailSender_Future') as object;
      const raw = value === undefined ? withoutKeyAt(base, path) : withValueAt(base, path, value);

      // Act
      const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, 'email'));

      // Assess
      expect(error).toMatchObject({ path: errorPath, found });
    },
  );
});

describe.each(channels)(
  'Shared: parseCustomSenderEvent (request.userAttributes bounds, %s channel)',
  (channel) => {
    const { maxEntries, maxTotalLength } = CustomSenderLimits.userAttributes;

    it.each([
      ['null', null],
      ['a boolean', true],
      ['an object', { value: 'x' }],
    ])('refuses an attribute value that is %s on a known source, naming the key', (_label, value) => {
      // Prepare
      const raw = withValueAt(codeEvent(channel), ['request', 'userAttributes', 'custom:tier'], value);

      // Act
      const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, channel));

      // Assess
      expect(error).toMatchObject({
        path: 'request.userAttributes["custom:tier"]',
        expected: 'a string',
        found: jsonTypeOf(value),
      });
    });

    it('names a long key by its first 64 characters only', () => {
      // Prepare
      const key = 'k'.repeat(200);
      const raw = withValueAt(codeEvent(channel), ['request', 'userAttributes', key], 1);

      // Act
      const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, channel));

      // Assess
      expect(error.path).toBe(`request.userAttributes["${'k'.repeat(64)}"]`);
    });

    it(`accepts ${maxEntries} attributes and refuses one more`, () => {
      // Prepare
      const entries = (count: number) =>
        Object.fromEntries(Array.from({ length: count }, (_, i) => [`custom:a${i}`, 'v']));
      const largest = withValueAt(codeEvent(channel), ['request', 'userAttributes'], entries(maxEntries));
      const larger = withValueAt(codeEvent(channel), ['request', 'userAttributes'], entries(maxEntries + 1));

      // Act
      const accepted = parseCustomSenderEvent(largest, channel);
      const error = errorOf(EventShapeError, () => parseCustomSenderEvent(larger, channel));

      // Assess
      expect(accepted.kind).toBe('known');
      expect(error).toMatchObject({ path: 'request.userAttributes', found: 'a larger object' });
    });

    it(`refuses attributes longer than ${maxTotalLength} characters in all, whatever their number`, () => {
      // Prepare
      const raw = withValueAt(codeEvent(channel), ['request', 'userAttributes'], {
        notes: 'n'.repeat(maxTotalLength),
      });

      // Act
      const error = errorOf(EventShapeError, () => parseCustomSenderEvent(raw, channel));

      // Assess
      expect(error).toMatchObject({ path: 'request.userAttributes', found: 'a longer object' });
      expect(error.message).not.toContain('nnnn');
    });

    it('accepts a hostile attribute map only within its bounds and of strings, and refuses it otherwise with a typed error', () => {
      // Prepare
      const value = fc.oneof(
        fc.nat({ max: 4096 }).map((length) => 'v'.repeat(length)),
        fc.string(),
        fc.jsonValue(),
      );
      const maps = fc
        .array(fc.tuple(fc.string({ maxLength: 40 }), value), { maxLength: maxEntries + 40 })
        .map(mapOf);

      // Act
      const property = fc.property(maps, (map) => {
        const raw = withValueAt(codeEvent(channel), ['request', 'userAttributes'], map);
        const outcome = outcomeOf(() => parseCustomSenderEvent(raw, channel));
        if (outcome instanceof EventShapeError) return outcome.path.startsWith('request.userAttributes');
        const values = Object.values(map);
        return (
          !(outcome instanceof Error) &&
          values.length <= maxEntries &&
          lengthOf(map) <= maxTotalLength &&
          values.every((entry) => typeof entry === 'string')
        );
      });

      // Assess
      expect(() => fc.assert(property)).not.toThrow();
    });
  },
);

describe.each(channels)('Shared: parseCustomSenderEvent (request.clientMetadata, %s channel)', (channel) => {
  const { maxEntries, maxTotalLength } = CustomSenderLimits.clientMetadata;

  it('leaves out a map holding a non-string value, in a copy, naming the key and not the value', () => {
    // Prepare
    const raw = withValueAt(codeEvent(channel), ['request', 'clientMetadata'], { locale: 'fr', attempt: 2 });
    const before = structuredClone(raw);

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed.kind).toBe('known');
    expect(parsed.ignoredClientMetadata).toEqual({ key: 'attempt', reason: 'is number, not a string' });
    expect(parsed.event.request.clientMetadata).toBeNull();
    expect(parsed.event).not.toBe(raw);
    expect(raw).toEqual(before);
  });

  it('still delivers the code and every other field when the map is left out', () => {
    // Prepare
    const raw = withValueAt(codeEvent(channel), ['request', 'clientMetadata'], { groups: ['admin'] });

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed.event).toEqual(withValueAt(raw as object, ['request', 'clientMetadata'], null));
  });

  it(`leaves out a map of more than ${maxEntries} entries, as the metadata readers bound it`, () => {
    // Prepare
    const map = Object.fromEntries(Array.from({ length: maxEntries + 1 }, (_, i) => [`k${i}`, 'v']));
    const raw = withValueAt(codeEvent(channel), ['request', 'clientMetadata'], map);

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed.ignoredClientMetadata).toEqual({
      key: undefined,
      reason: `has more than ${maxEntries} entries`,
    });
    expect(parsed.event.request.clientMetadata).toBeNull();
  });

  it(`leaves out a map longer than ${maxTotalLength} characters`, () => {
    // Prepare
    const raw = withValueAt(codeEvent(channel), ['request', 'clientMetadata'], {
      note: 'x'.repeat(maxTotalLength),
    });

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed.ignoredClientMetadata).toEqual({
      key: undefined,
      reason: `is larger than ${maxTotalLength} characters`,
    });
  });

  it('names a long key by its first 64 characters only', () => {
    // Prepare
    const raw = withValueAt(codeEvent(channel), ['request', 'clientMetadata'], { ['k'.repeat(200)]: false });

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed.ignoredClientMetadata?.key).toBe('k'.repeat(64));
  });

  it('leaves out an own __proto__ key (as JSON.parse makes it) holding an object, without pollution', () => {
    // Prepare
    const raw = withValueAt(
      codeEvent(channel),
      ['request', 'clientMetadata'],
      JSON.parse('{"__proto__": {"x": 1}}'),
    );

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed.ignoredClientMetadata).toEqual({ key: '__proto__', reason: 'is object, not a string' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('leaves out a bad map under an unknown source too', () => {
    // Prepare
    const base = withValueAt(
      codeEvent(channel),
      ['triggerSource'],
      `${triggerNameOfChannel[channel]}_Future`,
    );
    const raw = withValueAt(base as object, ['request', 'clientMetadata'], { attempt: 3 });

    // Act
    const parsed = parseCustomSenderEvent(raw, channel);

    // Assess
    expect(parsed).toMatchObject({
      kind: 'unknown-source',
      ignoredClientMetadata: { key: 'attempt' },
      event: { request: { clientMetadata: null } },
    });
  });

  it('never fails for any hostile ClientMetadata, and passes on only strings within the bounds', () => {
    // Prepare
    const value = fc.oneof(
      fc.string(),
      fc.nat({ max: 2048 }).map((length) => 'v'.repeat(length)),
      fc.jsonValue(),
    );
    const maps = fc
      .array(fc.tuple(fc.string({ maxLength: 80 }), value), { maxLength: maxEntries + 20 })
      .map(mapOf);
    // The reasons the metadata readers give: fixed words and numbers, never a value.
    const reasons = /^(?:is \w+, not a string|has more than \d+ entries|is larger than \d+ characters)$/;

    // Act
    const property = fc.property(maps, (map) => {
      const raw = withValueAt(codeEvent(channel), ['request', 'clientMetadata'], map);
      const parsed = parseCustomSenderEvent(raw, channel);
      const passed = parsed.event.request.clientMetadata;
      if (parsed.ignoredClientMetadata !== undefined) {
        const { key, reason } = parsed.ignoredClientMetadata;
        return passed === null && reasons.test(reason) && (key === undefined || key.length <= 64);
      }
      const values = Object.values(map);
      return (
        passed === map &&
        values.length <= maxEntries &&
        lengthOf(map) <= maxTotalLength &&
        values.every((entry) => typeof entry === 'string')
      );
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Shared: parseCustomSenderEvent (channel)', () => {
  it.each([['voice'], ['EMAIL'], [undefined]])('refuses the channel %j as an options error', (channel) => {
    // Prepare
    const raw = structuredClone(cap1);

    // Act
    const error = errorOf(OptionsError, () => parseCustomSenderEvent(raw, channel as CustomSenderChannel));

    // Assess
    expect(error).toMatchObject({ option: 'channel', expected: '"email" or "sms"' });
  });
});
