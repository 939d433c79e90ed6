/**
 * A small reader of `template.yaml`: the trigger functions, their handler and esbuild settings, and the
 * environment `sam local invoke` would give them (Globals merged, parameter defaults resolved).
 *
 * A function is a trigger function when it names the Cognito trigger it serves, in `Metadata.CognitoTrigger`
 * (how `template.yaml` does it, in both of its modes: a pool of its own or an existing one) or through a SAM
 * `Cognito` event (which only works with a pool of the same template). The template's shape around the
 * functions (a pool or none, conditions) does not change which functions the tools find.
 *
 * The YAML short forms are read by harness/cfn-yaml.ts, the intrinsics resolved by harness/intrinsics.ts;
 * a SAM `--env-vars` file is applied by harness/env-vars.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CoreTriggerName, sourcesOfCoreTrigger } from '../shared/core-trigger.js';
import type { CustomSenderTriggerName } from '../shared/custom-sender/events.js';
import { isObject } from '../shared/parse-event.js';
import { isTriggerName, type TriggerName } from '../shared/trigger-source.js';
import { parseCloudFormationYaml } from './cfn-yaml.js';
import { TemplateError } from './errors.js';
import {
  conditionValue,
  createResolver,
  isIntrinsic,
  NO_VALUE,
  type Resolver,
  resolveValue,
  type TemplateParameter,
} from './intrinsics.js';

/** `template.yaml` at the repository root (this file lives in `harness/`), whatever the working directory. */
export const DEFAULT_TEMPLATE_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'template.yaml');

/** The `Metadata` key in which a function names the Cognito trigger it serves: `CognitoTrigger: PreSignUp`. */
export const TRIGGER_METADATA_KEY = 'CognitoTrigger';

const KNOWN_TRIGGERS: readonly string[] = Object.keys(sourcesOfCoreTrigger);

/** What a template without a trigger function lacks, for the messages of the tools that need one. */
export const NO_TRIGGER_FUNCTION = `no AWS::Serverless::Function names the Cognito trigger it serves (${KNOWN_TRIGGERS.join(', ')}) in Metadata.${TRIGGER_METADATA_KEY} or in a SAM Cognito event`;

/**
 * One trigger function of the template, as the build and the harness need it: a sign-up trigger's (the
 * default), or a custom sender's (`FunctionSpec<CustomSenderTriggerName>`).
 */
export type FunctionSpec<T extends CoreTriggerName = TriggerName> = {
  /** `PreSignUpFunction` */
  logicalId: string;
  /** From the function's `Metadata.CognitoTrigger`, or its SAM `Cognito` event (the two must agree). */
  trigger: T;
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

/** What {@link loadTemplate} reads. */
export type TemplateModel = {
  /** Absolute path of the template. */
  path: string;
  /** The functions that serve a Cognito sign-up trigger, one per trigger, in template order. */
  functions: FunctionSpec[];
  /**
   * The custom sender functions (invoked asynchronously; docs/custom-senders.md), one per trigger: built and
   * bundled like the others, not run by the local pipeline or the replay harness yet.
   */
  senderFunctions: FunctionSpec<CustomSenderTriggerName>[];
  parameters: Record<string, TemplateParameter>;
  /** The whole template, short-form intrinsics turned into their long form (`{ Ref: … }`, `{ 'Fn::Sub': … }`). */
  document: Record<string, unknown>;
};

type Json = Record<string, unknown>;

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

/** The trigger `Metadata.CognitoTrigger` names, if it names one. */
function declaredTriggerOf(metadata: Json, context: FunctionContext): CoreTriggerName | undefined {
  const trigger = metadata[TRIGGER_METADATA_KEY];
  if (trigger === undefined) return undefined;
  if (typeof trigger !== 'string' || !KNOWN_TRIGGERS.includes(trigger)) {
    throw new TemplateError(
      context.resolver.path,
      keyOf(context, `Metadata.${TRIGGER_METADATA_KEY}`),
      `must be one of ${KNOWN_TRIGGERS.join(', ')}, found ${JSON.stringify(trigger)}`,
    );
  }
  return trigger as CoreTriggerName;
}

/** The trigger the function's SAM `Cognito` events wire, if it has any. */
function wiredTriggerOf(properties: Json, context: FunctionContext): CoreTriggerName | undefined {
  const events = isObject(properties.Events) ? properties.Events : {};
  const triggers: unknown[] = [];
  for (const event of Object.values(events)) {
    if (!isObject(event) || event.Type !== 'Cognito') continue;
    const trigger = isObject(event.Properties) ? event.Properties.Trigger : undefined;
    triggers.push(...(Array.isArray(trigger) ? trigger : [trigger]));
  }
  if (triggers.length === 0) return undefined;
  const [trigger] = triggers;
  if (triggers.length > 1 || typeof trigger !== 'string' || !KNOWN_TRIGGERS.includes(trigger)) {
    throw new TemplateError(
      context.resolver.path,
      keyOf(context, 'Properties.Events'),
      `must wire exactly one of ${KNOWN_TRIGGERS.join(', ')}, found ${JSON.stringify(triggers)}`,
    );
  }
  return trigger as CoreTriggerName;
}

/** The trigger a function serves: `Metadata.CognitoTrigger`, else its `Cognito` event; both must agree. */
function triggerOf(metadata: Json, properties: Json, context: FunctionContext): CoreTriggerName | undefined {
  const declared = declaredTriggerOf(metadata, context);
  const wired = wiredTriggerOf(properties, context);
  if (declared !== undefined && wired !== undefined && declared !== wired) {
    throw new TemplateError(
      context.resolver.path,
      keyOf(context, `Metadata.${TRIGGER_METADATA_KEY}`),
      `says ${declared}, but the function's Cognito event wires ${wired}`,
    );
  }
  return declared ?? wired;
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
): FunctionSpec<CoreTriggerName> | undefined {
  const context: FunctionContext = { resolver, logicalId, root };
  const properties = mergeGlobals(globals, isObject(resource.Properties) ? resource.Properties : {}) as Json;
  const metadata = isObject(resource.Metadata) ? resource.Metadata : {};
  const trigger = triggerOf(metadata, properties, context);
  if (trigger === undefined) return undefined;

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
  const resolver = createResolver(path, document);
  const globals =
    isObject(document.Globals) && isObject(document.Globals.Function) ? document.Globals.Function : {};
  const resources = isObject(document.Resources) ? document.Resources : {};
  const all: FunctionSpec<CoreTriggerName>[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource) || resource.Type !== 'AWS::Serverless::Function') continue;
    const spec = functionSpecOf(logicalId, resource, globals, resolver, dirname(path));
    if (spec === undefined) continue;
    // A pool calls one function per trigger: a second one would leave the tools guessing which runs.
    const other = all.find((candidate) => candidate.trigger === spec.trigger);
    if (other !== undefined) {
      throw new TemplateError(
        path,
        `Resources.${logicalId}`,
        `serves the ${spec.trigger} trigger, which ${other.logicalId} serves already (one function per trigger)`,
      );
    }
    all.push(spec);
  }
  const functions = all.filter((spec): spec is FunctionSpec => isTriggerName(spec.trigger));
  const senderFunctions = all.filter(
    (spec): spec is FunctionSpec<CustomSenderTriggerName> => !isTriggerName(spec.trigger),
  );
  return { path, functions, senderFunctions, parameters: resolver.parameters, document };
}

