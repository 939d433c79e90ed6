/**
 * The metrics of one invocation: what rules and actions record while they run (`RuleContext.metrics`), and
 * the one document the core writes at the decision (docs/metrics.md). Pure: the Powertools binding that
 * writes the document is shared/metrics-sink.ts, loaded only when metrics are on.
 *
 * Every dimension value comes from a closed list (trigger names, the documented trigger sources, outcomes,
 * rejection codes, configured rule and action names, catalogue locales), never from the request: a value
 * outside its list becomes `unknown` / `other`, so no attacker text and no personal data can reach a metric.
 */
import { type Env, readBoolean, readString } from './config.js';
import type { CoreTriggerName } from './core-trigger.js';
import { ConfigurationError } from './errors.js';
import { isRejectionCode } from './rejection-codes.js';

/** Every metric name of the toolkit (docs/metrics.md, "The metrics"). */
export const MetricName = {
  Invocations: 'Invocations',
  Rejections: 'Rejections',
  ShadowRejections: 'ShadowRejections',
  ShadowFaults: 'ShadowFaults',
  Faults: 'Faults',
  ColdStarts: 'ColdStarts',
  Duration: 'Duration',
  OnboardingQueued: 'OnboardingQueued',
  OnboardingLost: 'OnboardingLost',
  OnboardingQueueUnconfirmed: 'OnboardingQueueUnconfirmed',
  OnboardingActionFailures: 'OnboardingActionFailures',
  MessagesRendered: 'MessagesRendered',
  DefaultMessageFallbacks: 'DefaultMessageFallbacks',
  MessagesSent: 'MessagesSent',
  DuplicateSendsSkipped: 'DuplicateSendsSkipped',
} as const;

/** One of {@link MetricName}. */
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** The metrics a trigger's own rules record, each written as 0 when nothing recorded it. */
export const triggerMetrics = {
  PreSignUp: [],
  CustomMessage: [MetricName.MessagesRendered, MetricName.DefaultMessageFallbacks],
  PostConfirmation: [
    MetricName.OnboardingQueued,
    MetricName.OnboardingLost,
    MetricName.OnboardingQueueUnconfirmed,
    MetricName.OnboardingActionFailures,
  ],
  CustomEmailSender: [
    MetricName.MessagesSent,
    MetricName.DuplicateSendsSkipped,
    MetricName.DefaultMessageFallbacks,
  ],
  CustomSMSSender: [
    MetricName.MessagesSent,
    MetricName.DuplicateSendsSkipped,
    MetricName.DefaultMessageFallbacks,
  ],
} as const satisfies Record<CoreTriggerName, readonly MetricName[]>;

/** A metric a rule or action may record. */
export type RecordedMetricName = (typeof triggerMetrics)[CoreTriggerName][number];

/** A per-action metric of post confirmation (`ActionSucceeded.addToGroups`). */
export type ActionMetricName = `ActionSucceeded.${string}` | `ActionFailed.${string}`;

/** Every dimension key (docs/metrics.md, "Dimensions"). `service` is Powertools' own. */
export const Dimension = {
  Service: 'service',
  Trigger: 'trigger',
  Source: 'source',
  Outcome: 'outcome',
  Code: 'code',
  Rule: 'rule',
  ShadowRule: 'shadowRule',
  ShadowCode: 'shadowCode',
  Locale: 'locale',
} as const;

/** What a rule or action records for its invocation. Recording never throws and never fails a sign-up. */
export type InvocationMetrics = {
  /** Adds `value` (default 1) to the invocation's count `name`. */
  add(name: RecordedMetricName | ActionMetricName, value?: number): void;
  /** The catalogue locale a message was rendered in (never the caller's own tag). */
  setLocale(locale: string): void;
};

/** An outcome of a rule as the core's document names it. */
export type RuleVerdict = { rule: string; code: string };

/** How the invocation ended: what the core knows at the decision. */
export type InvocationSummary = {
  trigger: CoreTriggerName;
  /** The event's `triggerSource` as received (anything: it is checked here, against `knownSources`). */
  source: unknown;
  /** The trigger's documented sources: any other `source` is written `unknown`. */
  knownSources: ReadonlySet<string>;
  outcome: 'default' | 'changed' | 'rejected' | 'fault' | 'passthrough';
  durationMs: number;
  coldStart: boolean;
  /** The rule that refused, and its code: set when `outcome` is `rejected`. */
  rejection?: RuleVerdict;
  /** Every shadowed rule that would have refused, in rule order. */
  shadowRejections: readonly RuleVerdict[];
  /** How many shadowed rules failed. */
  shadowFaults: number;
};

/** The document of one invocation, before a library writes it. */
export type MetricsDocument = {
  /** Each set is published with `service` and `trigger` added (Powertools' default dimensions). */
  dimensionSets: Array<Record<string, string>>;
  metrics: Array<{ name: string; unit: 'Count' | 'Milliseconds'; value: number }>;
  /** Low-cardinality context for log queries, never a dimension. */
  metadata: Record<string, string>;
};

/** Where documents go: Powertools in the functions (shared/metrics-sink.ts), an array in tests. */
export type MetricsSink = {
  /** Settles once the sink can write (its library loaded); the core awaits it before the first invocation. */
  ready: Promise<void>;
  /** Writes one document now, synchronously. */
  publish(trigger: CoreTriggerName, document: MetricsDocument): void;
};

