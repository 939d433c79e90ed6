import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CallerField,
  CallerMetadataLimits,
  ClientMetadataFields,
  ClientMetadataKey,
  ValidationDataFields,
  ValidationDataKey,
} from '../../../shared/caller-keys.js';
import { MetadataInvalidError, type MetadataSource } from '../../../shared/errors.js';
import { createMetadataReader, defaultMetadataLimits } from '../../../shared/metadata.js';
import { TRIGGERS } from '../../../triggers/registry.js';
import { errorOf } from '../../support/outcomes.js';

/** Every advertised field with the map it belongs to. */
const FIELDS: readonly (readonly [MetadataSource, string, CallerField])[] = [
  ...Object.entries(ValidationDataFields).map(([key, field]) => ['validationData', key, field] as const),
  ...Object.entries(ClientMetadataFields).map(([key, field]) => ['clientMetadata', key, field] as const),
];

/** The keys the triggers' rules and actions declare they read from `source` (shared/settings.ts). */
function declaredKeys(source: MetadataSource): string[] {
  const keys = Object.values(TRIGGERS).flatMap((trigger) =>
    trigger.settings.flatMap((declaration) => (declaration[source] ?? []).map(({ key }) => key)),
  );
  return [...new Set(keys)].sort();
}

// Control characters other than tab, newline and carriage return: the metadata reader refuses them.
const CONTROL_CHARACTER = /(?![\t\n\r])\p{Cc}/u;

/** Values an app may send in `field`: what it says, and nothing longer. */
function valueWithin(field: CallerField): fc.Arbitrary<string> {
  if (field.type === 'boolean') return fc.constantFrom('true', 'false');
  const text =
    field.pattern === undefined
      ? fc.string({ unit: 'grapheme', maxLength: 200 }).filter((value) => !CONTROL_CHARACTER.test(value))
      : fc.stringMatching(field.pattern);
  return text.filter((value) => value.length <= field.maxLength);
}

describe('Shared: caller keys', () => {
  it.each([
    ['validationData', Object.values(ValidationDataKey)],
    ['clientMetadata', Object.values(ClientMetadataKey)],
  ] as const)('names exactly the %s keys the rules and actions declare', (source, advertised) => {
    // Prepare
    const declared = declaredKeys(source);

    // Act
    const names = [...advertised].sort();

    // Assess
    expect(names).toEqual(declared);
  });

  it.each(FIELDS)('gives %s "%s" a field the metadata reader accepts', (source, key, field) => {
    // Prepare
    const schema = { [key]: field };

    // Act
    const build = () => createMetadataReader(source, schema);

    // Assess
    expect(build).not.toThrow();
  });

  it('keeps every ValidationData key and bound within what the service model allows', () => {
    // Prepare
    const { maxKeyLength, maxValueLength } = CallerMetadataLimits.validationData;

    // Act
    const fields = Object.entries(ValidationDataFields);

    // Assess
    for (const [key, field] of fields) {
      expect(key.length).toBeLessThanOrEqual(maxKeyLength);
      expect(field.maxLength).toBeLessThanOrEqual(maxValueLength);
    }
  });

  it('tells apps the bounds on a whole map that the metadata reader applies', () => {
    // Prepare
    const advertised = CallerMetadataLimits;

    // Act
    const applied = defaultMetadataLimits;

    // Assess
    expect(applied).toBe(advertised);
  });

  it.each(FIELDS)('reads back any %s "%s" value an app builds within its field', (source, key, field) => {
    // Prepare
    const read = createMetadataReader(source, { [key]: field });

    fc.assert(
      fc.property(valueWithin(field), (value) => {
        // Act
        const metadata = read({ [key]: value });

        // Assess
        expect(metadata).toEqual({ [key]: field.type === 'boolean' ? value === 'true' : value });
      }),
    );
  });

  it.each([
    ['validationData', 'invite', 'a'.repeat(2049)],
    ['validationData', 'captchaToken', 'a'.repeat(2049)],
    ['clientMetadata', 'locale', `abcdefgh${'-abcdefgh'.repeat(4)}`],
    ['clientMetadata', 'redirectUri', `https://app.example.com/${'a'.repeat(2048)}`],
    ['clientMetadata', 'groups', 'beta,'.repeat(205)],
    ['clientMetadata', 'plan', 'p'.repeat(65)],
    ['clientMetadata', 'referral', 'r'.repeat(65)],
  ] as const)('refuses a %s "%s" value longer than its field says', (source, key, value) => {
    // Prepare
    const fields: Readonly<Record<string, CallerField>> =
      source === 'validationData' ? ValidationDataFields : ClientMetadataFields;
    const read = createMetadataReader(source, { [key]: fields[key] as CallerField });

    // Act
    const error = errorOf(MetadataInvalidError, () => read({ [key]: value }));

    // Assess
    expect(error).toMatchObject({
      source,
      key,
      reason: expect.stringMatching(/^is longer than \d+ characters$/),
    });
  });
});
