import { describe, expect, it } from 'vitest';
import { fieldsDroppedByParser } from '../../../attach/dropped-fields.js';

describe('Attach: fieldsDroppedByParser', () => {
  it('finds nothing when the parsed answer holds every member, dates parsed', () => {
    // Prepare
    const raw = {
      Id: 'us-east-1_A',
      CreationDate: 1.5e9,
      LambdaConfig: { PreSignUp: 'a' },
      Tags: [{ K: 'v' }],
    };
    const parsed = {
      Id: 'us-east-1_A',
      CreationDate: new Date(1.5e12),
      LambdaConfig: { PreSignUp: 'a' },
      Tags: [{ K: 'v' }],
    };

    // Act
    const dropped = fieldsDroppedByParser(raw, parsed);

    // Assess
    expect(dropped).toEqual([]);
  });

  it('names members dropped at any depth, and array items', () => {
    // Prepare
    const raw = {
      NewSetting: { On: true },
      LambdaConfig: { PreSignUp: 'a', NewTrigger: 'b' },
      SchemaAttributes: [{ Name: 'email', NewFlag: true }, { Name: 'x' }],
      'odd key': 1,
    };
    const parsed = { LambdaConfig: { PreSignUp: 'a' }, SchemaAttributes: [{ Name: 'email' }] };

    // Act
    const dropped = fieldsDroppedByParser(raw, parsed);

    // Assess
    expect(dropped).toEqual([
      'NewSetting',
      'LambdaConfig.NewTrigger',
      'SchemaAttributes[0].NewFlag',
      'SchemaAttributes[1]',
      '["odd key"]',
    ]);
  });

  it('does not count null members, which carry nothing', () => {
    // Prepare
    const raw = { Status: null, LambdaConfig: { PreSignUp: null } };

    // Act
    const dropped = fieldsDroppedByParser(raw, { LambdaConfig: {} });

    // Assess
    expect(dropped).toEqual([]);
  });
});
