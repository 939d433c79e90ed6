import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventShapeError } from '../../../shared/errors.js';
import { CLIENT_ID_NOT_APPLICABLE, type SignUpTriggerEvent } from '../../../shared/event-types.js';
import {
  hasKnownTriggerSource,
  jsonTypeOf,
  parseCustomMessageEvent,
  parsePostConfirmationEvent,
  parsePreSignUpEvent,
} from '../../../shared/parse-event.js';
import {
  customMessageSources,
  postConfirmationSources,
  preSignUpSources,
} from '../../../shared/trigger-source.js';
import {
  customMessageEvent,
  postConfirmationEvent,
  preSignUpEvent,
  withoutKeyAt,
  withValueAt,
} from '../../support/builders.js';
import { errorOf } from '../../support/outcomes.js';

type Parser = (raw: unknown) => SignUpTriggerEvent;

/** One row per trigger: its parser, a valid base event, and its sources. */
const triggers: readonly {
  trigger: string;
  parse: Parser;
  event: () => SignUpTriggerEvent;
  sources: readonly string[];
  foreignSource: string;
}[] = [
  {
    trigger: 'PreSignUp',
    parse: parsePreSignUpEvent,
    event: () => preSignUpEvent(),
    sources: preSignUpSources,
    foreignSource: 'PostConfirmation_ConfirmSignUp',
  },
  {
    trigger: 'CustomMessage',
    parse: parseCustomMessageEvent,
    event: () => customMessageEvent(),
    sources: customMessageSources,
    foreignSource: 'PreSignUp_SignUp',
  },
  {
    trigger: 'PostConfirmation',
    parse: parsePostConfirmationEvent,
    event: () => postConfirmationEvent(),
    sources: postConfirmationSources,
    foreignSource: 'CustomMessage_SignUp',
  },
];

/** The object at `path` inside `event`. */
function fieldAt(event: object, path: readonly string[]): object {
  return path.reduce<object>((node, key) => (node as Record<string, object>)[key] ?? {}, event);
}

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

    it('names the attribute whose value is not a string, and its JSON type (contract §1, strings only)', () => {
      // Prepare
      const raw = withValueAt(event(), ['request', 'userAttributes', 'email_verified'], true);

      // Act
      const error = errorOf(EventShapeError, () => parse(raw));

      // Assess
      expect(error).toMatchObject({
        path: 'request.userAttributes["email_verified"]',
        expected: 'a string',
        found: 'boolean',
      });
    });

    it('names the ClientMetadata key whose value is not a string', () => {
      // Prepare
      const raw = withValueAt(event(), ['request', 'clientMetadata'], { invite: 42 });

      // Act
      const error = errorOf(EventShapeError, () => parse(raw));

      // Assess
      expect(error).toMatchObject({ path: 'request.clientMetadata["invite"]', found: 'number' });
    });

    it('refuses a map whose own __proto__ key (as JSON.parse makes it) holds a non-string, without pollution', () => {
      // Prepare
      const raw = withValueAt(event(), ['request', 'clientMetadata'], JSON.parse('{"__proto__": {"x": 1}}'));

      // Act
      const error = errorOf(EventShapeError, () => parse(raw));

      // Assess
      expect(error).toMatchObject({ path: 'request.clientMetadata["__proto__"]', found: 'object' });
      expect(({} as Record<string, unknown>).x).toBeUndefined();
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
            ['request', 'clientMetadata', 'k'],
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
    [['request', 'validationData'], 'number', { invite: 1 }],
    [['response', 'autoConfirmUser'], 'string', 'false'],
    [['response', 'autoVerifyEmail'], 'absent', undefined],
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

  it('accepts response fields left out, as a test console may send them', () => {
    // Prepare
    const raw = withValueAt(customMessageEvent(), ['response'], {});

    // Act
    const parsed = parseCustomMessageEvent(raw);

    // Assess
    expect(parsed.response).toEqual({});
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
  it('accepts the empty response Cognito sends', () => {
    // Prepare
    const raw = postConfirmationEvent();

    // Act
    const parsed = parsePostConfirmationEvent(raw);

    // Assess
    expect(parsed.response).toEqual({});
  });
});

describe('Shared: hasKnownTriggerSource', () => {
  it('is true for a documented source', () => {
    // Prepare
    const event = postConfirmationEvent({ triggerSource: 'PostConfirmation_ConfirmForgotPassword' });

    // Act
    const known = hasKnownTriggerSource(event);

    // Assess
    expect(known).toBe(true);
  });

  it('is false for an undocumented source of a known trigger', () => {
    // Prepare
    const event = parsePreSignUpEvent(
      withValueAt(preSignUpEvent(), ['triggerSource'], 'PreSignUp_UserMigration'),
    );

    // Act
    const known = hasKnownTriggerSource(event);

    // Assess
    expect(known).toBe(false);
  });
});
