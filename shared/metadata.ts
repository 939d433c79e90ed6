/**
 * Typed, bounded reading of ClientMetadata and ValidationData. Both come from the unauthenticated `SignUp`
 * call, so both are attacker-controlled: a trigger declares the keys it reads and gets a typed object back;
 * unknown keys are ignored (but count towards the size bound); a bad value is a {@link MetadataInvalidError}.
 *
 * Limits from the service model (contract §5): ValidationData names are 1–32 characters and values at most
 * 2,048; ClientMetadata keys and values up to 131,072 characters each with no limit on the number of entries.
 */
import { CallerMetadataLimits } from './caller-keys.js';
import { MetadataInvalidError, type MetadataSource } from './errors.js';
import { checkWhole, OptionsError } from './options.js';
import { jsonTypeOf } from './parse-event.js';

/** A string field: bounded length, optionally a pattern or a closed list of values. */
export type StringField = {
  type: 'string';
  maxLength: number;
  minLength?: number;
  pattern?: RegExp;
  values?: readonly string[];
  required?: boolean;
};
/** A boolean field, sent as `"true"` or `"false"` (maps only carry strings). */
export type BooleanField = { type: 'boolean'; required?: boolean };
/** A whole number field, sent as decimal digits. */
export type IntegerField = { type: 'integer'; min: number; max: number; required?: boolean };

/** What a trigger says about one key it reads. */
export type FieldSpec = StringField | BooleanField | IntegerField;

/** The keys a trigger reads and what each must look like. */
export type MetadataSchema = Readonly<Record<string, FieldSpec>>;

type ValueOf<F extends FieldSpec> = F extends BooleanField
  ? boolean
  : F extends IntegerField
    ? number
    : string;

/** The typed result: required fields are present, the others optional. */
export type MetadataOf<S extends MetadataSchema> = {
  [K in keyof S as S[K]['required'] extends true ? K : never]: ValueOf<S[K]>;
} & {
  [K in keyof S as S[K]['required'] extends true ? never : K]?: ValueOf<S[K]>;
};

/** Bounds on the map as a whole. */
export type MetadataLimits = {
  /** How many entries the map may have, known or not. */
  maxEntries: number;
  /** Total characters of all keys and values. */
  maxTotalLength: number;
};

/**
 * Defaults that comfortably fit real apps and stop a 100 MB ClientMetadata from being walked: the bounds apps
 * are told (shared/caller-keys.ts).
 */
export const defaultMetadataLimits: Readonly<Record<MetadataSource, MetadataLimits>> = CallerMetadataLimits;

// Service-model bound on a ValidationData value (AttributeType.Value).
const VALIDATION_DATA_VALUE_MAX = CallerMetadataLimits.validationData.maxValueLength;
// Control characters other than tab, newline and carriage return never belong in a metadata value.
const CONTROL_CHARACTERS = /(?![\t\n\r])\p{Cc}/u;

// Service-model bound on a ValidationData name (AttributeType.Name): a longer declared key could never arrive.
const VALIDATION_DATA_KEY_MAX = CallerMetadataLimits.validationData.maxKeyLength;

/** Checks what a trigger declared (programmer-supplied, never the caller's): an {@link OptionsError} if bad. */
function checkSchema(source: MetadataSource, schema: MetadataSchema, limits: MetadataLimits): void {
  if (source !== 'clientMetadata' && source !== 'validationData') {
    throw new OptionsError('source', '"clientMetadata" or "validationData"');
  }
  const positive = { min: 1, max: Number.MAX_SAFE_INTEGER };
  checkWhole('limits.maxEntries', limits.maxEntries, positive);
  checkWhole('limits.maxTotalLength', limits.maxTotalLength, positive);
  for (const [key, field] of Object.entries(schema)) {
    if (source === 'validationData' && key.length > VALIDATION_DATA_KEY_MAX) {
      throw new OptionsError(
        'schema',
        `ValidationData keys of at most ${VALIDATION_DATA_KEY_MAX} characters ("${key}" is longer)`,
      );
    }
    if (field.type === 'string') {
      checkWhole(`schema.${key}.maxLength`, field.maxLength, positive);
      if (field.pattern?.global === true || field.pattern?.sticky === true) {
        throw new OptionsError(`schema.${key}.pattern`, 'a regular expression without the g or y flag');
      }
    }
    if (field.type === 'integer' && !(field.min <= field.max)) {
      throw new OptionsError(`schema.${key}`, 'an integer field with min <= max');
    }
  }
}

