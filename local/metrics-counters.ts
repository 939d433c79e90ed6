/**
 * The counters of `npm start`'s live log, read from the functions' own CloudWatch metrics documents (the EMF
 * line each invocation writes on stdout, docs/metrics.md): per trigger, what CloudWatch would count from the
 * same lines. A document that breaks the EMF specification (harness/emf.ts) is never counted, as CloudWatch
 * extracts no metric from it: it becomes a warning line instead. Pure: lines in, counts and lines out.
 */
import { type EmfDocument, emfMetricValues, emfProblems, isEmfLine } from '../harness/emf.js';
import { Dimension, MetricName, triggerMetrics } from '../shared/metrics.js';
import { TriggerName } from '../shared/trigger-source.js';

/** What the metrics documents of one trigger counted since the pipeline started. */
export type TriggerCounts = {
  invocations: number;
  /** `Rejections` by `code`. */
  rejections: Record<string, number>;
  faults: number;
  /** `ShadowRejections` by `shadowRule:shadowCode`. */
  shadowRejections: Record<string, number>;
  shadowFaults: number;
  /** Post confirmation: `OnboardingQueued`, `OnboardingLost`, `OnboardingQueueUnconfirmed`. */
  onboarding?: { queued: number; lost: number; unconfirmed: number };
  /** Post confirmation: `ActionFailed.<action>` by action. */
  actionFailures: Record<string, number>;
  /** Custom message: `MessagesRendered`, `DefaultMessageFallbacks`; custom senders: `MessagesSent`, `DuplicateSendsSkipped`. */
  messages?: { rendered: number; fallbacks: number };
  sent?: { sent: number; skipped: number; fallbacks: number };
};

/** The counters of one pipeline run. */
export type MetricsCounters = {
  /**
   * Counts the metrics documents among one invocation's log lines, and answers the lines the live log shows
   * for them: a warning per broken document (or per extra one), then the trigger's counters when the
   * invocation counted anything beyond an ordinary invocation (a refusal, a fault, a shadow refusal or fault,
   * an incomplete onboarding, a default-message fallback). An ordinary invocation answers no line.
   */
  count(functionName: string, logs: readonly string[]): string[];
  /** The counts so far, by trigger. */
  snapshot(): Record<string, TriggerCounts>;
  /** The table printed when the pipeline stops; no line when no function was invoked. */
  summary(): string[];
};

/** Whether a log line is (or tries to be) a metrics document: counted or warned about, never printed raw. */
export function isMetricsLine(line: string): boolean {
  return isEmfLine(line) || (line.startsWith('{') && line.includes('"_aws"'));
}

/** The live log's indent below an invocation line (local/live-log.ts). */
const INDENT = ' '.repeat(14);

// The metrics of post confirmation's onboarding and custom message's messages, from the triggers' own lists.
const ONBOARDING = new Set<string>(triggerMetrics.PostConfirmation);
const MESSAGES = new Set<string>(triggerMetrics.CustomMessage);
const ACTION_FAILED = 'ActionFailed.';

// What makes an invocation's counters worth a line of their own: anything but an ordinary invocation.
const NOTABLE = new Set<string>([
  MetricName.Rejections,
  MetricName.Faults,
  MetricName.ShadowRejections,
  MetricName.ShadowFaults,
  MetricName.OnboardingQueued,
  MetricName.OnboardingLost,
  MetricName.OnboardingQueueUnconfirmed,
  MetricName.OnboardingActionFailures,
  MetricName.DefaultMessageFallbacks,
]);

type Counts = {
  invocations: number;
  rejections: Map<string, number>;
  faults: number;
  shadowRejections: Map<string, number>;
  shadowFaults: number;
  onboarding: { queued: number; lost: number; unconfirmed: number } | undefined;
  actionFailures: Map<string, number>;
  messages: { rendered: number; fallbacks: number } | undefined;
  sent: { sent: number; skipped: number; fallbacks: number } | undefined;
};

function emptyCounts(): Counts {
  return {
    invocations: 0,
    rejections: new Map(),
    faults: 0,
    shadowRejections: new Map(),
    shadowFaults: 0,
    onboarding: undefined,
    actionFailures: new Map(),
    messages: undefined,
    sent: undefined,
  };
}

