// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are CloudFormation Fn::Sub templates, not JS templates

import { describe, expect, it } from 'vitest';
import {
  createResolver,
  NO_VALUE,
  referencedLogicalIds,
  resolveValue,
  UNRESOLVED,
} from '../../../harness/intrinsics.js';

const FAKE_PATH = '/project/template.yaml';

/** A resolver over a small template: one parameter with a default, one without, conditions and a mapping. */
function resolver(conditions: Record<string, unknown> = {}) {
  return createResolver(FAKE_PATH, {
    Parameters: {
      Stage: { Type: 'String', Default: 'dev' },
      Zones: { Type: 'CommaDelimitedList', Default: 'a,b' },
      Secret: { Type: 'String' },
    },
    Conditions: { IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] }, ...conditions },
    Mappings: { Stage: { dev: { Mode: 'lax' } } },
  });
}

describe('Harness: resolveValue', () => {
  it('resolves parameters, pseudo parameters, Sub, If, Join, Select and FindInMap', () => {
    // Prepare
    const value = {
      ref: { Ref: 'Stage' },
      sub: { 'Fn::Sub': '${Stage}-${AWS::Region}-${!Literal}' },
      if: { 'Fn::If': ['IsDev', 'debug', 'info'] },
      join: { 'Fn::Join': ['+', { Ref: 'Zones' }] },
      select: { 'Fn::Select': [1, { Ref: 'Zones' }] },
      map: { 'Fn::FindInMap': ['Stage', { Ref: 'Stage' }, 'Mode'] },
    };

    // Act
    const resolved = resolveValue(value, resolver());

    // Assess
    expect(resolved).toEqual({
      ref: 'dev',
      sub: 'dev-us-east-1-${Literal}',
      if: 'debug',
      join: 'a+b',
      select: 'b',
      map: 'lax',
    });
  });

  it.each([
    ['a resource attribute', { 'Fn::GetAtt': ['Table', 'Arn'] }],
    ['a parameter without a default', { Ref: 'Secret' }],
    ['a Sub over a resource', { 'Fn::Sub': '${Table.Arn}/index' }],
    ['a map holding an unresolved value', { Nested: { Ref: 'Table' } }],
  ])('reports %s as UNRESOLVED', (_case, value) => {
    // Prepare
    const context = resolver();

    // Act
    const resolved = resolveValue(value, context);

    // Assess
    expect(resolved).toBe(UNRESOLVED);
  });

  it('drops AWS::NoValue from lists and maps, and returns NO_VALUE for it alone', () => {
    // Prepare
    const noValue = { Ref: 'AWS::NoValue' };

    // Act
    const resolved = [
      resolveValue({ list: ['a', noValue], map: { k: noValue } }, resolver()),
      resolveValue(noValue, resolver()),
    ];

    // Assess
    expect(resolved).toEqual([{ list: ['a'], map: {} }, NO_VALUE]);
  });

  it('throws a TemplateError for a condition that refers to itself', () => {
    // Prepare
    const context = resolver({ Loop: { 'Fn::Not': [{ Condition: 'Loop' }] } });

    // Act
    const resolve = () => resolveValue({ 'Fn::If': ['Loop', 'a', 'b'] }, context);

    // Assess
    expect(resolve).toThrow(expect.objectContaining({ name: 'TemplateError', key: 'Conditions.Loop' }));
  });
});

describe('Harness: referenced logical ids', () => {
  it('collects Ref, GetAtt and Sub targets but not pseudo parameters, Sub variables or escapes', () => {
    // Prepare
    const value = {
      a: { Ref: 'Pool' },
      b: { 'Fn::GetAtt': ['Role', 'Arn'] },
      c: { 'Fn::GetAtt': 'Table.Arn' },
      d: { 'Fn::Sub': ['${Bucket.Arn}/${Own}/${AWS::Region}/${!Escaped}', { Own: { Ref: 'Topic' } }] },
      e: { Ref: 'AWS::AccountId' },
    };

    // Act
    const ids = referencedLogicalIds(value);

    // Assess
    expect([...ids].sort()).toEqual(['Bucket', 'Pool', 'Role', 'Table', 'Topic']);
  });
});
