import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetadataInvalidError } from '../../../shared/errors.js';
import {
  createMetadataReader,
  defaultMetadataLimits,
  type MetadataSchema,
} from '../../../shared/metadata.js';
import { OptionsError } from '../../../shared/options.js';
import { anyText, prototypeKeys } from '../../support/arbitraries.js';
import { errorOf } from '../../support/outcomes.js';

const fixedMessage = 'METADATA_INVALID: The sign-up request contains invalid data.';

const schema = {
  invite: { type: 'string', maxLength: 64, pattern: /^[A-Za-z0-9-]+$/ },
  locale: { type: 'string', maxLength: 5, minLength: 2, values: ['en', 'fr', 'de-CH'] },
  newsletter: { type: 'boolean' },
  age: { type: 'integer', min: 13, max: 130 },
} as const satisfies MetadataSchema;

describe('Shared: createMetadataReader (reading)', () => {
  it('returns every declared key with its declared type', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', schema);

    // Act
    const metadata = read({ invite: 'abc-123', locale: 'fr', newsletter: 'true', age: '42' });

    // Assess
    expect(metadata).toEqual({ invite: 'abc-123', locale: 'fr', newsletter: true, age: 42 });
  });

  it('reads "false" as false', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', schema);

    // Act
    const metadata = read({ newsletter: 'false' });

    // Assess
    expect(metadata.newsletter).toBe(false);
  });

  it('ignores keys it was not told about', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', schema);

    // Act
    const metadata = read({ invite: 'abc', tracking: '\u0000 anything at all', other: 'x' });

    // Assess
    expect(metadata).toEqual({ invite: 'abc' });
  });

  it.each([
    ['null, as validationData arrives when the caller sent none (contract §2)', null],
    ['undefined, as clientMetadata is when absent', undefined],
    ['an empty map', {}],
  ])('returns an empty result for %s', (_label, map) => {
    // Prepare
    const read = createMetadataReader('validationData', schema);

    // Act
    const metadata = read(map);

    // Assess
    expect(metadata).toEqual({});
  });

  it('returns a result without a prototype, so no declared key can collide with Object.prototype', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', schema);

    // Act
    const metadata = read({ invite: 'abc' });

    // Assess
    expect(Object.getPrototypeOf(metadata)).toBeNull();
  });

  it('reads declared keys named like Object.prototype members from own properties only', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', {
      constructor: { type: 'string', maxLength: 10 },
      toString: { type: 'string', maxLength: 10 },
      ['__proto__']: { type: 'string', maxLength: 10 },
    });
    const map = JSON.parse('{"__proto__": "p", "toString": "t"}');

    // Act
    const metadata = read(map);

    // Assess
    expect(Object.entries(metadata).sort()).toEqual([
      ['__proto__', 'p'],
      ['toString', 't'],
    ]);
    expect(Object.hasOwn(metadata, 'constructor')).toBe(false);
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });

  it('ignores inherited properties of the map', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', schema);
    const map = Object.create({ invite: 'inherited' });

    // Act
    const metadata = read(map);

    // Assess
    expect(metadata).toEqual({});
  });

  it('accepts tab, newline and carriage return, which are not refused control characters', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', { note: { type: 'string', maxLength: 20 } });

    // Act
    const metadata = read({ note: 'a\tb\nc\r' });

    // Assess
    expect(metadata.note).toBe('a\tb\nc\r');
  });

  it('reads a string exactly maxLength long', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', { note: { type: 'string', maxLength: 4 } });

    // Act
    const metadata = read({ note: 'abcd' });

    // Assess
    expect(metadata.note).toBe('abcd');
  });

  it('reads a ClientMetadata value far beyond 2048 characters when its field allows it (contract §5)', () => {
    // Prepare
    const read = createMetadataReader(
      'clientMetadata',
      { token: { type: 'string', maxLength: 10_000 } },
      { maxEntries: 5, maxTotalLength: 20_000 },
    );

    // Act
    const metadata = read({ token: 'x'.repeat(10_000) });

    // Assess
    expect(metadata.token).toHaveLength(10_000);
  });

  it('reads the integer bounds themselves', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', schema);

    // Act
    const values = [read({ age: '13' }).age, read({ age: '130' }).age];

    // Assess
    expect(values).toEqual([13, 130]);
  });

  it('uses the default limits of the source', () => {
    // Prepare
    const read = createMetadataReader('validationData', {});
    const map = Object.fromEntries(
      Array.from({ length: defaultMetadataLimits.validationData.maxEntries }, (_, i) => [`k${i}`, 'v']),
    );

    // Act
    const metadata = read(map);

    // Assess
    expect(metadata).toEqual({});
  });
});

