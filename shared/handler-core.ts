/**
 * The one handler core the three triggers share: parse, run the ordered rules under a deadline, log one
 * decision line, turn faults into a user-safe error, and return the event (Cognito requires it back).
 */
import type { Context } from 'aws-lambda';
import { type Env, readChoice, readList } from './config.js';
import type { CoreTriggerEvent, CoreTriggerName, CoreTriggerSource } from './core-trigger.js';
import {
  boundedSignal,
  COGNITO_TIMEOUT_MS,
  coldStartAllowance,
  invocationDeadline,
  withDeadline,
} from './deadline.js';
import { ConfigurationError, SignUpFault, SignUpRejection, SignUpUnavailableError } from './errors.js';
import { loggableError } from './log-error.js';
import {
  type InvocationMetrics,
  invocationRecord,
  type MetricsSink,
  metricsDocumentOf,
  metricsOptionsFromEnv,
  type RuleVerdict,
} from './metrics.js';
import { powertoolsMetricsSink } from './metrics-sink.js';
import { logger as sharedLogger, tracer as sharedTracer } from './observability.js';
import { checkWhole, OptionsError } from './options.js';
import { declareSettings } from './settings.js';
import { isTriggerName, sourcesOfTrigger } from './trigger-source.js';

/** What a rule says it did. `undefined` counts as `pass`. */
export type RuleOutcome = 'pass' | 'changed' | 'skipped';

/** What a rule receives beside the event. */
export type RuleContext = {
  /** Epoch milliseconds by which every outbound call must have settled. */
  readonly deadline: number;
  /** Aborts at the deadline; hand it to `fetch` and SDK calls. */
  readonly signal: AbortSignal;
  /** The Lambda context, for request ids and remaining time. */
  readonly lambda: Context;
  /**
   * On the first invocation of a cold on-demand environment, how long its init took (already taken off the
   * deadline); 0 otherwise. A long init means a starved CPU, so slow work ahead (shared/deadline.ts).
   */
  readonly coldStartMs?: number;
  /** This invocation's metrics: what the rule records goes into the one document of the decision. */
  readonly metrics: InvocationMetrics;
};

/**
 * A rule: a **named** function (its name is what the logs say decided) that reads the event, may change
 * `event.response`, and rejects by throwing a {@link SignUpRejection}.
 */
export type Rule<E extends CoreTriggerEvent> = (
  event: E,
  context: RuleContext,
) => RuleOutcome | undefined | Promise<RuleOutcome | undefined>;

/** How one rule ended, as logged. */
export type RuleReport = {
  rule: string;
  outcome: RuleOutcome | 'reject' | 'would-reject' | 'fault' | 'would-fault';
  durationMs: number;
  code?: string;
};

/** How the invocation ended, as logged. */
export type InvocationOutcome = 'default' | 'changed' | 'rejected' | 'fault' | 'passthrough';

/** A Lambda handler typed with the project's own event types (never `*Handler` from @types/aws-lambda: it adds a callback and an `any` result). */
export type TriggerHandler<E extends CoreTriggerEvent> = (event: unknown, context: Context) => Promise<E>;

/** What a source nobody documented gets: Cognito's default behaviour, or a fault. */
export type UnknownSourcePolicy = 'passthrough' | 'reject' | 'rules';

/** Options of {@link createTriggerHandler}. */
export type CreateTriggerHandlerOptions<E extends CoreTriggerEvent> = {
  trigger: CoreTriggerName;
  /**
   * Checks the raw event and returns it typed, or a normalised copy of a test event (its `response` is what
   * goes back on the original). Throws `EventShapeError` (a fault), or a `SignUpRejection` for a value the
   * caller controls, which reaches the caller as it is.
   */
  parse: (raw: unknown) => E;
  /** Run in this order; the first rejection stops the run. */
  rules: readonly Rule<E>[];
  /**
   * The trigger's documented sources. Default: a sign-up trigger's own (shared/trigger-source.ts); required
   * for a custom sender, whose tables a sign-up function does not bundle.
   */
  sources?: readonly CoreTriggerSource[];
  /** For a `triggerSource` outside `sources` (pre sign-up during user migration, contract §2). */
  unknownSource?: UnknownSourcePolicy;
  /** Rules whose rejections are only logged (`would reject`), for a safe roll-out. */
  shadow?: (ruleName: string) => boolean;
  /** Per-attempt budget; Cognito's 5 s unless a test shortens it. */
  budgetMs?: number;
  /** Where each invocation's metrics document goes (docs/metrics.md); none when unset. */
  metrics?: MetricsSink;
  logger?: Pick<typeof sharedLogger, 'info' | 'warn' | 'error' | 'addContext'>;
  tracer?: Pick<
    typeof sharedTracer,
    | 'isTracingEnabled'
    | 'getSegment'
    | 'setSegment'
    | 'annotateColdStart'
    | 'addServiceNameAnnotation'
    | 'addErrorAsMetadata'
  >;
};

