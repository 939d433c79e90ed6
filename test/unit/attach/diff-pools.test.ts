import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffPools, poolDifferences } from '../../../attach/diff-pools.js';
import { everyFieldPool, functionArn, poolArbitrary } from './pools.js';

describe('Attach: diffPools', () => {
  it('prints one line per removed and added leaf, sorted by path', () => {
    // Prepare
    const before: UserPoolType = {
      LambdaConfig: { PreSignUp: functionArn('theirs'), PreAuthentication: 'a' },
    };
    const after: UserPoolType = {
      LambdaConfig: {
        PreAuthentication: 'a',
        PreSignUp: functionArn('ours'),
        CustomMessage: functionArn('m'),
      },
    };

    // Act
    const lines = diffPools(before, after);

    // Assess
    expect(lines).toEqual([
      `+ LambdaConfig.CustomMessage = "${functionArn('m')}"`,
      `- LambdaConfig.PreSignUp = "${functionArn('theirs')}"`,
      `+ LambdaConfig.PreSignUp = "${functionArn('ours')}"`,
    ]);
  });

  it('names array items by index in numeric order, and odd map keys in quotes', () => {
    // Prepare
    const before: UserPoolType = { SchemaAttributes: [], UserPoolTags: {} };
    const after: UserPoolType = {
      SchemaAttributes: Array.from({ length: 11 }, (_, index) => ({ Name: `a${index}` })).slice(8),
      UserPoolTags: { 'cost center': '42' },
    };

    // Act
    const lines = diffPools(before, after);

    // Assess
    expect(lines).toEqual([
      '- SchemaAttributes = []',
      '+ SchemaAttributes[0].Name = "a8"',
      '+ SchemaAttributes[1].Name = "a9"',
      '+ SchemaAttributes[2].Name = "a10"',
      '+ UserPoolTags["cost center"] = "42"',
    ]);
  });

  it('skips the fields that change on their own, and reads an empty object as absent', () => {
    // Prepare
    const before: UserPoolType = {
      LastModifiedDate: new Date(0),
      EstimatedNumberOfUsers: 1,
      LambdaConfig: {},
    };
    const after: UserPoolType = { LastModifiedDate: new Date(1), EstimatedNumberOfUsers: 2 };

    // Act
    const lines = diffPools(before, after);

    // Assess
    expect(lines).toEqual([]);
  });

  it('prints dates as ISO 8601 text', () => {
    // Prepare
    const before: UserPoolType = { CreationDate: new Date('2025-01-02T03:04:05.000Z') };

    // Act
    const lines = diffPools(before, {});

    // Assess
    expect(lines).toEqual(['- CreationDate = "2025-01-02T03:04:05.000Z"']);
  });

  it('finds no difference between a pool and itself, whatever the order of its keys', () => {
    fc.assert(
      fc.property(poolArbitrary, (pool) => {
        // Prepare
        const reversed = Object.fromEntries(Object.entries(structuredClone(pool)).reverse()) as UserPoolType;

        // Act
        const differences = poolDifferences(pool, reversed);

        // Assess
        expect(differences).toEqual([]);
      }),
    );
  });

  it('lists every leaf of a pool against an empty one, each once', () => {
    // Prepare
    const pool = everyFieldPool();

    // Act
    const lines = diffPools(pool, {});

    // Assess
    expect(lines.every((line) => line.startsWith('- '))).toBe(true);
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines).toContain('- UserPoolTags["cost center"] = "42"');
  });
});
