/**
 * CloudFormation's intrinsic functions, as far as they can be resolved without a deployment: parameter
 * defaults, a few pseudo parameters, `Fn::Sub`, `Fn::Join`, `Fn::If` over the template's conditions,
 * `Fn::Select` and `Fn::FindInMap`. Anything else (an attribute or the id of a resource) is
 * {@link UNRESOLVED}. Values are in long form (harness/cfn-yaml.ts turns the short forms into it).
 */
import { isObject } from '../shared/parse-event.js';
import { TemplateError } from './errors.js';

type Json = Record<string, unknown>;

/** What `sam local invoke` substitutes for the pseudo parameters it knows (SAM CLI's local defaults). */
export const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
  'AWS::StackName': 'local',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** A template parameter as written (`Type`, `Default`, `AllowedValues`, …). */
export type TemplateParameter = { Default?: unknown; [key: string]: unknown };

/** What {@link resolveValue} returns for a value only a deployment knows. */
export const UNRESOLVED: unique symbol = Symbol('unresolved');

/** What {@link resolveValue} returns for `!Ref AWS::NoValue`: the key or item is left out. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** What one template's intrinsics resolve against; made by {@link createResolver}. */
export type Resolver = {
  /** The template's path, for error messages. */
  path: string;
  parameters: Record<string, TemplateParameter>;
  conditions: Json;
  mappings: Json;
  conditionCache: Map<string, boolean | typeof UNRESOLVED>;
  conditionStack: Set<string>;
};

/** A resolver over a template's `Parameters`, `Conditions` and `Mappings` (each may be absent). */
export function createResolver(path: string, document: Json): Resolver {
  return {
    path,
    parameters: (isObject(document.Parameters) ? document.Parameters : {}) as Record<
      string,
      TemplateParameter
    >,
    conditions: isObject(document.Conditions) ? document.Conditions : {},
    mappings: isObject(document.Mappings) ? document.Mappings : {},
    conditionCache: new Map(),
    conditionStack: new Set(),
  };
}

/** `[name, argument]` when `value` is one intrinsic function call (`{ Ref: … }`, `{ 'Fn::…': … }`). */
export function intrinsicOf(value: Json): [string, unknown] | undefined {
  const keys = Object.keys(value);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined) return undefined;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? [key, value[key]] : undefined;
}

/** Whether `value` is one intrinsic function call. */
export function isIntrinsic(value: unknown): boolean {
  return isObject(value) && intrinsicOf(value) !== undefined;
}

function resolveRef(name: unknown, resolver: Resolver): unknown {
  if (typeof name !== 'string') return UNRESOLVED;
  if (name === 'AWS::NoValue') return NO_VALUE;
  // Own keys only: a name like `toString` must not find an Object.prototype member.
  if (Object.hasOwn(PSEUDO_PARAMETERS, name)) return PSEUDO_PARAMETERS[name];
  const parameter = Object.hasOwn(resolver.parameters, name) ? resolver.parameters[name] : undefined;
  if (!isObject(parameter) || parameter.Default === undefined) return UNRESOLVED;
  const type = String(parameter.Type ?? 'String');
  const text = String(parameter.Default);
  // A list parameter's Ref is a list; any other parameter's Ref is a string, numbers included.
  return type === 'CommaDelimitedList' || type.startsWith('List<') ? text.split(',') : text;
}

function resolveSub(argument: unknown, resolver: Resolver): unknown {
  const [template, variables] = Array.isArray(argument) ? argument : [argument, {}];
  if (typeof template !== 'string' || !isObject(variables)) return UNRESOLVED;
  let unresolved = false;
  const text = template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    const value = Object.hasOwn(variables, name)
      ? resolveValue(variables[name], resolver)
      : resolveRef(name, resolver);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return String(value);
    }
    unresolved = true;
    return whole;
  });
  return unresolved ? UNRESOLVED : text;
}