const defaults = {
  unknownSource: 'passthrough' as UnknownSourcePolicy,
  shadow: (_ruleName: string) => false,
  budgetMs: COGNITO_TIMEOUT_MS,
};

/** The rules that ended as `kind`, with their codes, in rule order. */
function verdictsOf(reports: readonly RuleReport[], kind: RuleReport['outcome']): RuleVerdict[] {
  return reports.flatMap(({ rule, outcome, code }) => (outcome === kind ? [{ rule, code: code ?? '' }] : []));
}

function ruleNameOf(rule: Rule<CoreTriggerEvent>, index: number): string {
  return rule.name === '' ? `rule#${index}` : rule.name;
}

/**
 * What goes back to Cognito: the event it sent, changed only inside `response` (contract §1). A parser
 * answers a test event in one of AWS's sample shapes through a normalised copy; the copy's response then goes
 * back on the original.
 */
function replyOf<E extends CoreTriggerEvent>(raw: unknown, event: E): E {
  if (event === raw) return event;
  const original = raw as { response?: unknown };
  // A custom sender's event has no response: the original goes back as it came.
  if ('response' in event) original.response = event.response;
  return original as E;
}

/** The sources `trigger` is documented with: `sources` when given, else a sign-up trigger's own. */
function knownSourcesOf(trigger: CoreTriggerName, sources: readonly CoreTriggerSource[] | undefined) {
  if (sources !== undefined) {
    if (!Array.isArray(sources) || sources.some((source) => typeof source !== 'string')) {
      throw new OptionsError('sources', 'a list of trigger sources');
    }
    return new Set<string>(sources);
  }
  if (!isTriggerName(trigger)) {
    throw new OptionsError('sources', `the sources of ${trigger} (no default for it)`);
  }
  return new Set<string>(sourcesOfTrigger[trigger]);
}

/**
 * Builds a Lambda handler from an ordered list of rules.
 *
 * @example
 * export const handler = createTriggerHandler({
 *   trigger: 'PreSignUp',
 *   parse: parsePreSignUpEvent,
 *   rules: [restrictEmailDomains({ blocked: ['example.org'] })],
 * });
 */