function addTo(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function total(map: ReadonlyMap<string, number>): number {
  return [...map.values()].reduce((sum, n) => sum + n, 0);
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `EMAIL_DOMAIN_BLOCKED 2, INVITE_REQUIRED 1`: the most frequent first, then by name. */
function byKey(map: ReadonlyMap<string, number>): string {
  return [...map]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([key, count]) => `${key} ${count}`)
    .join(', ');
}

function rootText(document: EmfDocument, key: string): string | undefined {
  const value = document[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Adds one valid document to its trigger's counts; answers whether it counted anything notable. */
function countDocument(counts: Counts, document: EmfDocument): boolean {
  const values = emfMetricValues(document);
  const value = (name: string) => {
    const number = values[name];
    return number !== undefined && Number.isFinite(number) ? number : 0;
  };
  counts.invocations += value(MetricName.Invocations);
  if (value(MetricName.Rejections) > 0) {
    const code = rootText(document, Dimension.Code) ?? 'unknown';
    addTo(counts.rejections, code, value(MetricName.Rejections));
  }
  counts.faults += value(MetricName.Faults);
  if (value(MetricName.ShadowRejections) > 0) {
    const rule = rootText(document, Dimension.ShadowRule) ?? 'unknown';
    const code = rootText(document, Dimension.ShadowCode) ?? 'unknown';
    addTo(counts.shadowRejections, `${rule}:${code}`, value(MetricName.ShadowRejections));
  }
  counts.shadowFaults += value(MetricName.ShadowFaults);
  const names = Object.keys(values);
  if (names.some((name) => ONBOARDING.has(name))) {
    counts.onboarding ??= { queued: 0, lost: 0, unconfirmed: 0 };
    counts.onboarding.queued += value(MetricName.OnboardingQueued);
    counts.onboarding.lost += value(MetricName.OnboardingLost);
    counts.onboarding.unconfirmed += value(MetricName.OnboardingQueueUnconfirmed);
  }
  for (const name of names) {
    if (name.startsWith(ACTION_FAILED) && value(name) > 0) {
      addTo(counts.actionFailures, name.slice(ACTION_FAILED.length), value(name));
    }
  }
  if (names.includes(MetricName.MessagesSent)) {
    counts.sent ??= { sent: 0, skipped: 0, fallbacks: 0 };
    counts.sent.sent += value(MetricName.MessagesSent);
    counts.sent.skipped += value(MetricName.DuplicateSendsSkipped);
    counts.sent.fallbacks += value(MetricName.DefaultMessageFallbacks);
  } else if (names.some((name) => MESSAGES.has(name))) {
    counts.messages ??= { rendered: 0, fallbacks: 0 };
    counts.messages.rendered += value(MetricName.MessagesRendered);
    counts.messages.fallbacks += value(MetricName.DefaultMessageFallbacks);
  }
  return names.some((name) => (NOTABLE.has(name) || name.startsWith(ACTION_FAILED)) && value(name) > 0);
}

/** `1 queued, 2 lost, 0 unconfirmed (failed: writeProfile 2)`. */
function onboardingText(counts: Counts): string | undefined {
  if (counts.onboarding === undefined) return undefined;
  const { queued, lost, unconfirmed } = counts.onboarding;
  const failed = counts.actionFailures.size === 0 ? '' : ` (failed: ${byKey(counts.actionFailures)})`;
  return `${queued} queued, ${lost} lost, ${unconfirmed} unconfirmed${failed}`;
}

/**
 * The live line of one trigger: `counters PreSignUp: 7 invocations · 2 refused (EMAIL_DOMAIN_BLOCKED 1,
 * INVITE_REQUIRED 1) · 0 faults`, then only what is not zero: shadow refusals and faults, an incomplete
 * onboarding, default-message fallbacks.
 */
function countersLine(trigger: string, counts: Counts): string {
  const refused = total(counts.rejections);
  const wouldRefuse = total(counts.shadowRejections);
  const parts = [
    plural(counts.invocations, 'invocation'),
    `${refused} refused${refused === 0 ? '' : ` (${byKey(counts.rejections)})`}`,
    plural(counts.faults, 'fault'),
  ];
  if (wouldRefuse > 0) parts.push(`${wouldRefuse} would refuse (${byKey(counts.shadowRejections)})`);
  if (counts.shadowFaults > 0) parts.push(plural(counts.shadowFaults, 'shadow fault'));
  const { onboarding, messages } = counts;
  if (
    onboarding !== undefined &&
    onboarding.queued + onboarding.lost + onboarding.unconfirmed + counts.actionFailures.size > 0
  ) {
    parts.push(`onboarding ${onboardingText(counts)}`);
  }
  if (messages !== undefined && messages.fallbacks > 0) {
    parts.push(plural(messages.fallbacks, 'default-message fallback'));
  }
  return `${INDENT}counters ${trigger}: ${parts.join(' · ')}`;
}

function fromCounts(counts: Counts): TriggerCounts {
  return {
    invocations: counts.invocations,
    rejections: Object.fromEntries(counts.rejections),
    faults: counts.faults,
    shadowRejections: Object.fromEntries(counts.shadowRejections),
    shadowFaults: counts.shadowFaults,
    ...(counts.onboarding === undefined ? {} : { onboarding: { ...counts.onboarding } }),
    actionFailures: Object.fromEntries(counts.actionFailures),
    ...(counts.messages === undefined ? {} : { messages: { ...counts.messages } }),
    ...(counts.sent === undefined ? {} : { sent: { ...counts.sent } }),
  };
}

// The three triggers in pipeline order, then any other trigger a document named, by name.
const TRIGGER_ORDER: readonly string[] = Object.values(TriggerName);

function triggerRank(trigger: string): number {
  const index = TRIGGER_ORDER.indexOf(trigger);
  return index === -1 ? TRIGGER_ORDER.length : index;
}

/** The stop summary: one row per trigger, its counts by code below it. */
function summaryOf(
  triggers: ReadonlyMap<string, Counts>,
  calls: number,
  broken: ReadonlyMap<string, number>,
): string[] {
  if (calls === 0) return [];
  const lines: string[] = [];
  if (triggers.size === 0) {
    lines.push(
      `Counters: no metrics document in ${plural(calls, 'invocation')} (the functions run with METRICS_ENABLED=false?)`,
    );
  } else {
    lines.push(
      "Counters of this run (the functions' own metrics documents, as CloudWatch would count them):",
    );
    const header = [
      'trigger'.padEnd(18),
      'invocations',
      'refused',
      'faults',
      'would refuse',
      'shadow faults',
    ];
    lines.push(`  ${header.join('  ')}`);
    const sorted = [...triggers].sort(([a], [b]) => triggerRank(a) - triggerRank(b) || a.localeCompare(b));
    for (const [trigger, counts] of sorted) {
      const refused = total(counts.rejections);
      const wouldRefuse = total(counts.shadowRejections);
      const cells = [counts.invocations, refused, counts.faults, wouldRefuse, counts.shadowFaults].map(
        (count, index) => String(count).padStart((header[index + 1] as string).length),
      );
      lines.push(`  ${trigger.padEnd(18)}  ${cells.join('  ')}`);
      const detail = (label: string, text: string) => lines.push(`    ${label.padEnd(16)}  ${text}`);
      if (refused > 0) detail('refused', byKey(counts.rejections));
      if (wouldRefuse > 0) detail('would refuse', byKey(counts.shadowRejections));
      const onboarding = onboardingText(counts);
      if (onboarding !== undefined) detail('onboarding', onboarding);
      if (counts.messages !== undefined) {
        const { rendered, fallbacks } = counts.messages;
        detail('messages', `${rendered} rendered, ${plural(fallbacks, 'default-message fallback')}`);
      }
      if (counts.sent !== undefined) {
        const { sent, skipped, fallbacks } = counts.sent;
        detail(
          'messages',
          `${sent} sent, ${skipped} duplicates skipped, ${plural(fallbacks, 'plain fallback')}`,
        );
      }
    }
  }
  for (const [functionName, count] of broken) {
    lines.push(`  ${functionName} wrote ${plural(count, 'broken metrics document')}, not counted`);
  }
  return lines;
}

/**
 * Fresh counters for one pipeline run.
 *
 * @example
 * const counters = metricsCounters();
 * for (const line of counters.count(report.functionName, report.result.logs)) say(line);
 * // at stop
 * for (const line of counters.summary()) console.log(line);
 */
export function metricsCounters(): MetricsCounters {
  const triggers = new Map<string, Counts>();
  const broken = new Map<string, number>();
  let calls = 0;

  function countsOf(trigger: string): Counts {
    let counts = triggers.get(trigger);
    if (counts === undefined) {
      counts = emptyCounts();
      triggers.set(trigger, counts);
    }
    return counts;
  }

  return {
    count(functionName, logs) {
      calls += 1;
      const said: string[] = [];
      const noted = new Set<string>();
      let documents = 0;
      for (const line of logs.filter(isMetricsLine)) {
        documents += 1;
        const document: unknown = isEmfLine(line) ? JSON.parse(line) : undefined;
        const problems = document === undefined ? ['not JSON'] : emfProblems(document);
        if (problems.length > 0) {
          addTo(broken, functionName, 1);
          said.push(
            `${INDENT}⚠ ${functionName} wrote a broken metrics document, which CloudWatch would not count: ${problems.join('; ')}`,
          );
          continue;
        }
        const valid = document as EmfDocument;
        const trigger = rootText(valid, Dimension.Trigger) ?? functionName;
        if (countDocument(countsOf(trigger), valid)) noted.add(trigger);
      }
      // Every invocation that reaches the handler writes one document (docs/metrics.md): a second one counts
      // the invocation twice in CloudWatch.
      if (documents > 1) {
        said.push(
          `${INDENT}⚠ ${functionName} wrote ${documents} metrics documents in one invocation (one expected; CloudWatch counts each)`,
        );
      }
      for (const trigger of noted) said.push(countersLine(trigger, countsOf(trigger)));
      return said;
    },
    snapshot: () =>
      Object.fromEntries([...triggers].map(([trigger, counts]) => [trigger, fromCounts(counts)])),
    summary: () => summaryOf(triggers, calls, broken),
  };
}
