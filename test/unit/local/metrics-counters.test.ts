/**
 * The counters of `npm start`'s live log (local/metrics-counters.ts), fed the lines the functions really write:
 * each metrics document is made by the core's own document builder (shared/metrics.ts) and written by the
 * Powertools sink the functions use (shared/metrics-sink.ts).
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isMetricsLine, metricsCounters } from '../../../local/metrics-counters.js';
import {
  type InvocationMetrics,
  type InvocationSummary,
  invocationRecord,
  MetricName,
  metricsDocumentOf,
} from '../../../shared/metrics.js';
import { powertoolsMetricsSink } from '../../../shared/metrics-sink.js';
import { sourcesOfTrigger, type TriggerName } from '../../../shared/trigger-source.js';

// One sink per trigger, as each function has its own (the sink sets its trigger once).
const sinks = {
  PreSignUp: sinkOfOneFunction(),
  CustomMessage: sinkOfOneFunction(),
  PostConfirmation: sinkOfOneFunction(),
};
// Loaded before the tables of the tests below are built (they hold real lines).
await Promise.all(Object.values(sinks).map((sink) => sink.ready));

function sinkOfOneFunction() {
  return powertoolsMetricsSink({
    enabled: true,
    namespace: 'CognitoSignUpTriggers',
    serviceName: 'cognito-sign-up-local',
  });
}

const SOURCE: Record<TriggerName, string> = {
  PreSignUp: 'PreSignUp_SignUp',
  CustomMessage: 'CustomMessage_SignUp',
  PostConfirmation: 'PostConfirmation_ConfirmSignUp',
};

type Invocation = Partial<Omit<InvocationSummary, 'trigger' | 'knownSources'>> & {
  /** What the trigger's rules or actions record during the invocation. */
  recorded?: (metrics: InvocationMetrics) => void;
};

/** The EMF line a function of `trigger` writes for one invocation, as the Powertools sink prints it. */
function emfLine(trigger: TriggerName, invocation: Invocation = {}): string {
  const { recorded, ...summary } = invocation;
  const record = invocationRecord();
  recorded?.(record);
  const document = metricsDocumentOf(
    {
      trigger,
      source: SOURCE[trigger],
      knownSources: new Set(sourcesOfTrigger[trigger]),
      outcome: 'default',
      durationMs: 2.5,
      coldStart: false,
      shadowRejections: [],
      shadowFaults: 0,
      ...summary,
    },
    record,
  );
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    sinks[trigger].publish(trigger, document);
  } finally {
    spy.mockRestore();
  }
  if (written.length !== 1) throw new Error(`the sink wrote ${written.length} lines, not 1`);
  return written[0] as string;
}

const refusal = (rule: string, code: string): Invocation => ({
  outcome: 'rejected',
  rejection: { rule, code },
});

const DECISION = JSON.stringify({ level: 'INFO', message: 'trigger decision', outcome: 'default' });