function readField(
  source: MetadataSource,
  key: string,
  field: FieldSpec,
  raw: string,
): string | number | boolean {
  const fail = (reason: string): never => {
    throw new MetadataInvalidError(source, key, reason);
  };
  if (CONTROL_CHARACTERS.test(raw)) fail('contains control characters');
  switch (field.type) {
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      return fail('is not "true" or "false"');
    case 'integer': {
      const number = /^-?\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(number) || number < field.min || number > field.max) {
        fail(`is not a whole number from ${field.min} to ${field.max}`);
      }
      // "-0" is zero.
      return number === 0 ? 0 : number;
    }
    case 'string': {
      const max =
        source === 'validationData' ? Math.min(field.maxLength, VALIDATION_DATA_VALUE_MAX) : field.maxLength;
      if (raw.length > max) fail(`is longer than ${max} characters`);
      if (raw.length < (field.minLength ?? 0)) fail(`is shorter than ${field.minLength} characters`);
      if (field.values !== undefined && !field.values.includes(raw)) fail('is not one of the allowed values');
      if (field.pattern !== undefined && !field.pattern.test(raw))
        fail('does not match the expected pattern');
      return raw;
    }
  }
}

/**
 * Builds a reader for one map. The schema is checked once, when the reader is built (cold start): a bad one
 * is an {@link OptionsError} naming the option (`schema.<key>.maxLength`, `limits.maxEntries`, …).
 *
 * @example
 * const readValidationData = createMetadataReader('validationData', {
 *   invite: { type: 'string', maxLength: 1024, pattern: /^[\w.-]+$/ },
 * });
 * const { invite } = readValidationData(event.request.validationData); // string | undefined
 */
export function createMetadataReader<const S extends MetadataSchema>(
  source: MetadataSource,
  schema: S,
  limits: MetadataLimits = defaultMetadataLimits[source],
): (map: unknown) => MetadataOf<S> {
  checkSchema(source, schema, limits);
  const keys = Object.keys(schema);
  return function readMetadata(map: unknown): MetadataOf<S> {
    // validationData is null when the caller sent none; clientMetadata is then absent (contract §2).
    const entries = map === null || map === undefined ? {} : map;
    if (typeof entries !== 'object' || Array.isArray(entries)) {
      throw new MetadataInvalidError(source, undefined, `is ${jsonTypeOf(map)}, not a map`);
    }
    let count = 0;
    let total = 0;
    for (const key in entries) {
      if (!Object.hasOwn(entries, key)) continue;
      count += 1;
      const value: unknown = (entries as Record<string, unknown>)[key];
      total += key.length + (typeof value === 'string' ? value.length : 0);
      if (count > limits.maxEntries) {
        throw new MetadataInvalidError(source, undefined, `has more than ${limits.maxEntries} entries`);
      }
      if (total > limits.maxTotalLength) {
        throw new MetadataInvalidError(
          source,
          undefined,
          `is larger than ${limits.maxTotalLength} characters`,
        );
      }
    }
    // A null-prototype result: a declared key named like an Object.prototype member cannot collide.
    const result: Record<string, unknown> = Object.create(null);
    for (const key of keys) {
      if (!Object.hasOwn(entries, key)) {
        if (schema[key]?.required === true) throw new MetadataInvalidError(source, key, 'is missing');
        continue;
      }
      const raw: unknown = (entries as Record<string, unknown>)[key];
      if (typeof raw !== 'string')
        throw new MetadataInvalidError(source, key, `is ${jsonTypeOf(raw)}, not a string`);
      const field = schema[key];
      if (field !== undefined) result[key] = readField(source, key, field, raw);
    }
    return result as MetadataOf<S>;
  };
}
