import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventShapeError, MetadataInvalidError } from '../../../shared/errors.js';
import {
  CLIENT_ID_NOT_APPLICABLE,
  type PreSignUpEvent,
  type SignUpTriggerEvent,
} from '../../../shared/event-types.js';
import {
  jsonTypeOf,
  parseCustomMessageEvent,
  parsePostConfirmationEvent,
  parsePreSignUpEvent,
} from '../../../shared/parse-event.js';
import {
  customMessageSources,
  isTriggerSource,
  NO_TRIGGER_SOURCE,
  postConfirmationSources,
  preSignUpSources,
} from '../../../shared/trigger-source.js';
import {
  customMessageEvent,
  postConfirmationEvent,
  preSignUpEvent,
  testEmail,
  withoutKeyAt,
  withValueAt,
} from '../../support/builders.js';
import { errorOf, outcomeOf } from '../../support/outcomes.js';

type Parser = (raw: unknown) => SignUpTriggerEvent;

/** One row per trigger: its parser, a valid base event, and its sources. */
const triggers: readonly {
  trigger: string;
  parse: Parser;
  event: () => SignUpTriggerEvent;
  sources: readonly string[];
  foreignSource: string;
  /** The response Cognito pre-fills (contract §1, `response`). */
  defaults: Record<string, unknown>;
  /** What a request needs beside userAttributes. */
  requestFields: Record<string, unknown>;
}[] = [
  {
    trigger: 'PreSignUp',
    parse: parsePreSignUpEvent,
    event: () => preSignUpEvent(),
    sources: preSignUpSources,
    foreignSource: 'PostConfirmation_ConfirmSignUp',
    defaults: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    requestFields: {},
  },
  {
    trigger: 'CustomMessage',
    parse: parseCustomMessageEvent,
    event: () => customMessageEvent(),
    sources: customMessageSources,
    foreignSource: 'PreSignUp_SignUp',
    defaults: { smsMessage: null, emailMessage: null, emailSubject: null },
    requestFields: { codeParameter: '{####}' },
  },
  {
    trigger: 'PostConfirmation',
    parse: parsePostConfirmationEvent,
    event: () => postConfirmationEvent(),
    sources: postConfirmationSources,
    foreignSource: 'CustomMessage_SignUp',
    defaults: {},
    requestFields: {},
  },
];

/** The object at `path` inside `event`. */
function fieldAt(event: object, path: readonly string[]): object {
  return path.reduce<object>((node, key) => (node as Record<string, object>)[key] ?? {}, event);
}

// AWS's test events, as the Cognito developer guide prints them for pasting into the Lambda console. The ones
// with a triggerSource are also recorded under events/; these fragments carry none.

/** Pre sign-up page, "Auto-confirm users from a registered domain". */
const guidePreSignUpDomainSample = {
  request: { userAttributes: { email: 'testuser@example.com', 'custom:domain': 'example.com' } },
  response: {},
};

/** Pre sign-up page, "Auto-confirm and auto-verify all users". */
const guidePreSignUpVerifySample = {
  request: { userAttributes: { email: 'user@example.com', phone_number: '+12065550100' } },
  response: {},
};

/** Post confirmation page, "Post confirmation example". */
const guidePostConfirmationSample = {
  request: { userAttributes: { email: 'user@example.com', email_verified: true } },
  response: {},
};

/** Custom message page (current), "Custom message for sign up example". */
const guideCustomMessageSignUpSample = {
  version: '1',
  region: 'us-west-2',
  userPoolId: 'us-west-2_EXAMPLE',
  userName: 'test-user',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
  triggerSource: 'CustomMessage_SignUp',
  request: {
    userAttributes: {
      sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      'cognito:user_status': 'CONFIRMED',
      email_verified: 'true',
      phone_number_verified: 'true',
      phone_number: '+12065551212',
      email: 'test-user@example.com',
    },
    codeParameter: '{####}',
    linkParameter: '{##Click Here##}',
    usernameParameter: 'None',
  },
  response: { smsMessage: 'None', emailMessage: 'None', emailSubject: 'None' },
};

/**
 * Custom message page (current), "Custom message for admin create user example", made valid JSON (its
 * `...` lines removed, the missing commas added).
 */
