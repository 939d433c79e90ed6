import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../../../../shared/email.js';
import { ConfigurationError } from '../../../../../shared/errors.js';
import type { PreSignUpEvent, StringMap } from '../../../../../shared/event-types.js';
import { configureFrom, OptionsError } from '../../../../../shared/options.js';
import { preSignUpSources } from '../../../../../shared/trigger-source.js';
import {
  AttributeInvalidError,
  requireValidAttributes,
  requireValidAttributesFromEnv,
  requireValidAttributesSettings,
} from '../../../../../triggers/pre-sign-up/rules/require-valid-attributes.js';
import { anyText, awkwardStrings, mapKey, stringMap, valueLimit } from '../../../../support/arbitraries.js';
import { preSignUpEvent, preSignUpEventWith } from '../../../../support/builders.js';
import { errorOf, outcomeOf } from '../../../../support/outcomes.js';

const fixedMessage = 'ATTRIBUTE_INVALID: One or more sign-up attributes are missing or invalid.';

describe('Rule: requireValidAttributes (required attributes)', () => {
  it('is named requireValidAttributes, the name logs and SHADOW_RULES use', () => {
    // Prepare
    const rule = requireValidAttributes();

    // Act
    const name = rule.name;

    // Assess
    expect(name).toBe('requireValidAttributes');
  });

  it('passes a SignUp with a valid email under the defaults', () => {
    // Prepare
    const rule = requireValidAttributes();
    const event = preSignUpEvent();

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it.each(['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser'] as const)(
    'requires email by default for %s',
    (source) => {
      // Prepare
      const rule = requireValidAttributes();
      const event = preSignUpEventWith({ name: 'Alice' }, source);

      // Act
      const error = errorOf(AttributeInvalidError, () => rule(event));

      // Assess
      expect(error).toMatchObject({ code: 'ATTRIBUTE_INVALID', attribute: 'email', reason: 'missing' });
      expect(error.message).toBe(fixedMessage);
    },
  );

  it.each([
    ['empty', ''],
    ['blank', ' \t '],
  ])('counts an %s required attribute as missing', (_label, value) => {
    // Prepare
    const rule = requireValidAttributes({ required: ['email', 'custom:tenant'] });
    const event = preSignUpEventWith({ email: 'alice@example.com', 'custom:tenant': value });

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(error).toMatchObject({ attribute: 'custom:tenant', reason: 'missing' });
  });

  it('requires nothing of an ExternalProvider sign-up: identity providers map what they have', () => {
    // Prepare
    const rule = requireValidAttributes({ required: ['email', 'custom:tenant'] });
    const event = preSignUpEventWith({ 'cognito:user_status': '' }, 'PreSignUp_ExternalProvider');

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it('never takes a required attribute from Object.prototype', () => {
    // Prepare
    const rule = requireValidAttributes({ required: ['constructor'] });
    const event = preSignUpEventWith({ email: 'alice@example.com' });

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(error).toMatchObject({ attribute: 'constructor', reason: 'missing' });
  });

  it('reads only own attributes of the event, never inherited ones', () => {
    // Prepare
    const rule = requireValidAttributes({ required: ['custom:tenant'] });
    const inherited = Object.create({ 'custom:tenant': 'acme' }) as StringMap;

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(preSignUpEventWith(inherited)));

    // Assess
    expect(error).toMatchObject({ attribute: 'custom:tenant', reason: 'missing' });
  });

  it('passes a SignUp without email when nothing is required', () => {
    // Prepare
    const rule = requireValidAttributes({ required: [] });
    const event = preSignUpEventWith({ phone_number: '+14155550123' });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });
});

describe('Rule: requireValidAttributes (email)', () => {
  it.each([
    ['no @', 'alice.example.com'],
    ['nothing after @', 'alice@'],
    ['nothing before @', '@example.com'],
    ['two @', 'alice@corp@example.com'],
    ['a single-label domain', 'alice@localhost'],
    ['an address literal', 'alice@[192.0.2.1]'],
    ['a quoted local part', '"alice smith"@example.com'],
    ['a space inside', 'alice@ example.com'],
    ['a leading space', ' alice@example.com'],
    ['a trailing space', 'alice@example.com '],
    ['a no-break space', 'alice@example.com\u00a0'],
    ['a label over 63 characters', `alice@${'a'.repeat(64)}.example.com`],
    ['a local part over 64 characters', `${'a'.repeat(65)}@example.com`],
  ])('refuses an email with %s', (_label, email) => {
    // Prepare
    const rule = requireValidAttributes();
    const event = preSignUpEventWith({ email });

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(error).toMatchObject({ attribute: 'email', reason: 'not-an-email' });
  });

  it('refuses an email over 254 characters (RFC 5321)', () => {
    // Prepare
    const rule = requireValidAttributes();
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`;
    const event = preSignUpEventWith({ email });

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(email).toHaveLength(255);
    expect(error).toMatchObject({ attribute: 'email', reason: 'too-long' });
  });

  it('accepts an email of exactly 254 characters', () => {
    // Prepare
    const rule = requireValidAttributes();
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    const event = preSignUpEventWith({ email });

    // Act
    const outcome = rule(event);

    // Assess
    expect(email).toHaveLength(254);
    expect(outcome).toBe('pass');
  });

  it.each([
    ['NUL', 'alice\u0000@example.com'],
    ['a line feed', 'alice@example.com\n'],
    ['DEL', 'alice\u007f@example.com'],
    ['a C1 control', 'alice\u0085@example.com'],
    ['a right-to-left override', 'alice\u202e@example.com'],
    ['an unpaired surrogate', 'alice\ud800@example.com'],
  ])('refuses an email holding %s', (_label, email) => {
    // Prepare
    const rule = requireValidAttributes();
    const event = preSignUpEventWith({ email });

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(error).toMatchObject({ attribute: 'email', reason: 'control-character' });
  });

  it.each([
    ['an IDN domain', 'jane@bücher.example'],
    ['its punycode form', 'jane@xn--bcher-kva.example'],
    ['a non-ASCII local part (EAI)', 'josé@example.com'],
    ['upper case and a trailing dot', 'Jane.Doe+news@Example.COM.'],
  ])('accepts %s', (_label, email) => {
    // Prepare
    const rule = requireValidAttributes();
    const event = preSignUpEventWith({ email });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it.each(['PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'] as const)(
    'checks the email format for %s too',
    (source) => {
      // Prepare
      const rule = requireValidAttributes();
      const event = preSignUpEventWith({ email: 'not-an-address' }, source);

      // Act
      const error = errorOf(AttributeInvalidError, () => rule(event));

      // Assess
      expect(error).toMatchObject({ attribute: 'email', reason: 'not-an-email' });
    },
  );

  it('treats an empty email of an ExternalProvider sign-up as absent', () => {
    // Prepare
    const rule = requireValidAttributes();
    const event = preSignUpEventWith({ email: '' }, 'PreSignUp_ExternalProvider');

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it('keeps the attribute name and reason but never the value', () => {
    // Prepare
    const rule = requireValidAttributes();
    const email = 'secret.person@@example.com';
    const event = preSignUpEventWith({ email });

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('secret.person');
  });
});

describe('Rule: requireValidAttributes (phone_number)', () => {
  it('accepts an E.164 number', () => {
    // Prepare
    const rule = requireValidAttributes();
    const event = preSignUpEventWith({ email: 'alice@example.com', phone_number: '+14155550123' });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it.each([
    ['no plus', '14155550123'],
    ['a leading zero', '+04155550123'],
    ['spaces', '+1 415 555 0123'],
    ['more than 15 digits', '+1234567890123456'],
    ['a single digit', '+1'],
    ['non-ASCII digits', '+١٤١٥٥٥٥٠١٢٣'],
    ['an extension', '+14155550123;ext=1'],
  ])('refuses a number with %s', (_label, phone) => {
    // Prepare
    const rule = requireValidAttributes();
    const event = preSignUpEventWith({ email: 'alice@example.com', phone_number: phone });

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(error).toMatchObject({ attribute: 'phone_number', reason: 'not-e164' });
  });

  it('refuses a number followed by a line feed', () => {
    // Prepare
    const rule = requireValidAttributes();
    const event = preSignUpEventWith({ email: 'alice@example.com', phone_number: '+14155550123\n' });

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(error).toMatchObject({ attribute: 'phone_number', reason: 'control-character' });
  });
});

describe('Rule: requireValidAttributes (declared patterns)', () => {
  const patterns = { 'custom:tenant': /[a-z0-9-]{1,32}/u };

  it('accepts a value that matches its pattern', () => {
    // Prepare
    const rule = requireValidAttributes({ patterns });
    const event = preSignUpEventWith({ email: 'alice@example.com', 'custom:tenant': 'acme-01' });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it('matches the whole value: the rule anchors the pattern', () => {
    // Prepare
    const rule = requireValidAttributes({ patterns });
    const event = preSignUpEventWith({ email: 'alice@example.com', 'custom:tenant': 'acme<script>' });

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(error).toMatchObject({ attribute: 'custom:tenant', reason: 'pattern-mismatch' });
  });

  it('keeps the alternatives of a pattern inside the anchors', () => {
    // Prepare
    const rule = requireValidAttributes({ patterns: { 'custom:plan': /free|pro/ } });
    const event = preSignUpEventWith({ email: 'alice@example.com', 'custom:plan': 'freeloader' });

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(error).toMatchObject({ attribute: 'custom:plan', reason: 'pattern-mismatch' });
  });

  it('keeps the flags of a pattern', () => {
    // Prepare
    const rule = requireValidAttributes({ patterns: { 'custom:plan': /free|pro/i } });
    const event = preSignUpEventWith({ email: 'alice@example.com', 'custom:plan': 'PRO' });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it('passes when the declared attribute is absent', () => {
    // Prepare
    const rule = requireValidAttributes({ patterns });
    const event = preSignUpEventWith({ email: 'alice@example.com' });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it('refuses a control character even when the pattern would allow it', () => {
    // Prepare
    const rule = requireValidAttributes({ patterns: { name: /.{1,64}/su } });
    const event = preSignUpEventWith({ email: 'alice@example.com', name: 'Alice\r\nBcc: x' });

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(error).toMatchObject({ attribute: 'name', reason: 'control-character' });
  });

  it('checks patterns for an ExternalProvider sign-up', () => {
    // Prepare
    const rule = requireValidAttributes({ patterns });
    const event = preSignUpEventWith({ 'custom:tenant': 'ACME' }, 'PreSignUp_ExternalProvider');

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(error).toMatchObject({ attribute: 'custom:tenant', reason: 'pattern-mismatch' });
  });

  it('gives the same answer on every call (no stateful lastIndex)', () => {
    // Prepare
    const rule = requireValidAttributes({ patterns });
    const event = preSignUpEventWith({ email: 'alice@example.com', 'custom:tenant': 'acme' });

    // Act
    const outcomes = [rule(event), rule(event), rule(event)];

    // Assess
    expect(outcomes).toEqual(['pass', 'pass', 'pass']);
  });
});

describe('Rule: requireValidAttributes (options checked at construction)', () => {
  it.each([
    ['a g flag', { patterns: { 'custom:tenant': /a/g } }, 'patterns'],
    ['a y flag', { patterns: { 'custom:tenant': /a/y } }, 'patterns'],
    ['an m flag', { patterns: { 'custom:tenant': /a/m } }, 'patterns'],
    ['a pattern that is not a RegExp', { patterns: { 'custom:tenant': '^a$' } }, 'patterns'],
    ['patterns that are not an object', { patterns: null }, 'patterns'],
    ['a pattern keyed by a bad name', { patterns: { 'has space': /a/ } }, 'patterns'],
    ['required that is not an array', { required: 'email' }, 'required'],
    ['a required name with a space', { required: ['given name'] }, 'required'],
    ['an empty required name', { required: [''] }, 'required'],
    ['a required name over 32 characters', { required: ['x'.repeat(33)] }, 'required'],
  ])('throws an OptionsError naming the option for %s', (_label, options, named) => {
    // Prepare
    const build = () => requireValidAttributes(options as never);

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error.option).toBe(named);
  });

  it('says which required entry is not an attribute name', () => {
    // Prepare
    const options = { required: ['email', 'given name'] };

    // Act
    const error = errorOf(OptionsError, () => requireValidAttributes(options));

    // Assess
    expect(error.expected).toContain('entry 2 is not one');
  });
});

describe('Rule: requireValidAttributesFromEnv', () => {
  /** The rule as the pre sign-up trigger builds it from `env`. */
  const configured = (env: Record<string, string>) =>
    configureFrom(requireValidAttributesSettings, () =>
      requireValidAttributes(requireValidAttributesFromEnv(env)),
    );

  it('requires email and declares no pattern by default', () => {
    // Prepare
    const env = {};

    // Act
    const options = requireValidAttributesFromEnv(env);

    // Assess
    expect(options).toEqual({ required: ['email'], patterns: {} });
  });

  it('reads REQUIRED_ATTRIBUTES as a comma-separated list', () => {
    // Prepare
    const env = { REQUIRED_ATTRIBUTES: 'email, custom:tenant ,phone_number' };

    // Act
    const options = requireValidAttributesFromEnv(env);

    // Assess
    expect(options.required).toEqual(['email', 'custom:tenant', 'phone_number']);
  });

  it('reads REQUIRED_ATTRIBUTES=none as nothing required', () => {
    // Prepare
    const env = { REQUIRED_ATTRIBUTES: 'none' };

    // Act
    const options = requireValidAttributesFromEnv(env);

    // Assess
    expect(options.required).toEqual([]);
  });

  it('reads REQUIRED_ATTRIBUTES as written (the factory checks the names)', () => {
    // Prepare
    const env = { REQUIRED_ATTRIBUTES: 'email,given name' };

    // Act
    const options = requireValidAttributesFromEnv(env);

    // Assess
    expect(options.required).toEqual(['email', 'given name']);
  });

  it.each([
    ['none beside a name', 'none,email'],
    ['a name with a space', 'email,given name'],
  ])('names REQUIRED_ATTRIBUTES for %s, through the settings declaration', (_label, value) => {
    // Prepare
    const env = { REQUIRED_ATTRIBUTES: value };

    // Act
    const error = errorOf(ConfigurationError, () => configured(env));

    // Assess
    expect(error.variable).toBe('REQUIRED_ATTRIBUTES');
  });

  it('compiles ATTRIBUTE_PATTERNS with the u flag', () => {
    // Prepare
    const env = { ATTRIBUTE_PATTERNS: '{"custom:tenant":"^[a-z0-9-]{1,32}$","name":"\\\\p{L}+"}' };

    // Act
    const options = requireValidAttributesFromEnv(env);

    // Assess
    expect(options.patterns['custom:tenant']?.flags).toBe('u');
    expect(options.patterns.name?.test('Zoë')).toBe(true);
  });

  it('gives a rule that anchors the patterns it read', () => {
    // Prepare
    const rule = requireValidAttributes(
      requireValidAttributesFromEnv({ ATTRIBUTE_PATTERNS: '{"custom:tenant":"[a-z]+"}' }),
    );
    const event = preSignUpEventWith({ email: 'alice@example.com', 'custom:tenant': 'acme!' });

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(event));

    // Assess
    expect(error).toMatchObject({ attribute: 'custom:tenant', reason: 'pattern-mismatch' });
  });

  it('keeps a __proto__ key as an attribute name, never as a prototype', () => {
    // Prepare
    const options = requireValidAttributesFromEnv({ ATTRIBUTE_PATTERNS: '{"__proto__":"x"}' });
    const rule = requireValidAttributes(options);
    const attributes = JSON.parse('{"email":"alice@example.com","__proto__":"y"}') as StringMap;

    // Act
    const error = errorOf(AttributeInvalidError, () => rule(preSignUpEventWith(attributes)));

    // Assess
    expect(Object.hasOwn(options.patterns, '__proto__')).toBe(true);
    expect(error).toMatchObject({ attribute: '__proto__', reason: 'pattern-mismatch' });
  });

  it.each([
    ['bad JSON', '{"custom:tenant":'],
    ['a JSON array', '["^a$"]'],
    ['JSON null', 'null'],
    ['a pattern that is not a string', '{"custom:tenant":42}'],
    ['an empty pattern', '{"custom:tenant":""}'],
    ['a bad attribute name', '{"has space":"^a$"}'],
    ['a bad regular expression', '{"custom:tenant":"(unclosed"}'],
    ['an escape the u flag refuses', '{"custom:tenant":"\\\\-"}'],
  ])('names ATTRIBUTE_PATTERNS for %s, through the settings declaration', (_label, value) => {
    // Prepare
    const env = { ATTRIBUTE_PATTERNS: value };

    // Act
    const error = errorOf(ConfigurationError, () => configured(env));

    // Assess
    expect(error.variable).toBe('ATTRIBUTE_PATTERNS');
  });

  it('names the attribute whose regular expression does not compile', () => {
    // Prepare
    const env = { ATTRIBUTE_PATTERNS: '{"custom:tenant":"[a-z"}' };

    // Act
    const error = errorOf(ConfigurationError, () => requireValidAttributesFromEnv(env));

    // Assess
    expect(error.expected).toContain('custom:tenant');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });
});

describe('Rule: requireValidAttributes (property)', () => {
  const name = mapKey('email', 'phone_number', 'custom:tenant', 'name');
  const value = fc.oneof(
    anyText(),
    fc.emailAddress(),
    fc.domain().map((domain) => `user@${domain}`),
    fc.stringMatching(/^\+[0-9]{0,17}$/),
    fc.constantFrom(...awkwardStrings, 'x'.repeat(valueLimit), 'alice@example.com', '+14155550123'),
  );
  const attributes = stringMap(name, value, { maxKeys: 12 });
  const source = fc.constantFrom(...preSignUpSources);

  it('passes or throws AttributeInvalidError for any attributes, and never touches the response', () => {
    // Prepare
    const rule = requireValidAttributes({
      required: ['email', 'constructor'],
      patterns: { 'custom:tenant': /[a-z0-9-]{1,32}/u, toString: /.+/su },
    });

    // Act
    const property = fc.property(attributes, source, (userAttributes, triggerSource) => {
      const event: PreSignUpEvent = preSignUpEventWith(userAttributes, triggerSource);
      const outcome = outcomeOf(() => rule(event));
      const untouched = Object.values(event.response).every((flag) => flag === false);
      if (outcome instanceof AttributeInvalidError) return untouched && outcome.message === fixedMessage;
      return untouched && outcome === 'pass';
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 1000 })).not.toThrow();
  });

  it('lets through only sane emails and E.164 numbers', () => {
    // Prepare
    const rule = requireValidAttributes({ required: [] });
    const sane = (email: string) => normalizeEmail(email) !== undefined && !/[\p{Cc}\s]/u.test(email);

    // Act
    const property = fc.property(attributes, source, (userAttributes, triggerSource) => {
      try {
        rule(preSignUpEventWith(userAttributes, triggerSource));
      } catch {
        return true;
      }
      const email = Object.hasOwn(userAttributes, 'email') ? (userAttributes.email ?? '') : '';
      const phone = Object.hasOwn(userAttributes, 'phone_number') ? (userAttributes.phone_number ?? '') : '';
      return (email === '' || sane(email)) && (phone === '' || /^\+[1-9][0-9]{1,14}$/.test(phone));
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 1000 })).not.toThrow();
  });
});
