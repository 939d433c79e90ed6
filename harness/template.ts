/**
 * A small reader of `template.yaml`: the trigger functions, their handler and esbuild settings, and the
 * environment `sam local invoke` would give them (Globals merged, parameter defaults resolved).
 *
 * It understands the CloudFormation short forms (`!Ref`, `!Sub`, `!GetAtt`, `!If`, …) and resolves what can
 * be known without a deployment: parameter defaults, a few pseudo parameters, `Fn::Sub`, `Fn::Join`,
 * `Fn::If` over the template's conditions, `Fn::Select` and `Fn::FindInMap`. Anything else (an attribute or
 * the id of a resource) is reported as unresolved.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CollectionTag, parseDocument, type ScalarTag } from 'yaml';
import { jsonTypeOf } from '../shared/parse-event.js';
import { TriggerName } from '../shared/trigger-source.js';
import { EnvVarsError, TemplateError } from './errors.js';

/** `template.yaml` at the repository root (this file lives in `harness/`), whatever the working directory. */
export const DEFAULT_TEMPLATE_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'template.yaml');

/** What `sam local invoke` substitutes for the pseudo parameters it knows (SAM CLI's local defaults). */
export const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
  'AWS::StackName': 'local',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** One trigger function of the template, as the build and the harness need it. */
export type FunctionSpec = {
  /** `PreSignUpFunction` */
  logicalId: string;
  /** From the function's `Cognito` event. */
  trigger: TriggerName;
  /** `handler.handler` */
  handler: string;
  /** Path from the repository root, for example `triggers/pre-sign-up/handler.ts` (`EntryPoints[0]`). */
  entryPoint: string;
  /** File part of `Handler` plus the `.js` output extension: `handler.cjs`. */
  bundleFile: string;
  /** Part of `Handler` after the last dot: `handler`. */
  exportName: string;
  /** `Timeout`, Globals merged with Properties (Lambda's default 3 when unset). */
  timeoutSeconds: number;
  /** `MemorySize`, Globals merged with Properties (Lambda's default 128 when unset). */
  memoryMb: number;
  /** `Runtime` after the Globals merge. */
  runtime: string;
  /** `Architectures` after the Globals merge (Lambda's default `x86_64` when unset). */
  architectures: string[];
  /** `CodeUri` after the Globals merge, relative to the template. */
  codeUri: string;
  /** Logical id of the `AWS::Logs::LogGroup` named in `LoggingConfig.LogGroup`, if it is a `Ref`. */
  logGroupLogicalId: string | undefined;
  /**
   * Environment variables with Globals merged and intrinsics resolved (`!Ref Param` gives its Default,
   * `!Ref AWS::Region` gives `us-east-1`). Variables that cannot be resolved locally are left out.
   */
  environment: Record<string, string>;
  /** Declared variables left out of `environment` because their value is only known after a deploy. */
  unresolved: string[];
  /** The raw `Metadata.BuildProperties`. */
  buildProperties: Record<string, unknown>;
};

/** A template parameter as written (`Type`, `Default`, `AllowedValues`, …). */
export type TemplateParameter = { Default?: unknown; [key: string]: unknown };