const guideCustomMessageAdminSample = {
  version: 1,
  triggerSource: 'CustomMessage_AdminCreateUser',
  region: '`<region>`',
  userPoolId: '`<userPoolId>`',
  userName: '`<userName>`',
  callerContext: { awsSdk: '`<calling aws sdk with version>`', clientId: '`<apps client id>`' },
  request: {
    userAttributes: { phone_number_verified: false, email_verified: true },
    codeParameter: '####',
    usernameParameter: 'username',
  },
  response: {
    smsMessage: '`<custom message to be sent in the message with code parameter and username parameter>`',
    emailMessage: '`<custom message to be sent in the message with code parameter and username parameter>`',
    emailSubject: '`<custom email subject>`',
  },
};

describe('Shared: jsonTypeOf', () => {
  it.each([
    [undefined, 'absent'],
    [null, 'null'],
    [[1], 'array'],
    [{}, 'object'],
    ['x', 'string'],
    [1, 'number'],
    [true, 'boolean'],
  ])('names %j as %s', (value, expected) => {
    // Prepare (nothing beyond the value)

    // Act
    const type = jsonTypeOf(value);

    // Assess
    expect(type).toBe(expected);
  });
});

describe.each(triggers)(
  'Shared: parse $trigger event (envelope, contract §1)',
  ({ parse, event, sources, foreignSource }) => {
    it('returns the very object it was given, unchanged', () => {
      // Prepare
      const raw = event();
      const before = structuredClone(raw);

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed).toBe(raw);
      expect(raw).toEqual(before);
    });

    it.each(sources)('accepts triggerSource %s', (source) => {
      // Prepare
      const raw = withValueAt(event(), ['triggerSource'], source);

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed.triggerSource).toBe(source);
    });

    it('accepts an undocumented source of its own trigger, for the handler core to decide (contract §2)', () => {
      // Prepare
      const source = `${sources[0]?.split('_')[0]}_SomethingNew`;
      const raw = withValueAt(event(), ['triggerSource'], source);

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed.triggerSource).toBe(source);
    });

    it.each([
      ['the string "1"', '1'],
      ['the number 1 of an older doc sample', 1],
    ])('accepts version as %s', (_label, version) => {
      // Prepare
      const raw = withValueAt(event(), ['version'], version);

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed.version).toBe(version);
    });

    it.each([
      ['an app client id', '1example23456789abcdefghij'],
      ['CLIENT_ID_NOT_APPLICABLE of admin operations', CLIENT_ID_NOT_APPLICABLE],
      ['null, as AdminConfirmSignUp sends it', null],
    ])('accepts callerContext.clientId as %s', (_label, clientId) => {
      // Prepare
      const raw = withValueAt(event(), ['callerContext', 'clientId'], clientId);

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed.callerContext.clientId).toBe(clientId);
    });

    it('accepts an absent callerContext.awsSdkVersion', () => {
      // Prepare
      const raw = withoutKeyAt(event(), ['callerContext', 'awsSdkVersion']);

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed.callerContext).not.toHaveProperty('awsSdkVersion');
    });

    it.each([
      ['absent, as when no ClientMetadata was sent', undefined],
      ['null', null],
      ['an empty map', {}],
      ['a map of strings', { invite: 'abc', locale: 'en' }],
    ])('accepts request.clientMetadata %s', (_label, clientMetadata) => {
      // Prepare
      const raw =
        clientMetadata === undefined
          ? withoutKeyAt(event(), ['request', 'clientMetadata'])
          : withValueAt(event(), ['request', 'clientMetadata'], clientMetadata);

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed.request.clientMetadata).toEqual(clientMetadata);
    });

    it('tolerates unknown fields at every level (contract §1, "Forward compatibility")', () => {
      // Prepare
      let raw: unknown = event();
      for (const path of [
        ['newTopLevel'],
        ['callerContext', 'newCallerField'],
        ['request', 'newRequestField'],
        ['response', 'newResponseField'],
      ]) {
        raw = withValueAt(raw as object, path, { nested: [1, null, 'x'] });
      }

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed).toBe(raw);
    });

    it('tolerates any extra fields fast-check can think of, and keeps returning the same object', () => {
      // Prepare
      const extras = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 });
      const places = fc.constantFrom([], ['callerContext'], ['request'], ['response']);

      // Act
      const property = fc.property(extras, places, (fields, place) => {
        let raw: unknown = event();
        const known = new Set(Object.keys(fieldAt(event(), place)));
        for (const [key, value] of Object.entries(fields)) {
          if (!known.has(key)) raw = withValueAt(raw as object, [...place, key], value);
        }
        return parse(raw) === raw;
      });

      // Assess
      expect(() => fc.assert(property)).not.toThrow();
    });

    it.each([
      ['the event', [], 'an object', 'array', []],
      ['the event', [], 'an object', 'null', null],
      ['the event', [], 'an object', 'string', 'PreSignUp_SignUp'],
      ['triggerSource', ['triggerSource'], 'a string', 'number', 7],
      ['version', ['version'], 'a string (or number)', 'boolean', true],
      ['version', ['version'], 'a string (or number)', 'null', null],
      ['region', ['region'], 'a string', 'null', null],
      ['userPoolId', ['userPoolId'], 'a string', 'object', {}],
      ['userName', ['userName'], 'a string', 'absent', undefined],
      ['callerContext', ['callerContext'], 'an object', 'null', null],
      ['callerContext.clientId', ['callerContext', 'clientId'], 'a string, null or absent', 'number', 1],
      ['callerContext.awsSdkVersion', ['callerContext', 'awsSdkVersion'], 'a string', 'null', null],
      ['request', ['request'], 'an object', 'absent', undefined],
      ['request.userAttributes', ['request', 'userAttributes'], 'an object', 'null', null],
      ['request.userAttributes', ['request', 'userAttributes'], 'an object', 'array', ['a']],
      ['request.clientMetadata', ['request', 'clientMetadata'], 'an object', 'string', 'x'],
      ['response', ['response'], 'an object', 'null', null],
    ])('refuses %s (at %j) when it is not %s but %s', (_label, path, expected, found, value) => {
      // Prepare
      const raw = path.length === 0 ? value : withValueAt(event(), path, value);

      // Act
      const error = errorOf(EventShapeError, () => parse(raw));

      // Assess
      expect(error).toMatchObject({
        name: 'EventShapeError',
        path: path.length === 0 ? 'event' : path.join('.'),
        found,
      });
      expect(error.expected).toContain(expected);
    });

    it.each([
      ['null', null],
      ['an object', { value: 'true' }],
      ['an array', ['true']],
    ])(
      'names the attribute whose value is %s, and its JSON type (contract §1, strings only)',
      (_label, value) => {
        // Prepare
        const raw = withValueAt(event(), ['request', 'userAttributes', 'email_verified'], value);

        // Act
        const error = errorOf(EventShapeError, () => parse(raw));

        // Assess
        expect(error).toMatchObject({
          path: 'request.userAttributes["email_verified"]',
          expected: 'a string (or a boolean or number)',
          found: jsonTypeOf(value),
        });
      },
    );

    it("coerces a boolean attribute of AWS's samples to the string Cognito sends, leaving the original as it was", () => {
      // Prepare
      const raw = withValueAt(event(), ['request', 'userAttributes', 'email_verified'], true);
      const before = structuredClone(raw);

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed.request.userAttributes.email_verified).toBe('true');
      expect(raw).toEqual(before);
    });

    it('coerces any scalar attribute value to the string Cognito would send, and never throws (contract §1)', () => {
      // Prepare
      const scalar = fc.oneof(
        fc.boolean(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string(),
      );
      const attributes = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), scalar, { maxKeys: 6 });

      // Act
      const property = fc.property(attributes, (values) => {
        const raw = withValueAt(event(), ['request', 'userAttributes'], values);
        const parsed = parse(JSON.parse(JSON.stringify(raw)));
        const sent = parsed.request.userAttributes;
        return Object.entries(values).every(([key, value]) => {
          const text = sent[key];
          if (typeof value === 'boolean') return text === (value ? 'true' : 'false');
          // A number reads back as itself, in JSON's number syntax (what JSON.stringify wrote above).
          if (typeof value === 'number') return text === JSON.stringify(value);
          return text === value;
        });
      });

      // Assess
      expect(() => fc.assert(property)).not.toThrow();
    });

    it('answers any non-object request with a typed error, never a crash or a fallback', () => {
      // Prepare
      const notAnObject = fc
        .jsonValue()
        .filter((value) => typeof value !== 'object' || value === null || Array.isArray(value));

      // Act
      const property = fc.property(notAnObject, (value) => {
        const error = errorOf(EventShapeError, () => parse(withValueAt(event(), ['request'], value)));
        return error.path === 'request' && error.found === jsonTypeOf(value);
      });

      // Assess
      expect(() => fc.assert(property)).not.toThrow();
    });

    it('refuses a source of another trigger, on triggerSource', () => {
      // Prepare
      const raw = withValueAt(event(), ['triggerSource'], foreignSource);

      // Act
      const error = errorOf(EventShapeError, () => parse(raw));

      // Assess
      expect(error.path).toBe('triggerSource');
    });

    it('keeps every planted value out of the message, reporting only its JSON type', () => {
      // Prepare: a string planted where an object belongs, or an object holding a string where a string
      // belongs. The § marks cannot occur in a message made of field names, JSON types and fixed words.
      const secret = fc.string({ minLength: 1 }).map((text) => `§${text}§`);
      const withMetadata = () => withValueAt(event(), ['request', 'clientMetadata'], { k: 'v' }) as object;
      const plantings = fc.oneof(
        fc.record({
          path: fc.constantFrom(
            ['callerContext'],
            ['request'],
            ['request', 'userAttributes'],
            ['request', 'clientMetadata'],
            ['response'],
          ),
          value: secret,
        }),
        fc.record({
          path: fc.constantFrom(
            ['version'],
            ['region'],
            ['userPoolId'],
            ['userName'],
            ['callerContext', 'clientId'],
            ['request', 'userAttributes', 'email'],
          ),
          value: secret.map((text) => ({ secret: text })),
        }),
      );

      // Act
      const property = fc.property(plantings, ({ path, value }) => {
        const error = errorOf(EventShapeError, () => parse(withValueAt(withMetadata(), path, value)));
        const text = typeof value === 'string' ? value : value.secret;
        return !error.message.includes(text) && error.found === jsonTypeOf(value);
      });

      // Assess
      expect(() => fc.assert(property)).not.toThrow();
    });
  },
);

