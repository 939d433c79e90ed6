import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  customMessageSources,
  isSourceSpelling,
  isTriggerSource,
  NO_TRIGGER_SOURCE,
  postConfirmationSources,
  preSignUpSources,
  sourcesOfTrigger,
  TriggerName,
  TriggerSource,
  triggerNameOf,
} from '../../../shared/trigger-source.js';

const everySource = Object.values(TriggerSource);

describe('Shared: TriggerSource', () => {
  it('lists the twelve sources of contract §2, §3 and §4 exactly once each', () => {
    // Prepare
    const listed = [...preSignUpSources, ...customMessageSources, ...postConfirmationSources];

    // Act
    const unique = new Set(listed);

    // Assess
    expect(unique.size).toBe(12);
    expect([...unique].sort()).toEqual([...everySource].sort());
  });

  it('files every source under the trigger named before its underscore', () => {
    // Prepare
    const names = Object.values(TriggerName);

    // Act
    const misfiled = names.flatMap((name) =>
      sourcesOfTrigger[name].filter((source) => !source.startsWith(`${name}_`)),
    );

    // Assess
    expect(misfiled).toEqual([]);
  });
});

describe('Shared: triggerNameOf', () => {
  it.each(everySource)('names the trigger of %s', (source) => {
    // Prepare
    const expected = source.split('_')[0];

    // Act
    const name = triggerNameOf(source);

    // Assess
    expect(name).toBe(expected);
  });

  it('names the trigger of an undocumented source of a known trigger (contract §2, user migration)', () => {
    // Prepare
    const source = 'PreSignUp_UserMigration';

    // Act
    const name = triggerNameOf(source);

    // Assess
    expect(name).toBe('PreSignUp');
  });

  it.each([
    ['a trigger this toolkit does not handle', 'PreAuthentication_Authentication'],
    ['the empty string', ''],
    ['a bare underscore', '_'],
    ['a source that starts with an underscore', '_PreSignUp'],
  ])('returns undefined for %s', (_label, source) => {
    // Prepare (nothing beyond the source)

    // Act
    const name = triggerNameOf(source);

    // Assess
    expect(name).toBeUndefined();
  });

  // Regression: with no underscore, indexOf returns -1 and slice(0, -1) drops the last character,
  // so "PreSignUpX" is taken for a PreSignUp source.
  it('returns undefined for a source without an underscore', () => {
    // Prepare
    const source = 'PreSignUpX';

    // Act
    const name = triggerNameOf(source);

    // Assess
    expect(name).toBeUndefined();
  });

  // Regression: `prefix in sourcesOfTrigger` also finds Object.prototype members.
  it.each(['toString_SignUp', 'constructor_SignUp'])(
    'returns undefined for %s, whose prefix is an Object.prototype member',
    (source) => {
      // Prepare (nothing beyond the source)

      // Act
      const name = triggerNameOf(source);

      // Assess
      expect(name).toBeUndefined();
    },
  );
});

describe('Shared: isTriggerSource', () => {
  it.each(everySource)('accepts %s', (source) => {
    // Prepare (nothing beyond the source)

    // Act
    const known = isTriggerSource(source);

    // Assess
    expect(known).toBe(true);
  });

  it.each([
    ['an undocumented source of a known trigger', 'PreSignUp_UserMigration'],
    ['a source of another trigger', 'PostAuthentication_Authentication'],
    ['a source in the wrong case', 'presignup_signup'],
    ['a number', 1],
    ['null', null],
    ['undefined', undefined],
    ['an object', { triggerSource: 'PreSignUp_SignUp' }],
  ])('refuses %s', (_label, source) => {
    // Prepare (nothing beyond the source)

    // Act
    const known = isTriggerSource(source);

    // Assess
    expect(known).toBe(false);
  });

  // Regression: throws "sourcesOfTrigger[trigger].includes is not a function".
  it.each(['toString_SignUp', 'hasOwnProperty_SignUp'])('refuses %s without throwing', (source) => {
    // Prepare (nothing beyond the source)

    // Act
    const known = () => isTriggerSource(source);

    // Assess
    expect(known).not.toThrow();
  });

  // Regression: a prototype-member prefix such as "toString_" once made isTriggerSource throw.
  it('answers a boolean for any value and accepts only the twelve sources', () => {
    // Prepare
    const anyValue = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.constantFrom(...everySource),
      fc
        .tuple(
          fc.constantFrom('toString', 'constructor', 'valueOf', 'PreSignUp', 'CustomMessage'),
          fc.string(),
        )
        .map(([prefix, rest]) => `${prefix}_${rest}`),
    );

    // Act
    const property = fc.property(anyValue, (value) => {
      const known = isTriggerSource(value);
      return known === (everySource as readonly unknown[]).includes(value);
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Shared: isSourceSpelling', () => {
  it.each([...everySource, 'PreSignUp_UserMigration', 'PreAuthentication_Authentication'])(
    'reads %s as one source',
    (source) => {
      // Prepare (nothing beyond the source)

      // Act
      const single = isSourceSpelling(source);

      // Assess
      expect(single).toBe(true);
    },
  );

  it.each([
    ['a placeholder', '<triggerSource>'],
    [
      'a list of sources, as the older custom message sample has',
      'CustomMessage_SignUp/CustomMessage_ResendCode',
    ],
    ['an empty string', NO_TRIGGER_SOURCE],
    ['a name without an operation', 'PreSignUp'],
  ])('does not read %s as one source', (_label, source) => {
    // Prepare (nothing beyond the source)

    // Act
    const single = isSourceSpelling(source);

    // Assess
    expect(single).toBe(false);
  });

  it('never reads the source an event without one is given as a known source', () => {
    // Prepare (nothing beyond the constant)

    // Act
    const known = isTriggerSource(NO_TRIGGER_SOURCE);

    // Assess
    expect(known).toBe(false);
  });
});
