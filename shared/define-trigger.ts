/**
 * One descriptor per trigger: its Cognito name, its event parser and how its ordered rule list is built from
 * the environment. The handler is derived from it ({@link handlerOf}), and so is every tool's view of the
 * trigger (the local pipeline, the recorder, the golden suite: see triggers/registry.ts), so a trigger is
 * declared once.
 */
import type { Env } from './config.js';
import type { CoreTriggerEvent, CoreTriggerName, CoreTriggerSource } from './core-trigger.js';
import type { SignUpTriggerEvent } from './event-types.js';
import {
  type CoreOptions,
  configureAtColdStart,
  createTriggerHandler,
  type Rule,
  type TriggerHandler,
} from './handler-core.js';
import type { SettingsDeclaration } from './settings.js';

/** What a trigger is made of. */
export type TriggerDefinition<E extends CoreTriggerEvent> = {
  /** Cognito's name of the trigger (`LambdaConfig` key, and the prefix of the error text callers see). */
  name: CoreTriggerName;
  /**
   * Every `triggerSource` Cognito fires it with (contract §2–§4): from the trigger's own table, so a function
   * bundles only its own (a sign-up function never carries the senders' tables).
   */
  sources: readonly CoreTriggerSource[];
  /** Checks a raw event and returns it typed (shared/parse-event.ts). */
  parse: (raw: unknown) => E;
  /**
   * Builds the rules, in order (the order is the behaviour), and the core's options from the function's
   * environment. Called once, at cold start; a bad setting throws a `ConfigurationError` naming its variable.
   */
  configure: (env: Env) => { rules: Rule<E>[]; core: CoreOptions };
  /** What the trigger's rules and actions read, one declaration each, in rule order (shared/settings.ts). */
  settings: readonly SettingsDeclaration[];
};

/** A trigger as the tools see it. */
export type TriggerDescriptor<E extends CoreTriggerEvent = SignUpTriggerEvent> = TriggerDefinition<E>;

/** What the tools read of any trigger (a descriptor of one event type, seen without its rules' types). */
export type ToolView = Pick<TriggerDescriptor<SignUpTriggerEvent>, 'name' | 'sources' | 'settings' | 'parse'>;

/**
 * Declares a trigger. Pure: nothing is configured until {@link handlerOf} (or a tool) calls `configure`.
 *
 * @example
 * export const customMessage = defineTrigger({
 *   name: 'CustomMessage',
 *   sources: sourcesOfTrigger.CustomMessage,
 *   parse: parseCustomMessageEvent,
 *   settings: [renderMessagesSettings],
 *   configure: (env) => {
 *     const rules = [renderMessages(renderMessagesFromEnv(env))];
 *     return { rules, core: coreOptionsFromEnv(env, rules) };
 *   },
 * });
 */
export function defineTrigger<E extends CoreTriggerEvent>(
  definition: TriggerDefinition<E>,
): TriggerDescriptor<E> {
  return definition;
}

/**
 * The Lambda handler of a trigger, configured from `env` now (at cold start: a bad setting fails every
 * invocation with the user-safe `SIGNUP_UNAVAILABLE`, and logs which variable is wrong).
 *
 * @example
 * export const handler = handlerOf(preSignUp, process.env);
 */
export function handlerOf<E extends CoreTriggerEvent>(
  trigger: TriggerDescriptor<E>,
  env: Env,
): TriggerHandler<E> {
  const { rules, core } = configureAtColdStart(() => trigger.configure(env));
  return createTriggerHandler({
    ...core,
    trigger: trigger.name,
    sources: trigger.sources,
    parse: trigger.parse,
    rules,
  });
}