describe.each(triggers)(
  'Shared: parse $trigger event (trigger family)',
  ({ parse, event, trigger, foreignSource }) => {
    // Regression: the wrong-family error puts the source itself in `found` and in the message,
    // against EventShapeError's own rule ("the JSON type that was found, never the value itself").
    it('reports a foreign triggerSource by its JSON type, never by its value', () => {
      // Prepare
      const raw = withValueAt(event(), ['triggerSource'], foreignSource);

      // Act
      const error = errorOf(EventShapeError, () => parse(raw));

      // Assess
      expect(error).toMatchObject({
        path: 'triggerSource',
        expected: `a ${trigger}_* source`,
        found: 'string',
      });
      expect(error.message).not.toContain(foreignSource);
    });
  },
);

describe.each(triggers)(
  'Shared: parse $trigger event (test events AWS hands out, contract §1)',
  ({ parse, event, sources, trigger, foreignSource, defaults, requestFields }) => {
    it("reads a missing callerContext, as the developer guide's samples leave it out, as { clientId: null }", () => {
      // Prepare
      const raw = withoutKeyAt(event(), ['callerContext']);
      const before = structuredClone(raw);

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed.callerContext).toEqual({ clientId: null });
      expect(raw).toEqual(before);
    });

    it('reads callerContext.awsSdk of the older custom message samples as awsSdkVersion', () => {
      // Prepare
      const raw = withValueAt(event(), ['callerContext'], {
        awsSdk: '<calling aws sdk with version>',
        clientId: '<apps client id>',
      });

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed.callerContext).toMatchObject({
        awsSdkVersion: '<calling aws sdk with version>',
        clientId: '<apps client id>',
      });
    });

    it('refuses a callerContext.awsSdk that is not a string', () => {
      // Prepare
      const raw = withValueAt(event(), ['callerContext'], { awsSdk: 3, clientId: null });

      // Act
      const error = errorOf(EventShapeError, () => parse(raw));

      // Assess
      expect(error).toMatchObject({ path: 'callerContext.awsSdk', found: 'number' });
    });

    it.each([
      ['a placeholder', '<triggerSource>'],
      ['a list of its own sources, as the older custom message sample has', 'LIST'],
      ['an empty string', ''],
    ])('keeps %s as an unknown triggerSource, for the unknown-source policy to answer', (_label, value) => {
      // Prepare
      const source = value === 'LIST' ? `${sources[0]}/${sources.at(-1)}` : value;
      const raw = withValueAt(event(), ['triggerSource'], source);

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed.triggerSource).toBe(source);
      expect(isTriggerSource(parsed.triggerSource)).toBe(false);
    });

    it.each([
      ['another Cognito trigger', 'PreAuthentication_Authentication'],
      ['another sign-up trigger, in a list', 'FOREIGN_LIST'],
    ])('still refuses the source of %s: the function is wired to the wrong trigger', (_label, value) => {
      // Prepare
      const source = value === 'FOREIGN_LIST' ? `${foreignSource}/${foreignSource}` : value;
      const raw = withValueAt(event(), ['triggerSource'], source);

      // Act
      const error = errorOf(EventShapeError, () => parse(raw));

      // Assess
      expect(error).toMatchObject({ path: 'triggerSource', expected: `a ${trigger}_* source` });
    });

    it('answers a fragment without envelope ({ request, response }) under no trigger source', () => {
      // Prepare
      const request = { userAttributes: { email: testEmail }, ...requestFields };
      const raw = { request, response: {} };

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed).toMatchObject({
        triggerSource: NO_TRIGGER_SOURCE,
        version: '',
        region: '',
        userPoolId: '',
        userName: '',
        callerContext: { clientId: null },
      });
      expect(isTriggerSource(parsed.triggerSource)).toBe(false);
      expect(raw).toEqual({ request, response: {} });
    });

    it('keeps the envelope fields a fragment does carry', () => {
      // Prepare
      const raw = { userName: 'rroe', request: { userAttributes: {}, ...requestFields }, response: {} };

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed.userName).toBe('rroe');
    });

    it.each([
      ['region', 5],
      ['userName', null],
      ['callerContext', 'x'],
    ])('still refuses a fragment whose %s is of the wrong type', (field, value) => {
      // Prepare
      const raw = { [field]: value, request: { userAttributes: {}, ...requestFields }, response: {} };

      // Act
      const error = errorOf(EventShapeError, () => parse(raw));

      // Assess
      expect(error).toMatchObject({ path: field, found: jsonTypeOf(value) });
    });

    it('still refuses a fragment without request, as one of the code examples has', () => {
      // Prepare
      const raw = { userName: 'rroe', response: {} };

      // Act
      const error = errorOf(EventShapeError, () => parse(raw));

      // Assess
      expect(error).toMatchObject({ path: 'request', found: 'absent' });
    });

    it('still refuses an event with a triggerSource but without region: a real event has the envelope', () => {
      // Prepare
      const raw = withoutKeyAt(event(), ['region']);

      // Act
      const error = errorOf(EventShapeError, () => parse(raw));

      // Assess
      expect(error).toMatchObject({ path: 'region', found: 'absent' });
    });

    it("fills a missing response with Cognito's pre-filled defaults, leaving the original without one", () => {
      // Prepare
      const raw = withoutKeyAt(event(), ['response']);

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed.response).toEqual(defaults);
      expect(raw).not.toHaveProperty('response');
    });

    it('answers any JSON value with an event or a typed error, never anything else', () => {
      // Prepare
      const anything = fc.oneof(
        fc.jsonValue(),
        fc.record(
          {
            triggerSource: fc.oneof(fc.constantFrom(...sources, '<triggerSource>'), fc.jsonValue()),
            request: fc.oneof(
              fc.record({ userAttributes: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }) }),
              fc.jsonValue(),
            ),
            response: fc.jsonValue(),
            callerContext: fc.jsonValue(),
          },
          { requiredKeys: [] },
        ),
      );

      // Act
      const property = fc.property(anything, (raw) => {
        const outcome = outcomeOf(() => parse(raw));
        return (
          outcome instanceof EventShapeError ||
          outcome instanceof MetadataInvalidError ||
          (typeof outcome === 'object' && outcome !== null && !(outcome instanceof Error))
        );
      });

      // Assess
      expect(() => fc.assert(property)).not.toThrow();
    });
  },
);