export function createTriggerHandler<E extends CoreTriggerEvent>(
  options: CreateTriggerHandlerOptions<E>,
): TriggerHandler<E> {
  const settings = {
    ...options,
    unknownSource: options.unknownSource ?? defaults.unknownSource,
    shadow: options.shadow ?? defaults.shadow,
    budgetMs: options.budgetMs ?? defaults.budgetMs,
  };
  checkWhole('budgetMs', settings.budgetMs, { min: 1, max: Number.MAX_SAFE_INTEGER });
  const knownSources = knownSourcesOf(options.trigger, options.sources);
  const log = settings.logger ?? sharedLogger;
  // Whether the next invocation is the first of this execution environment.
  let coldStart = true;
  // Whether any invocation has started here (the ColdStarts metric counts the first, whatever its end).
  let invoked = false;
  const tracer = settings.tracer ?? sharedTracer;
  const rules = settings.rules.map((rule, index) => ({
    rule,
    name: ruleNameOf(rule as Rule<CoreTriggerEvent>, index),
  }));

  async function runRules(
    event: E,
    context: RuleContext,
    reports: RuleReport[],
    progress: { running?: string },
  ): Promise<string | undefined> {
    let decidedBy: string | undefined;
    for (const { rule, name } of rules) {
      progress.running = name;
      const started = performance.now();
      const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
      try {
        const outcome = (await rule(event, context)) ?? 'pass';
        reports.push({ rule: name, outcome, durationMs: elapsed() });
        if (outcome === 'changed') decidedBy = name;
      } catch (error) {
        if (settings.shadow(name)) {
          // A shadowed rule never stops a sign-up: not by a rejection, and not by a fault either (a wrong
          // captcha secret, a secret store that is down), which is what a roll-out is there to find.
          // Nothing is granted by it: grants only follow proof, which a failing rule never records.
          if (error instanceof SignUpRejection) {
            reports.push({ rule: name, outcome: 'would-reject', code: error.code, durationMs: elapsed() });
            log.warn(`would reject: ${error.code}`, { rule: name, code: error.code });
          } else {
            reports.push({ rule: name, outcome: 'would-fault', durationMs: elapsed() });
            log.warn('shadowed rule fault', { rule: name, error: loggableError(error) });
          }
          continue;
        }
        const isRejection = error instanceof SignUpRejection;
        reports.push({
          rule: name,
          outcome: isRejection ? 'reject' : 'fault',
          durationMs: elapsed(),
          ...(isRejection ? { code: error.code } : {}),
        });
        throw error;
      }
    }
    return decidedBy;
  }

  async function handleTrigger(raw: unknown, lambda: Context): Promise<E> {
    const startedAt = Date.now();
    const started = performance.now();
    const firstInvocation = !invoked;
    invoked = true;
    // Settled during init (the library loads as the module does): only the first invocation waits, a microtask.
    if (firstInvocation && settings.metrics !== undefined) await settings.metrics.ready;
    log.addContext(lambda);
    const reports: RuleReport[] = [];
    const source = (raw as { triggerSource?: unknown } | null)?.triggerSource;
    const poolId = (raw as { userPoolId?: unknown } | null)?.userPoolId;
    const envelope = {
      triggerSource: typeof source === 'string' ? source.slice(0, 64) : undefined,
      userPoolId: typeof poolId === 'string' ? poolId.slice(0, 64) : undefined,
    };
    const record = invocationRecord();
    const decide = (outcome: InvocationOutcome, decidedBy: string | undefined, code?: string) => {
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      const line = { ...envelope, decidedBy: decidedBy ?? 'none', outcome, durationMs, rules: reports };
      log.info('trigger decision', code === undefined ? line : { ...line, code });
      // The one metrics document of this invocation, written with the decision line (nothing built when off).
      settings.metrics?.publish(
        options.trigger,
        metricsDocumentOf(
          {
            trigger: options.trigger,
            source,
            knownSources,
            outcome,
            durationMs,
            coldStart: firstInvocation,
            shadowRejections: verdictsOf(reports, 'would-reject'),
            shadowFaults: verdictsOf(reports, 'would-fault').length,
            ...(outcome === 'rejected' ? { rejection: { rule: decidedBy ?? 'none', code: code ?? '' } } : {}),
          },
          record,
        ),
      );
    };

    let event: E;
    try {
      event = settings.parse(raw);
    } catch (error) {
      if (error instanceof SignUpRejection) {
        // A value the caller controls (METADATA_INVALID): a decision about this request, not a fault.
        decide('rejected', 'parse', error.code);
        throw error;
      }
      decide('fault', 'parse');
      log.error('event rejected by the parser', { error: loggableError(error) });
      throw new SignUpUnavailableError({ cause: error });
    }
    if (!knownSources.has(event.triggerSource)) {
      if (settings.unknownSource === 'passthrough') {
        decide('passthrough', undefined);
        return replyOf(raw, event);
      }
      if (settings.unknownSource === 'reject') {
        decide('fault', 'unknown-source');
        throw new SignUpUnavailableError();
      }
      // `rules`: each rule decides whether it applies; none grants anything to a source it does not know.
      log.warn('undocumented trigger source: running the rules', { triggerSource: envelope.triggerSource });
    }

    // The first invocation of a cold environment has already spent its init out of Cognito's wait.
    const initMs = coldStart
      ? coldStartAllowance(process.env.AWS_LAMBDA_INITIALIZATION_TYPE, performance.now(), settings.budgetMs)
      : 0;
    coldStart = false;
    const deadline =
      Math.min(
        invocationDeadline(startedAt, lambda.getRemainingTimeInMillis?.()),
        startedAt + settings.budgetMs,
      ) - initMs;
    const progress: { running?: string } = {};
    const bounded = boundedSignal(undefined, Math.max(1, deadline - Date.now()));
    const context: RuleContext = {
      deadline,
      signal: bounded.signal,
      lambda,
      coldStartMs: initMs,
      metrics: record,
    };
    try {
      // One event-loop turn late (shared/deadline.ts): on a starved CPU, rules that have finished are not
      // reported as a fault because the deadline's timer ran first.
      const decidedBy = await withDeadline(
        options.trigger,
        deadline,
        runRules(event, context, reports, progress),
        { afterDueIo: true },
      );
      decide(decidedBy === undefined ? 'default' : 'changed', decidedBy);
      return replyOf(raw, event);
    } catch (error) {
      if (error instanceof SignUpRejection) {
        decide('rejected', progress.running, error.code);
        throw error;
      }
      decide('fault', progress.running);
      log.error('trigger fault', { error: loggableError(error) });
      // A foreign error's message may quote user input: X-Ray gets our own faults whole, others by name only.
      tracer.addErrorAsMetadata(
        error instanceof SignUpFault ? error : new Error(error instanceof Error ? error.name : typeof error),
      );
      throw new SignUpUnavailableError({ cause: error });
    } finally {
      bounded.clear();
    }
  }

  return async function handler(raw: unknown, lambda: Context): Promise<E> {
    if (!tracer.isTracingEnabled()) return handleTrigger(raw, lambda);
    const parent = tracer.getSegment();
    const segment = parent?.addNewSubsegment(`## ${options.trigger}`);
    if (segment !== undefined) tracer.setSegment(segment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      // Tracer never records the response: it carries user attributes.
      return await handleTrigger(raw, lambda);
    } finally {
      segment?.close();
      if (parent !== undefined) tracer.setSegment(parent);
    }
  };
}

