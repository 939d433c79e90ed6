/**
 * CloudFormation YAML: the short forms of the intrinsic functions (`!Ref`, `!Sub`, `!GetAtt`, `!If`, …)
 * read as their long form (`{ Ref: … }`, `{ 'Fn::Sub': … }`), so the rest of the harness sees one shape.
 */
import { type CollectionTag, parseDocument, type ScalarTag } from 'yaml';
import { isObject, jsonTypeOf } from '../shared/parse-event.js';
import { TemplateError } from './errors.js';

const SHORT_FORMS = [
  'Ref',
  'Condition',
  'And',
  'Base64',
  'Cidr',
  'Contains',
  'EachMemberEquals',
  'EachMemberIn',
  'Equals',
  'FindInMap',
  'GetAZs',
  'GetAtt',
  'If',
  'ImportValue',
  'Join',
  'Length',
  'Not',
  'Or',
  'RefAll',
  'Select',
  'Split',
  'Sub',
  'ToJsonString',
  'Transform',
  'ValueOf',
  'ValueOfAll',
] as const;

function longFormOf(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** `!GetAtt A.B.C` is `Fn::GetAtt: [A, B.C]`: the logical id ends at the first dot. */
function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

/** The `yaml` custom tags that turn `!Name value` into `{ 'Fn::Name': value }`, for scalars, lists and maps. */
export const cloudFormationTags: Array<ScalarTag | CollectionTag> = SHORT_FORMS.flatMap((name) => {
  const key = longFormOf(name);
  const tag = `!${name}`;
  const scalar: ScalarTag = {
    tag,
    resolve: (value: string) => ({ [key]: name === 'GetAtt' ? splitGetAtt(value) : value }),
  };
  const seq: CollectionTag = { tag, collection: 'seq', resolve: (value) => ({ [key]: value.toJSON() }) };
  const map: CollectionTag = { tag, collection: 'map', resolve: (value) => ({ [key]: value.toJSON() }) };
  return [scalar, seq, map];
});

/** Parses CloudFormation YAML; a syntax error becomes a {@link TemplateError} with its line. */
export function parseCloudFormationYaml(text: string, path: string): Record<string, unknown> {
  const document = parseDocument(text, { customTags: cloudFormationTags, prettyErrors: true });
  const [first] = document.errors;
  if (first !== undefined) throw new TemplateError(path, '(yaml)', `is not valid YAML: ${first.message}`);
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (!isObject(value)) throw new TemplateError(path, '(root)', `must be a map, found ${jsonTypeOf(value)}`);
  return value;
}