describe('Shared: parsePreSignUpEvent (contract §2)', () => {
  it.each([
    ['null, as Cognito sends it when the caller sent none', null],
    ['an empty map, as a 2019 ExternalProvider capture had', {}],
    ['a map of strings', { invite: 'abc' }],
  ])('accepts request.validationData as %s', (_label, validationData) => {
    // Prepare
    const raw = preSignUpEvent({ request: { validationData } });

    // Act
    const parsed = parsePreSignUpEvent(raw);

    // Assess
    expect(parsed.request.validationData).toEqual(validationData);
  });

  it('accepts an absent request.validationData', () => {
    // Prepare
    const raw = withoutKeyAt(preSignUpEvent(), ['request', 'validationData']);

    // Act
    const parsed = parsePreSignUpEvent(raw);

    // Assess
    expect(parsed.request).not.toHaveProperty('validationData');
  });

  it('accepts response flags Cognito pre-filled with true', () => {
    // Prepare
    const raw = preSignUpEvent({
      response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true },
    });

    // Act
    const parsed = parsePreSignUpEvent(raw);

    // Assess
    expect(parsed.response.autoConfirmUser).toBe(true);
  });

  it.each([
    [['request', 'validationData'], 'string', 'x'],
    [['request', 'validationData'], 'array', [{ Name: 'invite', Value: 'abc' }]],
    [['response', 'autoConfirmUser'], 'string', 'false'],
    [['response', 'autoVerifyEmail'], 'string', 'boolean'],
    [['response', 'autoVerifyPhone'], 'null', null],
  ])('refuses %j when it holds a %s', (path, found, value) => {
    // Prepare
    const raw = withValueAt(preSignUpEvent(), path, value);

    // Act
    const error = errorOf(EventShapeError, () => parsePreSignUpEvent(raw));

    // Assess
    expect(error.found).toBe(found);
  });
});