/** What {@link loadTemplate} reads. */
export type TemplateModel = {
  /** Absolute path of the template. */
  path: string;
  /** The functions wired to a Cognito sign-up trigger, in template order. */
  functions: FunctionSpec[];
  parameters: Record<string, TemplateParameter>;
  /** The whole template, short-form intrinsics turned into their long form (`{ Ref: … }`, `{ 'Fn::Sub': … }`). */
  document: Record<string, unknown>;
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------
// YAML with CloudFormation short forms

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
export function parseCloudFormationYaml(text: string, path: string): Json {
  const document = parseDocument(text, { customTags: cloudFormationTags, prettyErrors: true });
  const [first] = document.errors;
  if (first !== undefined) throw new TemplateError(path, '(yaml)', `is not valid YAML: ${first.message}`);
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (!isObject(value)) throw new TemplateError(path, '(root)', `must be a map, found ${jsonTypeOf(value)}`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Intrinsic functions, as far as they can be resolved without a deployment

const UNRESOLVED: unique symbol = Symbol('unresolved');
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

type Resolved = unknown;

type Resolver = {
  path: string;
  parameters: Record<string, TemplateParameter>;
  conditions: Json;
  mappings: Json;
  conditionCache: Map<string, boolean | typeof UNRESOLVED>;
  conditionStack: Set<string>;
};

function intrinsicOf(value: Json): [string, unknown] | undefined {
  const keys = Object.keys(value);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined) return undefined;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? [key, value[key]] : undefined;
}

function resolveRef(name: unknown, resolver: Resolver): Resolved {
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

function resolveSub(argument: unknown, resolver: Resolver): Resolved {
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

function resolveIntrinsic(fn: string, argument: unknown, resolver: Resolver): Resolved {
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

function resolveValue(value: unknown, resolver: Resolver): Resolved {
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

// ---------------------------------------------------------------------------------------------------------
// Globals and functions

function isIntrinsic(value: unknown): boolean {
  return isObject(value) && intrinsicOf(value) !== undefined;
}

/**
 * SAM's Globals merge: maps merge key by key (the function wins), lists are concatenated (Globals first),
 * anything else (intrinsics included) is replaced by the function's value.
 */
export function mergeGlobals(global: unknown, local: unknown): unknown {
  if (local === undefined) return global;
  if (global === undefined) return local;
  if (isObject(global) && isObject(local) && !isIntrinsic(global) && !isIntrinsic(local)) {
    const merged = new Map(Object.entries(global));
    for (const [key, value] of Object.entries(local)) merged.set(key, mergeGlobals(merged.get(key), value));
    return Object.fromEntries(merged);
  }
  if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
  return local;
}

type FunctionContext = { resolver: Resolver; logicalId: string; root: string };

function keyOf(context: FunctionContext, key: string): string {
  return `Resources.${context.logicalId}.${key}`;
}

function resolvedString(value: unknown, context: FunctionContext, key: string): string {
  const resolved = resolveValue(value, context.resolver);
  if (typeof resolved !== 'string' || resolved === '') {
    throw new TemplateError(context.resolver.path, keyOf(context, key), 'must be a non-empty string');
  }
  return resolved;
}

function resolvedNumber(value: unknown, fallback: number, context: FunctionContext, key: string): number {
  if (value === undefined) return fallback;
  const resolved = resolveValue(value, context.resolver);
  const number = typeof resolved === 'number' || typeof resolved === 'string' ? Number(resolved) : Number.NaN;
  if (!Number.isFinite(number) || number <= 0) {
    throw new TemplateError(context.resolver.path, keyOf(context, key), 'must resolve to a positive number');
  }
  return number;
}

function triggerOf(properties: Json, context: FunctionContext): TriggerName | undefined {
  const events = isObject(properties.Events) ? properties.Events : {};
  const triggers: unknown[] = [];
  for (const event of Object.values(events)) {
    if (!isObject(event) || event.Type !== 'Cognito') continue;
    const trigger = isObject(event.Properties) ? event.Properties.Trigger : undefined;
    triggers.push(...(Array.isArray(trigger) ? trigger : [trigger]));
  }
  if (triggers.length === 0) return undefined;
  const [trigger] = triggers;
  const known = Object.values(TriggerName) as unknown[];
  if (triggers.length > 1 || !known.includes(trigger)) {
    throw new TemplateError(
      context.resolver.path,
      keyOf(context, 'Properties.Events'),
      `must wire exactly one of ${known.join(', ')}, found ${JSON.stringify(triggers)}`,
    );
  }
  return trigger as TriggerName;
}

/** SAM's esbuild entry point: `EntryPoints[0]`, else the handler's file with `.ts` tried before `.js`. */
function entryPointOf(
  buildProperties: Json,
  codeUri: string,
  handlerFile: string,
  context: FunctionContext,
): string {
  const entryPoints = buildProperties.EntryPoints;
  if (entryPoints === undefined) {
    for (const extension of ['.ts', '.js']) {
      const candidate = posix.join(codeUri, `${handlerFile}${extension}`);
      if (existsSync(resolve(context.root, candidate))) return candidate;
    }
    throw new TemplateError(
      context.resolver.path,
      keyOf(context, 'Metadata.BuildProperties.EntryPoints'),
      `is unset and neither ${handlerFile}.ts nor ${handlerFile}.js exists under ${codeUri}`,
    );
  }
  if (!Array.isArray(entryPoints) || entryPoints.length !== 1 || typeof entryPoints[0] !== 'string') {
    throw new TemplateError(
      context.resolver.path,
      keyOf(context, 'Metadata.BuildProperties.EntryPoints'),
      'must list exactly one entry point (a path string)',
    );
  }
  return posix.join(codeUri, entryPoints[0]);
}

/** The `.js` output extension after `OutExtension` (`['.js=.cjs']` gives `.cjs`). */
function jsExtensionOf(buildProperties: Json, context: FunctionContext): string {
  const outExtension = buildProperties.OutExtension;
  if (outExtension === undefined) return '.js';
  if (!Array.isArray(outExtension)) {
    throw new TemplateError(
      context.resolver.path,
      keyOf(context, 'Metadata.BuildProperties.OutExtension'),
      'must be a list like [".js=.cjs"]',
    );
  }
  for (const item of outExtension) {
    const [from, to] = String(item).split('=');
    if (from === '.js' && to !== undefined && to !== '') return to;
  }
  return '.js';
}

function environmentOf(
  variables: unknown,
  context: FunctionContext,
): { environment: Record<string, string>; unresolved: string[] } {
  const environment: Record<string, string> = {};
  const unresolved: string[] = [];
  if (variables === undefined) return { environment, unresolved };
  if (!isObject(variables) || isIntrinsic(variables)) {
    throw new TemplateError(
      context.resolver.path,
      keyOf(context, 'Properties.Environment.Variables'),
      'must be a map of names to values',
    );
  }
  for (const [name, value] of Object.entries(variables)) {
    const resolved = resolveValue(value, context.resolver);
    if (resolved === NO_VALUE) continue;
    if (typeof resolved === 'string' || typeof resolved === 'number' || typeof resolved === 'boolean') {
      environment[name] = String(resolved);
    } else {
      unresolved.push(name);
    }
  }
  return { environment, unresolved };
}

function functionSpecOf(
  logicalId: string,
  resource: Json,
  globals: Json,
  resolver: Resolver,
  root: string,
): FunctionSpec | undefined {
  const context: FunctionContext = { resolver, logicalId, root };
  const properties = mergeGlobals(globals, isObject(resource.Properties) ? resource.Properties : {}) as Json;
  const trigger = triggerOf(properties, context);
  if (trigger === undefined) return undefined;

  const metadata = isObject(resource.Metadata) ? resource.Metadata : {};
  if (metadata.BuildMethod !== 'esbuild') {
    throw new TemplateError(resolver.path, keyOf(context, 'Metadata.BuildMethod'), 'must be esbuild');
  }
  const buildProperties = metadata.BuildProperties ?? {};
  if (!isObject(buildProperties)) {
    throw new TemplateError(resolver.path, keyOf(context, 'Metadata.BuildProperties'), 'must be a map');
  }

  const handler = resolvedString(properties.Handler, context, 'Properties.Handler');
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) {
    throw new TemplateError(
      resolver.path,
      keyOf(context, 'Properties.Handler'),
      'must look like <file>.<export>',
    );
  }
  const handlerFile = handler.slice(0, dot);
  const codeUri = posix.normalize(
    properties.CodeUri === undefined
      ? '.'
      : resolvedString(properties.CodeUri, context, 'Properties.CodeUri'),
  );
  const architectures = resolveValue(properties.Architectures ?? ['x86_64'], resolver);
  const logGroup = isObject(properties.LoggingConfig) ? properties.LoggingConfig.LogGroup : undefined;

  return {
    logicalId,
    trigger,
    handler,
    entryPoint: entryPointOf(buildProperties, codeUri, handlerFile, context),
    bundleFile: `${handlerFile}${jsExtensionOf(buildProperties, context)}`,
    exportName: handler.slice(dot + 1),
    timeoutSeconds: resolvedNumber(properties.Timeout, 3, context, 'Properties.Timeout'),
    memoryMb: resolvedNumber(properties.MemorySize, 128, context, 'Properties.MemorySize'),
    runtime: resolvedString(properties.Runtime, context, 'Properties.Runtime'),
    architectures: Array.isArray(architectures) ? architectures.map(String) : [],
    codeUri,
    logGroupLogicalId: isObject(logGroup) && typeof logGroup.Ref === 'string' ? logGroup.Ref : undefined,
    ...environmentOf(
      isObject(properties.Environment) ? properties.Environment.Variables : undefined,
      context,
    ),
    buildProperties,
  };
}

/** Reads a template from its text; `path` is used in error messages and to find entry points. */
export function parseTemplate(text: string, path: string): TemplateModel {
  const document = parseCloudFormationYaml(text, path);
  const parameters = (isObject(document.Parameters) ? document.Parameters : {}) as Record<
    string,
    TemplateParameter
  >;
  const resolver: Resolver = {
    path,
    parameters,
    conditions: isObject(document.Conditions) ? document.Conditions : {},
    mappings: isObject(document.Mappings) ? document.Mappings : {},
    conditionCache: new Map(),
    conditionStack: new Set(),
  };
  const globals =
    isObject(document.Globals) && isObject(document.Globals.Function) ? document.Globals.Function : {};
  const resources = isObject(document.Resources) ? document.Resources : {};
  const functions: FunctionSpec[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource) || resource.Type !== 'AWS::Serverless::Function') continue;
    const spec = functionSpecOf(logicalId, resource, globals, resolver, dirname(path));
    if (spec !== undefined) functions.push(spec);
  }
  return { path, functions, parameters, document };
}

/**
 * Reads the template (default: `template.yaml` at the repository root) and returns its Cognito trigger
 * functions. Functions without a `Cognito` event are not part of the model.
 */
export function loadTemplate(path: string = DEFAULT_TEMPLATE_PATH): TemplateModel {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new TemplateError(absolute, '(file)', 'cannot be read', { cause: error });
  }
  return parseTemplate(text, absolute);
}

/** The function with this logical id; the error lists the ids the template has. */
export function functionByLogicalId(model: TemplateModel, logicalId: string): FunctionSpec {
  const spec = model.functions.find((candidate) => candidate.logicalId === logicalId);
  if (spec === undefined) {
    const known = model.functions.map((candidate) => candidate.logicalId).join(', ');
    throw new TemplateError(
      model.path,
      logicalId,
      `is not a trigger function of the template (known: ${known})`,
    );
  }
  return spec;
}

// ---------------------------------------------------------------------------------------------------------
// SAM's --env-vars file

function envValueOf(value: unknown, key: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new EnvVarsError(key, `must be a string, number or boolean, found ${jsonTypeOf(value)}`);
}

/**
 * The function's environment after an `--env-vars` file (`{ "Parameters": {…}, "<LogicalId>": {…} }`), with
 * SAM's rules: only variables the template declares for the function are overridden; `Parameters` applies
 * to every function and the function's own block wins. `undefined` or `null` means no file.
 */
export function applyEnvVars(spec: FunctionSpec, envVars: unknown): Record<string, string> {
  const environment = { ...spec.environment };
  if (envVars === undefined || envVars === null) return environment;
  if (!isObject(envVars)) {
    throw new EnvVarsError('(root)', `must be an object of blocks, found ${jsonTypeOf(envVars)}`);
  }
  const blocks: Record<string, Record<string, string>> = {};
  for (const [block, values] of Object.entries(envVars)) {
    if (!isObject(values)) {
      throw new EnvVarsError(
        block,
        `must be an object of variable names to values, found ${jsonTypeOf(values)}`,
      );
    }
    blocks[block] = Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, envValueOf(value, `${block}.${name}`)]),
    );
  }
  const declared = new Set([...Object.keys(spec.environment), ...spec.unresolved]);
  for (const block of ['Parameters', spec.logicalId]) {
    for (const [name, value] of Object.entries(Object.hasOwn(blocks, block) ? (blocks[block] ?? {}) : {})) {
      if (declared.has(name)) environment[name] = value;
    }
  }
  return environment;
}