/**
 * Reads the template (default: `template.yaml` at the repository root) and returns its Cognito trigger
 * functions. Functions that name no trigger (no `Metadata.CognitoTrigger`, no `Cognito` event) are not part
 * of the model.
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

/** The known trigger functions for an error message, or why there are none. */
function knownFunctions(model: TemplateModel): string {
  return model.functions.length === 0
    ? `the template has none: ${NO_TRIGGER_FUNCTION}`
    : `known: ${model.functions.map((candidate) => candidate.logicalId).join(', ')}`;
}

/** The function with this logical id; the error lists the ids the template has, or says why it has none. */
export function functionByLogicalId(model: TemplateModel, logicalId: string): FunctionSpec {
  const spec = model.functions.find((candidate) => candidate.logicalId === logicalId);
  if (spec === undefined) {
    throw new TemplateError(
      model.path,
      logicalId,
      `is not a trigger function of the template (${knownFunctions(model)})`,
    );
  }
  return spec;
}

/**
 * The function with this logical id among the trigger functions and the custom senders (the build and the
 * bench handle both alike); the error lists the trigger functions.
 */
export function anyFunctionByLogicalId(
  model: TemplateModel,
  logicalId: string,
): FunctionSpec<CoreTriggerName> {
  return (
    model.senderFunctions.find((spec) => spec.logicalId === logicalId) ??
    functionByLogicalId(model, logicalId)
  );
}

/** The function that serves `trigger`; the error names the ones the template has, or says why it has none. */
export function functionByTrigger(model: TemplateModel, trigger: TriggerName): FunctionSpec {
  const spec = model.functions.find((candidate) => candidate.trigger === trigger);
  if (spec === undefined) {
    throw new TemplateError(
      model.path,
      'Resources',
      `hold no function for the ${trigger} trigger (Metadata.${TRIGGER_METADATA_KEY}: ${trigger}; ${knownFunctions(model)})`,
    );
  }
  return spec;
}

/**
 * The template's trigger functions, for a tool that needs at least one (build, start).
 * @throws TemplateError saying how trigger functions are found when the template has none.
 */
export function requireTriggerFunctions(model: TemplateModel): FunctionSpec[] {
  if (model.functions.length === 0) {
    throw new TemplateError(model.path, 'Resources', `hold no trigger function: ${NO_TRIGGER_FUNCTION}`);
  }
  return model.functions;
}

/**
 * Whether the stack creates the resource `logicalId` with the parameter defaults: the template declares it
 * with no `Condition`, or with one that holds. A condition that needs a value only a deployment knows counts
 * as holding.
 *
 * @example
 * resourceIsCreated(loadTemplate(), 'UserPool'); // false when ExistingUserPoolId defaults to a pool id
 * @throws TemplateError for a `Condition` the template does not declare.
 */
export function resourceIsCreated(model: TemplateModel, logicalId: string): boolean {
  const resources = isObject(model.document.Resources) ? model.document.Resources : {};
  const resource = Object.hasOwn(resources, logicalId) ? resources[logicalId] : undefined;
  if (!isObject(resource)) return false;
  const condition = resource.Condition;
  if (condition === undefined) return true;
  const conditions = isObject(model.document.Conditions) ? model.document.Conditions : {};
  if (typeof condition !== 'string' || !Object.hasOwn(conditions, condition)) {
    throw new TemplateError(
      model.path,
      `Resources.${logicalId}.Condition`,
      `must name a condition of Conditions, found ${JSON.stringify(condition)}`,
    );
  }
  return conditionValue(condition, createResolver(model.path, model.document)) !== false;
}