describe('Local: metricsCounters, one invocation', () => {
  it('counts an ordinary invocation without a line of its own', () => {
    // Prepare
    const counters = metricsCounters();

    // Act
    const said = counters.count('PreSignUpFunction', [DECISION, emfLine('PreSignUp')]);

    // Assess
    expect(said).toEqual([]);
    expect(counters.snapshot().PreSignUp).toMatchObject({ invocations: 1, rejections: {}, faults: 0 });
  });

  it("answers the trigger's counters after a refusal, by code", () => {
    // Prepare
    const counters = metricsCounters();

    // Act
    const said = counters.count('PreSignUpFunction', [
      DECISION,
      emfLine('PreSignUp', refusal('restrictEmailDomains', 'EMAIL_DOMAIN_BLOCKED')),
    ]);

    // Assess
    expect(said).toEqual([
      '              counters PreSignUp: 1 invocation · 1 refused (EMAIL_DOMAIN_BLOCKED 1) · 0 faults',
    ]);
  });

  it('answers the counters after a fault', () => {
    // Prepare
    const counters = metricsCounters();

    // Act
    const said = counters.count('PreSignUpFunction', [emfLine('PreSignUp', { outcome: 'fault' })]);

    // Assess
    expect(said).toEqual(['              counters PreSignUp: 1 invocation · 0 refused · 1 fault']);
  });

  it("counts a shadow refusal under the first shadowed rule's rule:code, and a shadow fault", () => {
    // Prepare
    const counters = metricsCounters();
    const shadowed = emfLine('PreSignUp', {
      shadowRejections: [
        { rule: 'verifyCaptcha', code: 'CAPTCHA_REQUIRED' },
        { rule: 'restrictEmailDomains', code: 'EMAIL_DOMAIN_BLOCKED' },
      ],
      shadowFaults: 1,
    });

    // Act
    const said = counters.count('PreSignUpFunction', [shadowed]);

    // Assess
    expect(said).toEqual([
      '              counters PreSignUp: 1 invocation · 0 refused · 0 faults · 1 would refuse (verifyCaptcha:CAPTCHA_REQUIRED 1) · 1 shadow fault',
    ]);
    expect(counters.snapshot().PreSignUp).toMatchObject({
      shadowRejections: { 'verifyCaptcha:CAPTCHA_REQUIRED': 1 },
      shadowFaults: 1,
    });
  });

  it('counts an onboarding that could not be queued, with the action that failed', () => {
    // Prepare
    const counters = metricsCounters();
    const lost = emfLine('PostConfirmation', {
      recorded(metrics) {
        metrics.add('ActionSucceeded.addToGroups');
        metrics.add('ActionFailed.writeProfile');
        metrics.add(MetricName.OnboardingActionFailures);
        metrics.add(MetricName.OnboardingLost);
      },
    });

    // Act
    const said = counters.count('PostConfirmationFunction', [lost]);

    // Assess
    expect(said).toEqual([
      '              counters PostConfirmation: 1 invocation · 0 refused · 0 faults · onboarding 0 queued, 1 lost, 0 unconfirmed (failed: writeProfile 1)',
    ]);
  });

  it('counts a custom message that fell back to the default message', () => {
    // Prepare
    const counters = metricsCounters();
    const fallback = emfLine('CustomMessage', {
      outcome: 'changed',
      recorded(metrics) {
        metrics.add(MetricName.MessagesRendered);
        metrics.add(MetricName.DefaultMessageFallbacks);
      },
    });

    // Act
    const said = counters.count('CustomMessageFunction', [fallback]);

    // Assess
    expect(said).toEqual([
      '              counters CustomMessage: 1 invocation · 0 refused · 0 faults · 1 default-message fallback',
    ]);
    expect(counters.snapshot().CustomMessage?.messages).toEqual({ rendered: 1, fallbacks: 1 });
  });

  it('warns about a document that breaks the EMF rules, naming the problem, and does not count it', () => {
    // Prepare
    const counters = metricsCounters();
    const document = JSON.parse(emfLine('PreSignUp', refusal('requireInvite', 'INVITE_REQUIRED')));
    document._aws.Timestamp = 'now';
    document.Rejections = 'one';

    // Act
    const said = counters.count('PreSignUpFunction', [JSON.stringify(document)]);

    // Assess
    expect(said).toEqual([
      '              ⚠ PreSignUpFunction wrote a broken metrics document, which CloudWatch would not count: _aws.Timestamp is not a whole number of epoch milliseconds; metric Rejections has no root number (or array of up to 100 numbers)',
    ]);
    expect(counters.snapshot()).toEqual({});
  });

  it('warns about a metrics document cut short, which is not JSON', () => {
    // Prepare
    const counters = metricsCounters();
    const line = emfLine('PreSignUp');

    // Act
    const said = counters.count('PreSignUpFunction', [line.slice(0, 80)]);

    // Assess
    expect(said).toEqual([
      '              ⚠ PreSignUpFunction wrote a broken metrics document, which CloudWatch would not count: not JSON',
    ]);
  });

  it('warns about a second document in one invocation, and counts both as CloudWatch would', () => {
    // Prepare
    const counters = metricsCounters();

    // Act
    const said = counters.count('PreSignUpFunction', [emfLine('PreSignUp'), emfLine('PreSignUp')]);

    // Assess
    expect(said).toEqual([
      '              ⚠ PreSignUpFunction wrote 2 metrics documents in one invocation (one expected; CloudWatch counts each)',
    ]);
    expect(counters.snapshot().PreSignUp?.invocations).toBe(2);
  });
});

