import { describe, expect, it } from 'vitest';
import {
  readBoolean,
  readChoice,
  readInteger,
  readList,
  readString,
  readWholeNumber,
} from '../../../shared/config.js';
import { ConfigurationError } from '../../../shared/errors.js';
import { errorOf } from '../../support/outcomes.js';

describe('Shared: readBoolean', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    [' False ', false],
  ])('reads %j as %s', (value, expected) => {
    // Prepare
    const env = { FLAG: value };

    // Act
    const flag = readBoolean(env, 'FLAG', !expected);

    // Assess
    expect(flag).toBe(expected);
  });

  it.each([
    ['unset', {}],
    ['empty', { FLAG: '' }],
    ['blank', { FLAG: '   ' }],
  ])('falls back when %s', (_label, env) => {
    // Prepare (nothing beyond the environment)

    // Act
    const flag = readBoolean(env, 'FLAG', true);

    // Assess
    expect(flag).toBe(true);
  });

  it('names the variable and the two accepted values', () => {
    // Prepare
    const env = { FLAG: 'yes' };

    // Act
    const error = errorOf(ConfigurationError, () => readBoolean(env, 'FLAG', false));

    // Assess
    expect(error).toMatchObject({ variable: 'FLAG', expected: '"true" or "false"' });
    expect(error.message).not.toContain('yes');
  });
});

describe('Shared: readChoice', () => {
  it('reads one of the values', () => {
    // Prepare
    const env = { MODE: 'reject' };

    // Act
    const mode = readChoice(env, 'MODE', ['passthrough', 'reject'], 'passthrough');

    // Assess
    expect(mode).toBe('reject');
  });

  it('falls back when unset', () => {
    // Prepare
    const env = {};

    // Act
    const mode = readChoice(env, 'MODE', ['passthrough', 'reject'], 'passthrough');

    // Assess
    expect(mode).toBe('passthrough');
  });

  it('names the variable and lists the values when the value is not one of them', () => {
    // Prepare
    const env = { MODE: 'Reject' };

    // Act
    const error = errorOf(ConfigurationError, () =>
      readChoice(env, 'MODE', ['passthrough', 'reject'], 'passthrough'),
    );

    // Assess
    expect(error).toMatchObject({ variable: 'MODE', expected: 'one of "passthrough", "reject"' });
  });
});

describe('Shared: readInteger', () => {
  const bounds = { min: -5, max: 100 };

  it.each([
    ['42', 42],
    [' 7 ', 7],
    ['-5', -5],
    ['100', 100],
    ['007', 7],
  ])('reads %j as %d', (value, expected) => {
    // Prepare
    const env = { LIMIT: value };

    // Act
    const limit = readInteger(env, 'LIMIT', bounds, 1);

    // Assess
    expect(limit).toBe(expected);
  });

  it('falls back when unset', () => {
    // Prepare
    const env = { LIMIT: undefined };

    // Act
    const limit = readInteger(env, 'LIMIT', bounds, 3);

    // Assess
    expect(limit).toBe(3);
  });

  it.each([
    ['below the minimum', '-6'],
    ['above the maximum', '101'],
    ['a fraction', '1.5'],
    ['an exponent', '1e2'],
    ['a plus sign', '+5'],
    ['hexadecimal', '0x10'],
    ['a word', 'ten'],
    ['beyond the safe integers', '90071992547409930'],
  ])('names the variable and the range when the value is %s', (_label, value) => {
    // Prepare
    const env = { LIMIT: value };

    // Act
    const error = errorOf(ConfigurationError, () => readInteger(env, 'LIMIT', bounds, 1));

    // Assess
    expect(error).toMatchObject({ variable: 'LIMIT', expected: 'a whole number from -5 to 100' });
  });
});

describe('Shared: readWholeNumber', () => {
  it.each([
    ['42', 42],
    [' -7 ', -7],
    ['0', 0],
    ['99999999', 99_999_999],
  ])('reads %j as %d, whatever its range (the factory checks that)', (value, expected) => {
    // Prepare
    const env = { LIMIT: value };

    // Act
    const limit = readWholeNumber(env, 'LIMIT', 1);

    // Assess
    expect(limit).toBe(expected);
  });

  it.each([
    ['unset', undefined],
    ['empty', ' '],
  ])('falls back when %s', (_label, value) => {
    // Prepare
    const env = { LIMIT: value };

    // Act
    const limit = readWholeNumber(env, 'LIMIT', 3);

    // Assess
    expect(limit).toBe(3);
  });

  it.each([
    ['a fraction', '1.5'],
    ['an exponent', '1e2'],
    ['a word', 'ten'],
    ['beyond the safe integers', '90071992547409930'],
  ])('names the variable when the value is %s', (_label, value) => {
    // Prepare
    const env = { LIMIT: value };

    // Act
    const error = errorOf(ConfigurationError, () => readWholeNumber(env, 'LIMIT', 1));

    // Assess
    expect(error).toMatchObject({ variable: 'LIMIT', expected: 'a whole number' });
  });
});

describe('Shared: readList', () => {
  it('splits on commas, trims items and drops empty ones', () => {
    // Prepare
    const env = { DOMAINS: ' example.org, ,example.net,, ' };

    // Act
    const list = readList(env, 'DOMAINS');

    // Assess
    expect(list).toEqual(['example.org', 'example.net']);
  });

  it('is empty when unset', () => {
    // Prepare
    const env = {};

    // Act
    const list = readList(env, 'DOMAINS');

    // Assess
    expect(list).toEqual([]);
  });

  it('keeps items as written (the factory checks them)', () => {
    // Prepare
    const env = { DOMAINS: 'example.org,Not A Domain' };

    // Act
    const list = readList(env, 'DOMAINS');

    // Assess
    expect(list).toEqual(['example.org', 'Not A Domain']);
  });
});

describe('Shared: readString', () => {
  it('reads the trimmed value', () => {
    // Prepare
    const env = { NAME: '  sign-up  ' };

    // Act
    const name = readString(env, 'NAME', 'fallback');

    // Assess
    expect(name).toBe('sign-up');
  });

  it('falls back when empty', () => {
    // Prepare
    const env = { NAME: '' };

    // Act
    const name = readString(env, 'NAME', 'fallback');

    // Assess
    expect(name).toBe('fallback');
  });
});