// What a rule, action or locale value may look like to become a dimension: names from code and BCP 47 tags.
const RULE_NAME = /^[A-Za-z_$][A-Za-z0-9_$#]{0,63}$/;
const LOCALE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;
const OTHER = 'other';

/** A rule or action name fit for a dimension or a metric name, else `other`. */
export function metricNameOfRule(name: string): string {
  return RULE_NAME.test(name) ? name : OTHER;
}

/** The per-action metric name of an action that ran. */
export function actionMetricName(action: string, succeeded: boolean): ActionMetricName {
  return `${succeeded ? 'ActionSucceeded' : 'ActionFailed'}.${metricNameOfRule(action)}`;
}

const RECORDED = new Set<string>(Object.values(triggerMetrics).flat());
const ACTION_METRIC = /^Action(?:Succeeded|Failed)\.[A-Za-z_$][A-Za-z0-9_$#]{0,63}$/;

function isRecordedMetricName(name: string): boolean {
  return RECORDED.has(name) || ACTION_METRIC.test(name);
}

/** One invocation's recorder: what the rules recorded, read back by the core at the decision. */
export type InvocationRecord = InvocationMetrics & {
  counts(): ReadonlyMap<string, number>;
  locale(): string | undefined;
};

/** A fresh recorder for one invocation. A name or value outside the lists is dropped, never thrown. */
export function invocationRecord(): InvocationRecord {
  const counts = new Map<string, number>();
  let locale: string | undefined;
  return {
    add(name, value = 1) {
      if (!isRecordedMetricName(name) || !Number.isFinite(value) || value < 0) return;
      counts.set(name, (counts.get(name) ?? 0) + value);
    },
    setLocale(value) {
      locale = LOCALE.test(value) ? value : OTHER;
    },
    counts: () => counts,
    locale: () => locale,
  };
}

/** The dimension value of a rejection code: a registered code, else `other`. */
function codeOf(code: string): string {
  return isRejectionCode(code) ? code : OTHER;
}

/**
 * The one document of an invocation: the core's metrics, the trigger's own (0 where nothing recorded them)
 * and the dimension sets of docs/metrics.md. No key appears in two sets (Powertools warns on it, and a
 * document holds one value per key): so the rejection's rule and code, and the first shadow rejection's,
 * have keys of their own.
 */
export function metricsDocumentOf(summary: InvocationSummary, record: InvocationRecord): MetricsDocument {
  const source =
    typeof summary.source === 'string' && summary.knownSources.has(summary.source)
      ? summary.source
      : 'unknown';
  const dimensionSets: Array<Record<string, string>> = [
    {},
    { [Dimension.Source]: source, [Dimension.Outcome]: summary.outcome },
  ];
  const metadata: Record<string, string> = {};
  if (summary.rejection !== undefined) {
    dimensionSets.push({
      [Dimension.Rule]: metricNameOfRule(summary.rejection.rule),
      [Dimension.Code]: codeOf(summary.rejection.code),
    });
  }
  const [firstShadow] = summary.shadowRejections;
  if (firstShadow !== undefined) {
    dimensionSets.push({
      [Dimension.ShadowRule]: metricNameOfRule(firstShadow.rule),
      [Dimension.ShadowCode]: codeOf(firstShadow.code),
    });
    metadata.shadowRejections = summary.shadowRejections
      .map(({ rule, code }) => `${metricNameOfRule(rule)}:${codeOf(code)}`)
      .join(',');
  }
  const locale = record.locale();
  if (locale !== undefined) dimensionSets.push({ [Dimension.Locale]: locale });

  const count = (name: string, value: number) => ({ name, unit: 'Count' as const, value });
  const recorded = record.counts();
  const metrics: MetricsDocument['metrics'] = [
    count(MetricName.Invocations, 1),
    count(MetricName.Rejections, summary.outcome === 'rejected' ? 1 : 0),
    count(MetricName.Faults, summary.outcome === 'fault' ? 1 : 0),
    count(MetricName.ShadowRejections, firstShadow === undefined ? 0 : 1),
    count(MetricName.ShadowFaults, summary.shadowFaults),
    count(MetricName.ColdStarts, summary.coldStart ? 1 : 0),
    { name: MetricName.Duration, unit: 'Milliseconds', value: summary.durationMs },
    ...triggerMetrics[summary.trigger].map((name) => count(name, recorded.get(name) ?? 0)),
    ...[...recorded].filter(([name]) => name.startsWith('Action')).map(([name, value]) => count(name, value)),
  ];
  return { dimensionSets, metrics, metadata };
}

/** The metrics settings, read once at cold start. */
export type MetricsOptions = { enabled: boolean; namespace: string };

/** The namespace when `METRICS_NAMESPACE` is unset. */
export const DEFAULT_METRICS_NAMESPACE = 'CognitoSignUpTriggers';

// CloudWatch's namespace rule: 1–255 of these characters, not starting with a colon (AWS/ is AWS's own).
const NAMESPACE = /^(?!AWS\/)(?!:)[A-Za-z0-9.\-_/#:]{1,255}$/;

/** `METRICS_ENABLED` (`true` / `false`, default `true`) and `METRICS_NAMESPACE` (default {@link DEFAULT_METRICS_NAMESPACE}). */
export function metricsOptionsFromEnv(env: Env): MetricsOptions {
  const enabled = readBoolean(env, 'METRICS_ENABLED', true);
  const namespace = readString(env, 'METRICS_NAMESPACE', DEFAULT_METRICS_NAMESPACE);
  if (!NAMESPACE.test(namespace)) {
    throw new ConfigurationError(
      'METRICS_NAMESPACE',
      'a CloudWatch namespace: 1-255 letters, digits or . - _ / # :, not starting with ":" or "AWS/"',
    );
  }
  return { enabled, namespace };
}