describe('Shared: createMetadataReader (refusals)', () => {
  it.each([
    [
      'a declared key that is missing and required',
      { invite: { type: 'string', maxLength: 8, required: true } },
      {},
      'invite',
      'is missing',
    ],
    [
      'a string over maxLength',
      { invite: { type: 'string', maxLength: 3 } },
      { invite: 'abcd' },
      'invite',
      'is longer than 3 characters',
    ],
    ['a string under minLength', schema, { locale: 'e' }, 'locale', 'is shorter than 2 characters'],
    ['a string outside the values', schema, { locale: 'es' }, 'locale', 'is not one of the allowed values'],
    [
      'a string that misses the pattern',
      schema,
      { invite: 'abc def' },
      'invite',
      'does not match the expected pattern',
    ],
    [
      'a boolean that is not "true" or "false"',
      schema,
      { newsletter: 'TRUE' },
      'newsletter',
      'is not "true" or "false"',
    ],
    ['an integer below min', schema, { age: '12' }, 'age', 'is not a whole number from 13 to 130'],
    ['an integer above max', schema, { age: '131' }, 'age', 'is not a whole number from 13 to 130'],
    ['an integer with a fraction', schema, { age: '42.0' }, 'age', 'is not a whole number from 13 to 130'],
    ['an integer with a plus sign', schema, { age: '+42' }, 'age', 'is not a whole number from 13 to 130'],
    ['an integer in non-ASCII digits', schema, { age: '٤٢' }, 'age', 'is not a whole number from 13 to 130'],
    [
      'an integer of 17 digits',
      { n: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER } },
      { n: '00000000000000001' },
      'n',
      'is not a whole number from 0 to 9007199254740991',
    ],
    [
      'an integer beyond the safe integers',
      { n: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER } },
      { n: '9007199254740993' },
      'n',
      'is not a whole number from 0 to 9007199254740991',
    ],
    ['a NUL character', schema, { invite: 'abc\u0000' }, 'invite', 'contains control characters'],
    [
      'an escape character',
      schema,
      { newsletter: 'true\u001b' },
      'newsletter',
      'contains control characters',
    ],
    ['a C1 control character', schema, { invite: 'abc\u0085' }, 'invite', 'contains control characters'],
    ['a DEL character', schema, { age: '4\u007f2' }, 'age', 'contains control characters'],
    ['a number where a string belongs', schema, { invite: 42 }, 'invite', 'is number, not a string'],
    ['null where a string belongs', schema, { invite: null }, 'invite', 'is null, not a string'],
    [
      'an object where a string belongs',
      schema,
      { newsletter: { value: 'true' } },
      'newsletter',
      'is object, not a string',
    ],
  ] as const)('refuses %s', (_label, fields, map, key, reason) => {
    // Prepare
    const read = createMetadataReader('clientMetadata', fields);

    // Act
    const error = errorOf(MetadataInvalidError, () => read(map));

    // Assess
    expect(error).toMatchObject({
      code: 'METADATA_INVALID',
      message: fixedMessage,
      source: 'clientMetadata',
      key,
      reason,
    });
  });

  it('caps a ValidationData value at 2048 characters whatever its maxLength (contract §5)', () => {
    // Prepare
    const read = createMetadataReader(
      'validationData',
      { token: { type: 'string', maxLength: 10_000 } },
      { maxEntries: 5, maxTotalLength: 20_000 },
    );

    // Act
    const error = errorOf(MetadataInvalidError, () => read({ token: 'x'.repeat(2049) }));

    // Assess
    expect(error).toMatchObject({
      source: 'validationData',
      key: 'token',
      reason: 'is longer than 2048 characters',
    });
  });

  it('reads a ValidationData value of exactly 2048 characters', () => {
    // Prepare
    const read = createMetadataReader(
      'validationData',
      { token: { type: 'string', maxLength: 10_000 } },
      { maxEntries: 5, maxTotalLength: 20_000 },
    );

    // Act
    const metadata = read({ token: 'x'.repeat(2048) });

    // Assess
    expect(metadata.token).toHaveLength(2048);
  });

  it('refuses a map with more entries than allowed, counting undeclared keys too', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', schema, { maxEntries: 2, maxTotalLength: 1000 });

    // Act
    const error = errorOf(MetadataInvalidError, () => read({ a: '1', b: '2', c: '3' }));

    // Assess
    expect(error).toMatchObject({ key: undefined, reason: 'has more than 2 entries', message: fixedMessage });
  });

  it('refuses a map whose keys and values together are too long, counting undeclared keys too', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', schema, { maxEntries: 10, maxTotalLength: 10 });

    // Act
    const error = errorOf(MetadataInvalidError, () => read({ abc: 'defgh', ij: 'k' }));

    // Assess
    expect(error).toMatchObject({ key: undefined, reason: 'is larger than 10 characters' });
  });

  it('accepts a map exactly at its total-length bound', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', schema, { maxEntries: 10, maxTotalLength: 10 });

    // Act
    const metadata = read({ abc: 'defgh', ij: '' });

    // Assess
    expect(metadata).toEqual({});
  });

  it('refuses a 200,000-entry map by its entry bound, quickly', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', schema);
    const huge = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, 'v']));
    const started = performance.now();

    // Act
    const error = errorOf(MetadataInvalidError, () => read(huge));

    // Assess
    expect(error.reason).toBe('has more than 50 entries');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a 10 MB value by the total-length bound', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', schema);

    // Act
    const error = errorOf(MetadataInvalidError, () => read({ junk: 'x'.repeat(10_000_000) }));

    // Assess
    expect(error.reason).toBe('is larger than 16384 characters');
  });

  it.each([
    ['a string', 'invite=abc', 'is string, not a map'],
    ['an array', [['invite', 'abc']], 'is array, not a map'],
    ['a number', 7, 'is number, not a map'],
    ['a function', () => 'abc', 'is function, not a map'],
  ])('refuses %s in place of the map', (_label, map, reason) => {
    // Prepare
    const read = createMetadataReader('validationData', schema);

    // Act
    const error = errorOf(MetadataInvalidError, () => read(map));

    // Assess
    expect(error).toMatchObject({ source: 'validationData', key: undefined, reason, message: fixedMessage });
  });
});