describe('Shared: parsePreSignUpEvent (test events AWS hands out)', () => {
  it("fills the flags of the developer guide's empty response with Cognito's false", () => {
    // Prepare
    const raw = preSignUpEvent();
    raw.response = {} as PreSignUpEvent['response'];

    // Act
    const parsed = parsePreSignUpEvent(raw);

    // Assess
    expect(parsed.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    expect(raw.response).toEqual({});
  });

  it.each([
    ['auto-confirm users from a registered domain', guidePreSignUpDomainSample],
    ['auto-confirm and auto-verify all users', guidePreSignUpVerifySample],
  ])("answers the developer guide's test event to %s as a source nobody documented", (_label, sample) => {
    // Prepare
    const raw = structuredClone(sample);

    // Act
    const parsed = parsePreSignUpEvent(raw);

    // Assess
    expect(parsed).toMatchObject({
      triggerSource: NO_TRIGGER_SOURCE,
      request: { userAttributes: sample.request.userAttributes },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    expect(raw).toEqual(sample);
  });
});

describe('Shared: parsePreSignUpEvent (caller metadata, contract §5)', () => {
  const sourcesOfMetadata = [
    ['clientMetadata', ['request', 'clientMetadata']],
    ['validationData', ['request', 'validationData']],
  ] as const;
  const notStrings = [
    ['a number', 2],
    ['an object', { code: 'x' }],
    ['an array', ['x']],
    ['null', null],
    ['a boolean', true],
  ] as const;

  it.each(
    sourcesOfMetadata.flatMap(([source, path]) =>
      notStrings.map(([label, value]) => [source, label, path, value] as const),
    ),
  )('refuses a %s value that is %s with METADATA_INVALID, naming the key', (source, _label, path, value) => {
    // Prepare
    const raw = withValueAt(preSignUpEvent(), path, { invite: 'abc', attempt: value });

    // Act
    const error = errorOf(MetadataInvalidError, () => parsePreSignUpEvent(raw));

    // Assess
    expect(error).toMatchObject({
      code: 'METADATA_INVALID',
      source,
      key: 'attempt',
      reason: `is ${jsonTypeOf(value)}, not a string`,
    });
    expect(error.message).toBe('METADATA_INVALID: The sign-up request contains invalid data.');
  });

  it('refuses any non-string JSON value in any key of either map, never as a fault', () => {
    // Prepare
    const notString = fc.jsonValue().filter((value) => typeof value !== 'string');
    const maps = fc.record({
      path: fc.constantFrom(...sourcesOfMetadata),
      strings: fc.dictionary(fc.string({ maxLength: 64 }), fc.string(), { maxKeys: 4 }),
      key: fc.string({ maxLength: 64 }),
      value: notString,
    });

    // Act
    const property = fc.property(maps, ({ path: [source, path], strings, key, value }) => {
      const map = { ...strings };
      Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
      const error = errorOf(MetadataInvalidError, () =>
        parsePreSignUpEvent(withValueAt(preSignUpEvent(), path, map)),
      );
      return (
        error.source === source &&
        error.key !== undefined &&
        Object.hasOwn(map, error.key) &&
        typeof (map as Record<string, unknown>)[error.key] !== 'string' &&
        error.message === 'METADATA_INVALID: The sign-up request contains invalid data.'
      );
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });

  it('names a long key by its first 64 characters only', () => {
    // Prepare
    const key = 'k'.repeat(200);
    const raw = withValueAt(preSignUpEvent(), ['request', 'clientMetadata'], { [key]: 1 });

    // Act
    const error = errorOf(MetadataInvalidError, () => parsePreSignUpEvent(raw));

    // Assess
    expect(error.key).toBe('k'.repeat(64));
  });

  it('refuses an own __proto__ key (as JSON.parse makes it) holding a non-string, without pollution', () => {
    // Prepare
    const raw = withValueAt(
      preSignUpEvent(),
      ['request', 'clientMetadata'],
      JSON.parse('{"__proto__": {"x": 1}}'),
    );

    // Act
    const error = errorOf(MetadataInvalidError, () => parsePreSignUpEvent(raw));

    // Assess
    expect(error).toMatchObject({
      source: 'clientMetadata',
      key: '__proto__',
      reason: 'is object, not a string',
    });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('still answers a broken event with an EventShapeError (a fault) when its metadata is bad too', () => {
    // Prepare
    const raw = withValueAt(
      preSignUpEvent({ request: { clientMetadata: { attempt: 2 } as unknown as Record<string, string> } }),
      ['response', 'autoConfirmUser'],
      'false',
    );

    // Act
    const error = errorOf(EventShapeError, () => parsePreSignUpEvent(raw));

    // Assess
    expect(error.path).toBe('response.autoConfirmUser');
  });
});

describe.each([
  { trigger: 'CustomMessage', parse: parseCustomMessageEvent, event: () => customMessageEvent() },
  { trigger: 'PostConfirmation', parse: parsePostConfirmationEvent, event: () => postConfirmationEvent() },
] as const)(
  'Shared: parse $trigger event (caller metadata left to the readers, contract §5)',
  ({ parse, event }) => {
    it('returns the event unchanged when a ClientMetadata value is not a string: the readers ignore it', () => {
      // Prepare
      const raw = withValueAt(event(), ['request', 'clientMetadata'], {
        locale: 'fr',
        attempt: 2,
        groups: null,
      });
      const before = structuredClone(raw);

      // Act
      const parsed = parse(raw);

      // Assess
      expect(parsed).toBe(raw);
      expect(raw).toEqual(before);
    });

    it('never fails for any JSON values in any ClientMetadata key', () => {
      // Prepare
      const maps = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 });

      // Act
      const property = fc.property(maps, (map) => {
        const raw = withValueAt(event(), ['request', 'clientMetadata'], map);
        return parse(raw) === raw;
      });

      // Assess
      expect(() => fc.assert(property)).not.toThrow();
    });
  },
);

describe('Shared: parseCustomMessageEvent (contract §3)', () => {
  it.each([
    ['absent', undefined],
    ['null, as every source but AdminCreateUser sends it', null],
    ['"{username}", as AdminCreateUser sends it', '{username}'],
  ])('accepts request.usernameParameter %s', (_label, usernameParameter) => {
    // Prepare
    const raw =
      usernameParameter === undefined
        ? withoutKeyAt(customMessageEvent(), ['request', 'usernameParameter'])
        : customMessageEvent({ request: { usernameParameter } });

    // Act
    const parsed = parseCustomMessageEvent(raw);

    // Assess
    expect(parsed.request.usernameParameter).toBe(usernameParameter);
  });

  it.each([
    ['absent', undefined],
    ['null', null],
  ])('accepts request.linkParameter %s', (_label, linkParameter) => {
    // Prepare
    const raw =
      linkParameter === undefined
        ? withoutKeyAt(customMessageEvent(), ['request', 'linkParameter'])
        : customMessageEvent({ request: { linkParameter } });

    // Act
    const parsed = parseCustomMessageEvent(raw);

    // Assess
    expect(parsed.request.linkParameter).toBe(linkParameter);
  });

  it('fills response fields left out, as a test console may send them, with the null Cognito pre-fills', () => {
    // Prepare
    const raw = withValueAt(customMessageEvent(), ['response'], {});

    // Act
    const parsed = parseCustomMessageEvent(raw);

    // Assess
    expect(parsed.response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
  });

  it('reads usernameParameter "None" of the developer guide\'s test event as the null Cognito sends', () => {
    // Prepare
    const raw = customMessageEvent({ request: { usernameParameter: 'None' } });

    // Act
    const parsed = parseCustomMessageEvent(raw);

    // Assess
    expect(parsed.request.usernameParameter).toBeNull();
    expect(raw.request.usernameParameter).toBe('None');
  });

  it.each([
    ['"None"', 'None'],
    ['an angle-bracket placeholder', '<custom email subject>'],
    ['a placeholder in Markdown backticks', '`<custom email subject>`'],
  ])('reads %s in a response field as the null Cognito pre-fills', (_label, placeholder) => {
    // Prepare
    const raw = customMessageEvent({
      response: { smsMessage: placeholder, emailMessage: placeholder, emailSubject: placeholder },
    });

    // Act
    const parsed = parseCustomMessageEvent(raw);

    // Assess
    expect(parsed.response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
  });

  it('answers the developer guide\'s current test event, with its "None" placeholders', () => {
    // Prepare
    const raw = structuredClone(guideCustomMessageSignUpSample);

    // Act
    const parsed = parseCustomMessageEvent(raw);

    // Assess
    expect(parsed).toMatchObject({
      triggerSource: 'CustomMessage_SignUp',
      request: { usernameParameter: null, codeParameter: '{####}' },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
    expect(raw).toEqual(guideCustomMessageSignUpSample);
  });

  it("answers the developer guide's AdminCreateUser test event, with its placeholders, booleans and awsSdk", () => {
    // Prepare
    const raw = structuredClone(guideCustomMessageAdminSample);

    // Act
    const parsed = parseCustomMessageEvent(raw);

    // Assess
    expect(parsed).toMatchObject({
      version: 1,
      triggerSource: 'CustomMessage_AdminCreateUser',
      callerContext: { awsSdkVersion: '`<calling aws sdk with version>`' },
      request: {
        userAttributes: { phone_number_verified: 'false', email_verified: 'true' },
        codeParameter: '####',
        usernameParameter: 'username',
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
  });

  it('accepts response fields a previous step already filled with strings', () => {
    // Prepare
    const raw = customMessageEvent({
      response: { smsMessage: 'Code {####}', emailMessage: '<p>{####}</p>', emailSubject: 'Welcome' },
    });

    // Act
    const parsed = parseCustomMessageEvent(raw);

    // Assess
    expect(parsed.response.emailSubject).toBe('Welcome');
  });

  it.each([
    [['request', 'codeParameter'], 'a string', 'absent', undefined],
    [['request', 'codeParameter'], 'a string', 'null', null],
    [['request', 'linkParameter'], 'a string, null or absent', 'number', 1],
    [['request', 'usernameParameter'], 'a string, null or absent', 'boolean', false],
    [['response', 'smsMessage'], 'a string, null or absent', 'number', 0],
    [['response', 'emailMessage'], 'a string, null or absent', 'object', {}],
    [['response', 'emailSubject'], 'a string, null or absent', 'array', []],
  ])('refuses %j when it is not %s but %s', (path, expected, found, value) => {
    // Prepare
    const raw = withValueAt(customMessageEvent(), path, value);

    // Act
    const error = errorOf(EventShapeError, () => parseCustomMessageEvent(raw));

    // Assess
    expect(error).toMatchObject({ path: path.join('.'), expected, found });
  });
});

describe('Shared: parsePostConfirmationEvent (contract §4)', () => {
  it("answers the developer guide's test event, a fragment with a boolean email_verified", () => {
    // Prepare
    const raw = structuredClone(guidePostConfirmationSample);

    // Act
    const parsed = parsePostConfirmationEvent(raw);

    // Assess
    expect(parsed).toMatchObject({
      triggerSource: NO_TRIGGER_SOURCE,
      request: { userAttributes: { email: 'user@example.com', email_verified: 'true' } },
      response: {},
    });
    expect(raw).toEqual(guidePostConfirmationSample);
  });

  it('accepts the empty response Cognito sends', () => {
    // Prepare
    const raw = postConfirmationEvent();

    // Act
    const parsed = parsePostConfirmationEvent(raw);

    // Assess
    expect(parsed.response).toEqual({});
  });
});