function evaluateCondition(expression: unknown, resolver: Resolver): boolean | typeof UNRESOLVED {
  if (typeof expression === 'boolean') return expression;
  if (!isObject(expression)) return UNRESOLVED;
  const intrinsic = intrinsicOf(expression);
  if (intrinsic === undefined) return UNRESOLVED;
  const [fn, argument] = intrinsic;
  if (fn === 'Condition') return conditionNamed(argument, resolver);
  if (!Array.isArray(argument)) return UNRESOLVED;
  if (fn === 'Fn::Equals') {
    const [left, right] = argument.map((item) => resolveValue(item, resolver));
    if (left === UNRESOLVED || right === UNRESOLVED) return UNRESOLVED;
    return JSON.stringify(left) === JSON.stringify(right) || String(left) === String(right);
  }
  const values = argument.map((item) => evaluateCondition(item, resolver));
  if (values.includes(UNRESOLVED)) return UNRESOLVED;
  if (fn === 'Fn::Not') return values.length === 1 ? !values[0] : UNRESOLVED;
  if (fn === 'Fn::And') return values.every(Boolean);
  if (fn === 'Fn::Or') return values.some(Boolean);
  return UNRESOLVED;
}

function conditionNamed(name: unknown, resolver: Resolver): boolean | typeof UNRESOLVED {
  if (typeof name !== 'string' || !Object.hasOwn(resolver.conditions, name)) return UNRESOLVED;
  const cached = resolver.conditionCache.get(name);
  if (cached !== undefined) return cached;
  if (resolver.conditionStack.has(name)) {
    throw new TemplateError(resolver.path, `Conditions.${name}`, 'refers to itself');
  }
  resolver.conditionStack.add(name);
  const value = evaluateCondition(resolver.conditions[name], resolver);
  resolver.conditionStack.delete(name);
  resolver.conditionCache.set(name, value);
  return value;
}

/**
 * The value of the template condition `name` under the parameter defaults: {@link UNRESOLVED} when it is not
 * declared or needs a value only a deployment knows.
 * @throws TemplateError for a condition that refers to itself.
 */
export function conditionValue(name: string, resolver: Resolver): boolean | typeof UNRESOLVED {
  return conditionNamed(name, resolver);
}

function resolveIntrinsic(fn: string, argument: unknown, resolver: Resolver): unknown {
  switch (fn) {
    case 'Ref':
      return resolveRef(argument, resolver);
    case 'Fn::Sub':
      return resolveSub(argument, resolver);
    case 'Fn::If': {
      if (!Array.isArray(argument) || argument.length !== 3) return UNRESOLVED;
      const condition = conditionNamed(argument[0], resolver);
      if (condition === UNRESOLVED) return UNRESOLVED;
      return resolveValue(condition ? argument[1] : argument[2], resolver);
    }
    case 'Fn::Join': {
      if (!Array.isArray(argument) || typeof argument[0] !== 'string') return UNRESOLVED;
      const items = resolveValue(argument[1], resolver);
      if (
        !Array.isArray(items) ||
        !items.every((item) => typeof item === 'string' || typeof item === 'number')
      ) {
        return UNRESOLVED;
      }
      return items.join(argument[0]);
    }
    case 'Fn::Select': {
      if (!Array.isArray(argument)) return UNRESOLVED;
      const index = Number(resolveValue(argument[0], resolver));
      const items = resolveValue(argument[1], resolver);
      return Array.isArray(items) && Number.isInteger(index) && index >= 0 && index < items.length
        ? items[index]
        : UNRESOLVED;
    }
    case 'Fn::FindInMap': {
      if (!Array.isArray(argument)) return UNRESOLVED;
      const keys = argument.map((item) => resolveValue(item, resolver));
      let node: unknown = resolver.mappings;
      for (const key of keys) {
        if (typeof key !== 'string' || !isObject(node) || !Object.hasOwn(node, key)) return UNRESOLVED;
        node = node[key];
      }
      return resolveValue(node, resolver);
    }
    default:
      return UNRESOLVED;
  }
}