describe('Shared: createMetadataReader (schema checks at construction)', () => {
  it.each([
    ['a zero maxLength', { a: { type: 'string', maxLength: 0 } }, 'schema.a.maxLength'],
    ['a fractional maxLength', { a: { type: 'string', maxLength: 1.5 } }, 'schema.a.maxLength'],
    [
      'an infinite maxLength',
      { a: { type: 'string', maxLength: Number.POSITIVE_INFINITY } },
      'schema.a.maxLength',
    ],
    ['min above max', { a: { type: 'integer', min: 5, max: 4 } }, 'schema.a'],
    ['a NaN bound', { a: { type: 'integer', min: Number.NaN, max: 4 } }, 'schema.a'],
  ] as const)('refuses a schema with %s, with an OptionsError naming the field', (_label, fields, option) => {
    // Prepare
    const build = () => createMetadataReader('clientMetadata', fields);

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error.option).toBe(option);
  });

  it.each([
    ['maxEntries', { maxEntries: 0, maxTotalLength: 100 }],
    ['maxTotalLength', { maxEntries: 10, maxTotalLength: 2.5 }],
  ])('refuses limits with a bad %s, with an OptionsError', (name, limits) => {
    // Prepare
    const build = () => createMetadataReader('clientMetadata', {}, limits);

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error).toMatchObject({ option: `limits.${name}`, expected: 'a positive whole number' });
  });

  it('refuses a ValidationData key longer than Cognito allows, with an OptionsError', () => {
    // Prepare
    const fields = { ['k'.repeat(33)]: { type: 'boolean' } } as const;

    // Act
    const error = errorOf(OptionsError, () => createMetadataReader('validationData', fields));

    // Assess
    expect(error.option).toBe('schema');
  });

  // Regression: a pattern with the g or y flag keeps lastIndex between calls, so one reader (built
  // once per cold start) accepts, refuses, accepts the same value on successive invocations.
  it.each([
    ['global', /^abc/g],
    ['sticky', /^abc/y],
  ])(
    'refuses a pattern with the %s flag, whose lastIndex would carry across invocations',
    (_label, pattern) => {
      // Prepare
      const build = () =>
        createMetadataReader('clientMetadata', { invite: { type: 'string', maxLength: 10, pattern } });

      // Act
      const error = errorOf(OptionsError, build);

      // Assess
      expect(error.option).toBe('schema.invite.pattern');
    },
  );
});

describe('Shared: createMetadataReader (property)', () => {
  it('returns only declared keys with declared types, or throws MetadataInvalidError, for any map', () => {
    // Prepare
    const read = createMetadataReader('clientMetadata', {
      ...schema,
      toString: { type: 'string', maxLength: 100 },
      ['__proto__']: { type: 'boolean' },
      constructor: { type: 'integer', min: -10, max: 10 },
    });
    const expectedType: Record<string, string> = {
      invite: 'string',
      locale: 'string',
      newsletter: 'boolean',
      age: 'number',
      toString: 'string',
      ['__proto__']: 'boolean',
      constructor: 'number',
    };
    const key = fc.oneof(
      anyText(),
      fc.constantFrom(...Object.keys(expectedType), ...prototypeKeys, '__defineGetter__'),
    );
    const value = fc.oneof(
      fc.anything(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('true', 'false', '42', '-0', 'en', 'abc-123', '\u0000', 'x'.repeat(20_000)),
      fc.integer({ min: -20, max: 200 }).map(String),
    );
    const map = fc.oneof(
      fc.dictionary(key, value, { maxKeys: 60 }),
      fc
        .dictionary(key, fc.jsonValue(), { maxKeys: 8 })
        .map((entries) => JSON.parse(JSON.stringify(entries))),
      fc.anything(),
    );

    // Act
    const property = fc.property(map, (input) => {
      let result: Record<string, unknown>;
      try {
        result = read(input);
      } catch (error) {
        return error instanceof MetadataInvalidError && error.message === fixedMessage;
      }
      return (
        Object.keys(result).every((name) => Object.hasOwn(expectedType, name)) &&
        Object.entries(result).every(([name, typed]) => typeof typed === expectedType[name]) &&
        Object.getPrototypeOf({}) === Object.prototype &&
        ({} as Record<string, unknown>).polluted === undefined
      );
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 500 })).not.toThrow();
  });
});