/** What the core reads, in every function (shared/settings.ts). */
export const coreSettings = declareSettings({
  owner: 'core',
  variables: [
    { name: 'UNKNOWN_TRIGGER_SOURCE' },
    { name: 'RULES_MODE' },
    { name: 'SHADOW_RULES' },
    { name: 'METRICS_ENABLED' },
    { name: 'METRICS_NAMESPACE' },
  ],
});

/** The core options every handler reads from its environment. */
export type CoreOptions = {
  unknownSource: UnknownSourcePolicy;
  shadow: (ruleName: string) => boolean;
  /** Unset when `METRICS_ENABLED=false`. */
  metrics?: MetricsSink;
  /**
   * Per-invocation budget; default Cognito's 5 s. A custom sender, invoked asynchronously, has the function's
   * own time instead ({@link ASYNC_TRIGGER_BUDGET_MS}).
   */
  budgetMs?: number;
};

/**
 * The budget of an asynchronously invoked trigger (the custom senders): no caller waits, so the function's
 * remaining time (less the core's reply margin) bounds each invocation, up to Lambda's 15 minutes.
 */
export const ASYNC_TRIGGER_BUDGET_MS = 900_000;

/**
 * The core options every handler reads from its environment, validated once at cold start:
 * - `UNKNOWN_TRIGGER_SOURCE` = `passthrough` (Cognito's default behaviour, logged), `reject`, or `rules`
 *   (run the rules, which restrict but never grant); empty means the trigger's own `unknownSourceDefault`;
 * - `RULES_MODE` = `enforce` (default) or `shadow`: every rule only logs `would reject: <CODE>`;
 * - `SHADOW_RULES`: rule names (as the decision line prints them) to run in shadow mode one by one;
 * - `METRICS_ENABLED` and `METRICS_NAMESPACE`: one metrics document per invocation (docs/metrics.md).
 */
export function coreOptionsFromEnv(
  env: Env,
  rules: readonly { name: string }[] = [],
  unknownSourceDefault: UnknownSourcePolicy = 'passthrough',
): CoreOptions {
  const unknownSource = readChoice(
    env,
    'UNKNOWN_TRIGGER_SOURCE',
    ['passthrough', 'reject', 'rules'],
    unknownSourceDefault,
  );
  const mode = readChoice(env, 'RULES_MODE', ['enforce', 'shadow'], 'enforce');
  const names = rules.map((rule) => rule.name);
  const shadowed = new Set(readList(env, 'SHADOW_RULES'));
  for (const name of shadowed) {
    if (!names.includes(name)) {
      throw new ConfigurationError(
        'SHADOW_RULES',
        names.length === 0
          ? 'empty: this function has no rules'
          : `a comma-separated list of rule names from: ${names.join(', ')}`,
      );
    }
  }
  const metrics = metricsOptionsFromEnv(env);
  return {
    unknownSource,
    shadow: mode === 'shadow' ? () => true : (ruleName: string) => shadowed.has(ruleName),
    ...(metrics.enabled
      ? { metrics: powertoolsMetricsSink({ ...metrics, serviceName: env.POWERTOOLS_SERVICE_NAME }) }
      : {}),
  };
}

/**
 * Runs a handler's module-scope configuration. A bad setting still fails the cold start (every invocation
 * fails until it is fixed), but what reaches the Cognito caller is the user-safe `SIGNUP_UNAVAILABLE`
 * sentence; the variable and the expected format go to the log line `invalid configuration`.
 *
 * @example
 * const rules = configureAtColdStart(() => [requireInvite(requireInviteFromEnv(process.env))]);
 */
export function configureAtColdStart<T>(configure: () => T): T {
  try {
    return configure();
  } catch (error) {
    sharedLogger.error('invalid configuration: the function cannot start', { error: loggableError(error) });
    throw new SignUpUnavailableError({ cause: error });
  }
}
