// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are CloudFormation Fn::Sub templates, not JS templates

import { describe, expect, it } from 'vitest';
import { parseCloudFormationYaml } from '../../../harness/cfn-yaml.js';
import { TemplateError } from '../../../harness/errors.js';

const FAKE_PATH = '/project/template.yaml';

describe('Harness: CloudFormation YAML', () => {
  it('turns short-form intrinsics into their long form', () => {
    // Prepare
    const text = `
A: !Ref Param
B: !GetAtt Pool.Arn
C: !Sub ['\${X}-\${AWS::Region}', { X: !Ref Param }]
D: !If [Cond, !Equals [a, b], !Not [!Condition Other]]
E: !Join { bad: shape }`;

    // Act
    const document = parseCloudFormationYaml(text, FAKE_PATH);

    // Assess
    expect(document).toEqual({
      A: { Ref: 'Param' },
      B: { 'Fn::GetAtt': ['Pool', 'Arn'] },
      C: { 'Fn::Sub': ['${X}-${AWS::Region}', { X: { Ref: 'Param' } }] },
      D: { 'Fn::If': ['Cond', { 'Fn::Equals': ['a', 'b'] }, { 'Fn::Not': [{ Condition: 'Other' }] }] },
      E: { 'Fn::Join': { bad: 'shape' } },
    });
  });

  it('keeps the attribute path after the first dot of a short-form GetAtt', () => {
    // Prepare
    const text = 'A: !GetAtt Table.StreamSpecification.StreamArn';

    // Act
    const document = parseCloudFormationYaml(text, FAKE_PATH);

    // Assess
    expect(document.A).toEqual({ 'Fn::GetAtt': ['Table', 'StreamSpecification.StreamArn'] });
  });

  it('reports invalid YAML as a TemplateError', () => {
    // Prepare
    const text = 'A: [unclosed';

    // Act
    const parse = () => parseCloudFormationYaml(text, FAKE_PATH);

    // Assess
    expect(parse).toThrow(TemplateError);
  });

  it('reports a document that is not a map as a TemplateError naming the root', () => {
    // Prepare
    const text = '- a\n- b';

    // Act
    const parse = () => parseCloudFormationYaml(text, FAKE_PATH);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ name: 'TemplateError', key: '(root)' }));
  });
});