describe('Local: metricsCounters, over a run', () => {
  it('keeps the refusals of a trigger by code across invocations, the most frequent first', () => {
    // Prepare
    const counters = metricsCounters();
    counters.count('PreSignUpFunction', [emfLine('PreSignUp', refusal('requireInvite', 'INVITE_REQUIRED'))]);
    counters.count('PreSignUpFunction', [emfLine('PreSignUp')]);
    counters.count('PreSignUpFunction', [
      emfLine('PreSignUp', refusal('restrictEmailDomains', 'EMAIL_DOMAIN_BLOCKED')),
    ]);

    // Act
    const said = counters.count('PreSignUpFunction', [
      emfLine('PreSignUp', refusal('restrictEmailDomains', 'EMAIL_DOMAIN_BLOCKED')),
    ]);

    // Assess
    expect(said).toEqual([
      '              counters PreSignUp: 4 invocations · 3 refused (EMAIL_DOMAIN_BLOCKED 2, INVITE_REQUIRED 1) · 0 faults',
    ]);
    expect(counters.snapshot().PreSignUp?.rejections).toEqual({
      EMAIL_DOMAIN_BLOCKED: 2,
      INVITE_REQUIRED: 1,
    });
  });

  it('keeps each trigger apart, by the trigger its documents name', () => {
    // Prepare
    const counters = metricsCounters();

    // Act
    counters.count('PreSignUpFunction', [emfLine('PreSignUp', { outcome: 'fault' })]);
    counters.count('CustomMessageFunction', [emfLine('CustomMessage', { outcome: 'changed' })]);

    // Assess
    expect(counters.snapshot()).toEqual({
      PreSignUp: {
        invocations: 1,
        rejections: {},
        faults: 1,
        shadowRejections: {},
        shadowFaults: 0,
        actionFailures: {},
      },
      CustomMessage: {
        invocations: 1,
        rejections: {},
        faults: 0,
        shadowRejections: {},
        shadowFaults: 0,
        actionFailures: {},
        messages: { rendered: 0, fallbacks: 0 },
      },
    });
  });

  it('sums the run up in a table per trigger, with the counts by code below each', () => {
    // Prepare
    const counters = metricsCounters();
    counters.count('PostConfirmationFunction', [
      emfLine('PostConfirmation', { recorded: (metrics) => metrics.add(MetricName.OnboardingQueued) }),
    ]);
    counters.count('PreSignUpFunction', [emfLine('PreSignUp', refusal('requireInvite', 'INVITE_REQUIRED'))]);
    counters.count('PreSignUpFunction', [
      emfLine('PreSignUp', { shadowRejections: [{ rule: 'verifyCaptcha', code: 'CAPTCHA_FAILED' }] }),
    ]);
    counters.count('CustomMessageFunction', [
      emfLine('CustomMessage', {
        outcome: 'changed',
        recorded: (metrics) => metrics.add(MetricName.MessagesRendered),
      }),
    ]);
    counters.count('CustomMessageFunction', ['{"_aws": cut short']);

    // Act
    const summary = counters.summary();

    // Assess
    expect(summary).toEqual([
      "Counters of this run (the functions' own metrics documents, as CloudWatch would count them):",
      '  trigger             invocations  refused  faults  would refuse  shadow faults',
      '  PreSignUp                     2        1       0             1              0',
      '    refused           INVITE_REQUIRED 1',
      '    would refuse      verifyCaptcha:CAPTCHA_FAILED 1',
      '  CustomMessage                 1        0       0             0              0',
      '    messages          1 rendered, 0 default-message fallbacks',
      '  PostConfirmation              1        0       0             0              0',
      '    onboarding        1 queued, 0 lost, 0 unconfirmed',
      '  CustomMessageFunction wrote 1 broken metrics document, not counted',
    ]);
  });

  it('sums up nothing when no function was invoked', () => {
    // Prepare
    const counters = metricsCounters();

    // Act
    const summary = counters.summary();

    // Assess
    expect(summary).toEqual([]);
  });

  it('says so when the functions wrote no metrics document at all', () => {
    // Prepare
    const counters = metricsCounters();
    counters.count('PreSignUpFunction', [DECISION]);

    // Act
    const summary = counters.summary();

    // Assess
    expect(summary).toEqual([
      'Counters: no metrics document in 1 invocation (the functions run with METRICS_ENABLED=false?)',
    ]);
  });
});

describe('Local: isMetricsLine', () => {
  it.each([
    ['a metrics document', emfLine('PreSignUp'), true],
    ['a metrics document cut short', '{"_aws":{"Timestamp":1', true],
    ['the decision line', DECISION, false],
    ['a plain console line', 'cold start took 80 ms', false],
  ])('tells %s', (_title, line, expected) => {
    // Prepare
    const text = line;

    // Act
    const metrics = isMetricsLine(text);

    // Assess
    expect(metrics).toBe(expected);
  });
});

describe('Local: metricsCounters on anything a function may print', () => {
  it('never throws, and every line it answers sits under the invocation line', () => {
    // Prepare
    const documentLike = fc
      .record({ _aws: fc.anything(), trigger: fc.string(), code: fc.anything(), Rejections: fc.anything() })
      .map((document) => JSON.stringify(document));
    const lines = fc.array(fc.oneof(fc.string(), documentLike, fc.json()), { maxLength: 5 });

    // Act
    const run = () =>
      fc.assert(
        fc.property(fc.array(lines, { maxLength: 4 }), (invocations) => {
          const counters = metricsCounters();
          const said = invocations.flatMap((logs) => counters.count('PreSignUpFunction', logs));
          counters.snapshot();
          return said.every((line) => line.startsWith(' '.repeat(14))) && Array.isArray(counters.summary());
        }),
      );

    // Assess
    expect(run).not.toThrow();
  });
});
