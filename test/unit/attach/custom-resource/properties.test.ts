import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseAttachmentProperties,
  ResourcePropertiesError,
} from '../../../../attach/custom-resource/properties.js';
import {
  AttachError,
  InvalidFunctionArnError,
  MalformedUserPoolIdError,
  UnknownTriggerError,
} from '../../../../attach/errors.js';
import { functionArn, OURS } from '../pools.js';
import { POOL_ID, propertiesOf } from './requests.js';

/** What `properties` fails with, or `undefined`. */
function errorOf(properties: Record<string, unknown>): unknown {
  try {
    parseAttachmentProperties(properties);
    return undefined;
  } catch (error) {
    return error;
  }
}

/** `properties` without `name`. */
function without(properties: Record<string, unknown>, name: string): Record<string, unknown> {
  const { [name]: _removed, ...rest } = properties;
  return rest;
}

describe('Custom resource: parseAttachmentProperties', () => {
  it("reads template.yaml's properties, ServiceToken and ServiceTimeout included", () => {
    // Prepare
    const properties = propertiesOf();

    // Act
    const parsed = parseAttachmentProperties(properties);

    // Assess
    expect(parsed).toEqual({ userPoolId: POOL_ID, functions: OURS, replace: false });
  });

  it.each([
    ['"true"', 'true', true],
    ['"false"', 'false', false],
    ['a missing value', undefined, false],
  ])('reads ReplaceExistingTriggers %s', (_case, value, replace) => {
    // Prepare
    const properties = propertiesOf({ ReplaceExistingTriggers: value });

    // Act
    const parsed = parseAttachmentProperties(properties);

    // Assess
    expect(parsed.replace).toBe(replace);
  });

  it('refuses any ReplaceExistingTriggers but "true" and "false", naming it', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.integer(),
          fc.constant(null),
          fc.constantFrom('TRUE', 'True', 'yes', '1', ''),
        ),
        (value) => {
          fc.pre(value !== 'true' && value !== 'false');
          // Prepare
          const properties = propertiesOf({ ReplaceExistingTriggers: value });

          // Act
          const error = errorOf(properties);

          // Assess
          expect(error).toBeInstanceOf(ResourcePropertiesError);
          expect((error as Error).message).toContain('ReplaceExistingTriggers');
        },
      ),
    );
  });

  it.each([
    ['UserPoolId', 'UserPoolId'],
    ['Functions', 'Functions'],
  ])('refuses properties without %s, naming it', (name, named) => {
    // Prepare
    const properties = without(propertiesOf(), name);

    // Act
    const error = errorOf(properties);

    // Assess
    expect(error).toBeInstanceOf(ResourcePropertiesError);
    expect((error as Error).message).toContain(named);
  });

  it.each([
    ['UserPoolId', 42],
    ['UserPoolId', { Ref: 'ExistingUserPoolId' }],
    ['Functions', 'PreSignUp=arn:aws:lambda:us-east-1:123456789012:function:f'],
    ['Functions', [OURS.PreSignUp]],
    ['Functions', null],
  ])('refuses %s of the wrong type (%j), naming it', (name, value) => {
    // Prepare
    const properties = propertiesOf({ [name]: value });

    // Act
    const error = errorOf(properties);

    // Assess
    expect(error).toBeInstanceOf(ResourcePropertiesError);
    expect((error as Error).message).toContain(name);
  });

  it('refuses empty Functions: there would be nothing to attach', () => {
    // Prepare
    const properties = propertiesOf({ Functions: {} });

    // Act
    const error = errorOf(properties);

    // Assess
    expect(error).toBeInstanceOf(ResourcePropertiesError);
    expect((error as Error).message).toContain('Functions is empty');
  });

  it.each([
    ['a misspelt property', { UserPoolID: POOL_ID }, 'UserPoolID'],
    ['a property of another resource', { ReplaceTriggers: 'true' }, 'ReplaceTriggers'],
  ])('refuses %s rather than ignoring it, naming it', (_case, extra, named) => {
    // Prepare
    const properties = { ...propertiesOf(), ...extra };

    // Act
    const error = errorOf(properties);

    // Assess
    expect(error).toBeInstanceOf(ResourcePropertiesError);
    expect((error as Error).message).toContain(`unknown ${named}`);
  });

  it.each([
    ['no Region', 'AbC123'],
    ['an underscore only', '_AbC123'],
    ['punctuation in the id', 'us-east-1_AbC-123'],
    ['more than 55 characters', `us-east-1_${'a'.repeat(50)}`],
  ])('refuses a malformed pool id (%s), naming it, with the cause kept', (_case, userPoolId) => {
    // Prepare
    const properties = propertiesOf({ UserPoolId: userPoolId });

    // Act
    const error = errorOf(properties);

    // Assess
    expect(error).toBeInstanceOf(ResourcePropertiesError);
    expect((error as Error).message).toContain(JSON.stringify(userPoolId));
    expect((error as Error).cause).toBeInstanceOf(MalformedUserPoolIdError);
  });

  it.each([
    ['an SNS topic', 'arn:aws:sns:us-east-1:123456789012:sign-up'],
    ['a function name', 'pre-sign-up'],
    ['a layer', 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3'],
    ['a number', 7],
  ])('refuses a function that is %s, naming the trigger', (_case, arn) => {
    // Prepare
    const properties = propertiesOf({ Functions: { ...OURS, CustomMessage: arn } });

    // Act
    const error = errorOf(properties);

    // Assess
    expect(error).toBeInstanceOf(ResourcePropertiesError);
    expect((error as Error).message).toContain('CustomMessage');
    expect((error as Error).cause).toBeInstanceOf(InvalidFunctionArnError);
  });

  it('refuses a trigger the toolkit does not have, naming it', () => {
    // Prepare
    const properties = propertiesOf({ Functions: { PreAuthentication: functionArn('auth') } });

    // Act
    const error = errorOf(properties);

    // Assess
    expect(error).toBeInstanceOf(ResourcePropertiesError);
    expect((error as Error).message).toContain('PreAuthentication');
    expect((error as Error).cause).toBeInstanceOf(UnknownTriggerError);
  });

  it('accepts versions and aliases, and any non-empty choice of triggers', () => {
    fc.assert(
      fc.property(
        fc.subarray(['PreSignUp', 'CustomMessage', 'PostConfirmation'] as const, { minLength: 1 }),
        fc.constantFrom('', ':$LATEST', ':7', ':live'),
        (triggers, qualifier) => {
          // Prepare
          const functions = Object.fromEntries(triggers.map((t) => [t, `${OURS[t]}${qualifier}`]));

          // Act
          const parsed = parseAttachmentProperties(propertiesOf({ Functions: functions }));

          // Assess
          expect(parsed.functions).toEqual(functions);
        },
      ),
    );
  });

  it('says in every refusal that nothing was changed, as an AttachError', () => {
    // Prepare
    const properties = propertiesOf({ UserPoolId: 'nope' });

    // Act
    const error = errorOf(properties);

    // Assess
    expect(error).toBeInstanceOf(AttachError);
    expect((error as Error).message).toMatch(/^TriggerAttachment properties: .*\(nothing was changed\)$/);
  });
});
