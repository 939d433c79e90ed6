/**
 * SAM's `--env-vars` file (`{ "Parameters": {…}, "<LogicalId>": {…} }`): what it changes in a function's
 * environment, and which of its blocks SAM would ignore.
 */
import { basename } from 'node:path';
import { isObject, jsonTypeOf } from '../shared/parse-event.js';
import { EnvVarsError } from './errors.js';
import type { FunctionSpec, TemplateModel } from './template.js';

/** The block every function reads before its own. */
const PARAMETERS_BLOCK = 'Parameters';

// The resource types `sam local` runs, so the ones an env-vars block can name.
const FUNCTION_TYPES: ReadonlySet<unknown> = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);

function envValueOf(value: unknown, key: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new EnvVarsError(key, `must be a string, number or boolean, found ${jsonTypeOf(value)}`);
}

/**
 * The function's environment after an `--env-vars` file (`{ "Parameters": {…}, "<LogicalId>": {…} }`), with
 * SAM's rules: only variables the template declares for the function are overridden; `Parameters` applies
 * to every function and the function's own block wins. `undefined` or `null` means no file.
 * @throws EnvVarsError naming the key of a block or value that has the wrong shape.
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
  for (const block of [PARAMETERS_BLOCK, spec.logicalId]) {
    for (const [name, value] of Object.entries(Object.hasOwn(blocks, block) ? (blocks[block] ?? {}) : {})) {
      if (declared.has(name)) environment[name] = value;
    }
  }
  return environment;
}

/**
 * The logical ids of the template's functions, triggers or not (SAM runs them all). SAM would also match a
 * block by a function's `FunctionName`; {@link applyEnvVars} does not, so neither does this list.
 */
function functionLogicalIdsOf(model: TemplateModel): Set<string> {
  const resources = isObject(model.document.Resources) ? model.document.Resources : {};
  return new Set(
    Object.entries(resources)
      .filter(([, resource]) => isObject(resource) && FUNCTION_TYPES.has(resource.Type))
      .map(([logicalId]) => logicalId),
  );
}

/**
 * One warning per block of an `--env-vars` file that names no function of the template (a typo, a renamed
 * function): SAM ignores such a block without a word, so its variables silently do not apply. Pure: the
 * caller prints the warnings. `undefined`, `null` or a file that is not an object (which
 * {@link applyEnvVars} refuses) gives none.
 *
 * @example
 * for (const warning of envVarsWarnings(loadTemplate(), envVars)) console.warn(warning);
 * // env-vars: block "PreSignupFunction" names no function of template.yaml; SAM ignores it
 */
export function envVarsWarnings(model: TemplateModel, envVars: unknown): string[] {
  if (!isObject(envVars)) return [];
  const functions = functionLogicalIdsOf(model);
  return Object.keys(envVars)
    .filter((block) => block !== PARAMETERS_BLOCK && !functions.has(block))
    .map(
      (block) =>
        `env-vars: block ${JSON.stringify(block)} names no function of ${basename(model.path)}; SAM ignores it`,
    );
}