/**
 * `value` with every intrinsic resolved: {@link UNRESOLVED} when any part needs a deployment,
 * {@link NO_VALUE} for `!Ref AWS::NoValue` (dropped from the lists and maps around it).
 * @throws TemplateError for a condition that refers to itself.
 */
export function resolveValue(value: unknown, resolver: Resolver): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => resolveValue(item, resolver)).filter((item) => item !== NO_VALUE);
    return items.includes(UNRESOLVED) ? UNRESOLVED : items;
  }
  if (!isObject(value)) return value;
  const intrinsic = intrinsicOf(value);
  if (intrinsic !== undefined) return resolveIntrinsic(intrinsic[0], intrinsic[1], resolver);
  const result: Json = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolveValue(item, resolver);
    if (resolved === UNRESOLVED) return UNRESOLVED;
    if (resolved !== NO_VALUE) result[key] = resolved;
  }
  return result;
}

/**
 * The logical ids a value refers to: `Ref` targets, `Fn::GetAtt` resources and `Fn::Sub` variables
 * (pseudo parameters and `Fn::Sub`'s own variables excluded). Parameters are included: the caller decides.
 */
export function referencedLogicalIds(value: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!isObject(node)) return;
    const intrinsic = intrinsicOf(node);
    if (intrinsic?.[0] === 'Ref' && typeof intrinsic[1] === 'string') {
      if (!intrinsic[1].startsWith('AWS::')) found.add(intrinsic[1]);
      return;
    }
    if (intrinsic?.[0] === 'Fn::GetAtt') {
      const target = Array.isArray(intrinsic[1]) ? intrinsic[1][0] : intrinsic[1];
      if (typeof target === 'string') found.add(target.split('.')[0] ?? target);
      return;
    }
    if (intrinsic?.[0] === 'Fn::Sub') {
      const [template, variables] = Array.isArray(intrinsic[1]) ? intrinsic[1] : [intrinsic[1], {}];
      const local = isObject(variables) ? variables : {};
      if (typeof template === 'string') {
        for (const match of template.matchAll(/\$\{([^}!][^}]*)\}/g)) {
          const name = (match[1] ?? '').split('.')[0] ?? '';
          if (!Object.hasOwn(local, name) && !name.startsWith('AWS::')) found.add(name);
        }
      }
      visit(local);
      return;
    }
    for (const item of Object.values(node)) visit(item);
  };
  visit(value);
  return found;
}

/**
 * `value` with every `Fn::If` decided by the template's conditions (parameter defaults) and every
 * `!Ref AWS::NoValue` dropped, other intrinsics kept as they are (`Fn::GetAtt`, `Ref` to resources): what a
 * resource's properties are in the stack the defaults create. An undecidable condition is kept as it is.
 *
 * @example
 * selectConditions(resources.UserPool.Properties.LambdaConfig, resolver); // { PreSignUp: { 'Fn::GetAtt': … }, … }
 */
export function selectConditions(value: unknown, resolver: Resolver): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => selectConditions(item, resolver)).filter((item) => item !== NO_VALUE);
  }
  if (!isObject(value)) return value;
  const intrinsic = intrinsicOf(value);
  if (intrinsic?.[0] === 'Ref' && intrinsic[1] === 'AWS::NoValue') return NO_VALUE;
  if (intrinsic?.[0] === 'Fn::If' && Array.isArray(intrinsic[1]) && intrinsic[1].length === 3) {
    const condition = conditionNamed(intrinsic[1][0], resolver);
    if (condition !== UNRESOLVED)
      return selectConditions(condition ? intrinsic[1][1] : intrinsic[1][2], resolver);
  }
  const result: Json = {};
  for (const [key, item] of Object.entries(value)) {
    const selected = selectConditions(item, resolver);
    if (selected !== NO_VALUE) result[key] = selected;
  }
  return result;
}
