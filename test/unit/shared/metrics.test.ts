/**
 * The pure part of the metrics (docs/metrics.md): what one invocation's document holds for each way it can
 * end, what a rule may record, and the settings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sourcesOfCoreTrigger } from '../../../shared/core-trigger.js';
import { CustomSenderTriggerName } from '../../../shared/custom-sender/events.js';
import { ConfigurationError } from '../../../shared/errors.js';
import {
  actionMetricName,
  DEFAULT_METRICS_NAMESPACE,
  type InvocationSummary,
  invocationRecord,
  MetricName,
  metricsDocumentOf,
  metricsOptionsFromEnv,
  triggerMetrics,
} from '../../../shared/metrics.js';
import { Rejections } from '../../../shared/rejection-codes.js';
import { TriggerName, TriggerSource } from '../../../shared/trigger-source.js';
import { hostileText } from '../../support/arbitraries.js';
import { errorOf } from '../../support/outcomes.js';

/** A summary of a pre sign-up invocation that passed, with `overrides`. */
function summary(overrides: Partial<Omit<InvocationSummary, 'knownSources'>> = {}): InvocationSummary {
  const trigger = overrides.trigger ?? 'PreSignUp';
  return {
    trigger,
    source: TriggerSource.PreSignUpSignUp,
    knownSources: new Set(sourcesOfCoreTrigger[trigger]),
    outcome: 'default',
    durationMs: 12.5,
    coldStart: false,
    shadowRejections: [],
    shadowFaults: 0,
    ...overrides,
  };
}

/** The document's metrics as `{ name: value }`. */
function valuesOf(document: ReturnType<typeof metricsDocumentOf>): Record<string, number> {
  return Object.fromEntries(document.metrics.map(({ name, value }) => [name, value]));
}

describe('Metrics: the document of one invocation', () => {
  it('counts a passed invocation under the always-present sets, with every core metric written, 0 included', () => {
    // Prepare
    const passed = summary({ coldStart: true });

    // Act
    const document = metricsDocumentOf(passed, invocationRecord());

    // Assess
    expect(document.dimensionSets).toEqual([{}, { source: 'PreSignUp_SignUp', outcome: 'default' }]);
    expect(valuesOf(document)).toEqual({
      Invocations: 1,
      Rejections: 0,
      Faults: 0,
      ShadowRejections: 0,
      ShadowFaults: 0,
      ColdStarts: 1,
      Duration: 12.5,
    });
    expect(document.metadata).toEqual({});
  });

  it('puts a refusal under its rule and code, in a set of their own', () => {
    // Prepare
    const refused = summary({
      outcome: 'rejected',
      rejection: { rule: 'verifyCaptcha', code: 'CAPTCHA_FAILED' },
    });

    // Act
    const document = metricsDocumentOf(refused, invocationRecord());

    // Assess
    expect(document.dimensionSets).toContainEqual({ rule: 'verifyCaptcha', code: 'CAPTCHA_FAILED' });
    expect(valuesOf(document)).toMatchObject({ Rejections: 1, Faults: 0 });
  });

  it('counts a fault, and nothing as a refusal', () => {
    // Prepare
    const fault = summary({ outcome: 'fault' });

    // Act
    const document = metricsDocumentOf(fault, invocationRecord());

    // Assess
    expect(valuesOf(document)).toMatchObject({ Faults: 1, Rejections: 0 });
    expect(document.dimensionSets).toHaveLength(2);
  });

  it('counts several shadow refusals once, under the first in rule order, and lists them all as a property', () => {
    // Prepare: RULES_MODE=shadow, three rules that would have refused (docs/metrics.md, "Dimensions").
    const shadowed = summary({
      outcome: 'changed',
      shadowRejections: [
        { rule: 'restrictEmailDomains', code: 'EMAIL_DOMAIN_BLOCKED' },
        { rule: 'requireInvite', code: 'INVITE_REQUIRED' },
        { rule: 'verifyCaptcha', code: 'CAPTCHA_REQUIRED' },
      ],
      shadowFaults: 1,
    });

    // Act
    const document = metricsDocumentOf(shadowed, invocationRecord());

    // Assess
    expect(document.dimensionSets).toContainEqual({
      shadowRule: 'restrictEmailDomains',
      shadowCode: 'EMAIL_DOMAIN_BLOCKED',
    });
    expect(valuesOf(document)).toMatchObject({ ShadowRejections: 1, ShadowFaults: 1, Rejections: 0 });
    expect(document.metadata).toEqual({
      shadowRejections:
        'restrictEmailDomains:EMAIL_DOMAIN_BLOCKED,requireInvite:INVITE_REQUIRED,verifyCaptcha:CAPTCHA_REQUIRED',
    });
  });

  it('keeps a refusal and an earlier shadow refusal apart: no dimension key is in two sets', () => {
    // Prepare
    const both = summary({
      outcome: 'rejected',
      rejection: { rule: 'requireInvite', code: 'INVITE_REQUIRED' },
      shadowRejections: [{ rule: 'verifyCaptcha', code: 'CAPTCHA_FAILED' }],
    });

    // Act
    const document = metricsDocumentOf(both, invocationRecord());

    // Assess
    const keys = document.dimensionSets.flatMap((set) => Object.keys(set));
    expect(new Set(keys).size).toBe(keys.length);
    expect(document.dimensionSets).toContainEqual({ rule: 'requireInvite', code: 'INVITE_REQUIRED' });
    expect(document.dimensionSets).toContainEqual({
      shadowRule: 'verifyCaptcha',
      shadowCode: 'CAPTCHA_FAILED',
    });
  });

  it("writes each trigger's own metrics, as 0 when its rules recorded nothing", () => {
    // Prepare
    const record = invocationRecord();
    record.add(MetricName.OnboardingQueued);
    record.add(MetricName.OnboardingActionFailures, 2);
    record.add(actionMetricName('addToGroups', true));
    record.add(actionMetricName('writeProfile', false));

    // Act
    const post = valuesOf(metricsDocumentOf(summary({ trigger: 'PostConfirmation' }), record));
    const message = valuesOf(metricsDocumentOf(summary({ trigger: 'CustomMessage' }), invocationRecord()));

    // Assess
    expect(post).toMatchObject({
      OnboardingQueued: 1,
      OnboardingLost: 0,
      OnboardingQueueUnconfirmed: 0,
      OnboardingActionFailures: 2,
      'ActionSucceeded.addToGroups': 1,
      'ActionFailed.writeProfile': 1,
    });
    expect(message).toMatchObject({ MessagesRendered: 0, DefaultMessageFallbacks: 0 });
  });

  it('puts a rendered message under its locale', () => {
    // Prepare
    const record = invocationRecord();
    record.setLocale('pt-BR');
    record.add(MetricName.MessagesRendered);

    // Act
    const document = metricsDocumentOf(summary({ trigger: 'CustomMessage' }), record);

    // Assess
    expect(document.dimensionSets).toContainEqual({ locale: 'pt-BR' });
  });
});

describe('Metrics: only closed lists become dimensions', () => {
  it('turns a source, code, rule or locale outside its list into unknown / other, whatever the text', () => {
    fc.assert(
      fc.property(hostileText({ maxLength: 300 }), (text) => {
        // Prepare: text where a trigger source, a code, a rule name and a locale would be.
        const record = invocationRecord();
        record.setLocale(text);
        const odd = summary({
          source: text,
          outcome: 'rejected',
          rejection: { rule: `${text} `, code: text },
          shadowRejections: [{ rule: `${text}!`, code: `x${text}` }],
        });

        // Act
        const document = metricsDocumentOf(odd, record);

        // Assess
        const values = document.dimensionSets.flatMap((set) => Object.values(set));
        const allowed = new Set<string>([
          'unknown',
          'other',
          'rejected',
          ...Object.values(TriggerSource),
          ...Object.keys(Rejections),
        ]);
        // A locale is taken as given when it has a tag's shape (the rule passes the catalogue's own).
        const localeShaped = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/.test(text);
        for (const value of values) {
          expect(allowed.has(value) || (localeShaped && value === text), value).toBe(true);
        }
        expect(document.metadata.shadowRejections).toMatch(/^[A-Za-z_$#0-9]+:(?:[A-Z_]+|other)$/);
      }),
    );
  });

  it('drops what a rule records outside the metric names, and negative or non-finite counts', () => {
    // Prepare
    const record = invocationRecord();

    // Act
    record.add('Invocations' as never);
    record.add('ActionFailed.a b' as never);
    record.add(MetricName.OnboardingLost, -1);
    record.add(MetricName.OnboardingLost, Number.NaN);
    record.add(MetricName.OnboardingLost, Number.POSITIVE_INFINITY);

    // Assess
    expect([...record.counts()]).toEqual([]);
  });

  it('names an action that is not an identifier "other"', () => {
    // Act
    const names = [
      actionMetricName('', true),
      actionMetricName('a b', false),
      actionMetricName('x'.repeat(65), true),
    ];

    // Assess
    expect(names).toEqual(['ActionSucceeded.other', 'ActionFailed.other', 'ActionSucceeded.other']);
  });

  it('gives every trigger a list of its own metrics, all of them metric names', () => {
    // Act
    const listed = Object.entries(triggerMetrics);

    // Assess
    expect(listed.map(([name]) => name).sort()).toEqual(
      [...Object.values(TriggerName), ...Object.values(CustomSenderTriggerName)].sort(),
    );
    for (const [, names] of listed)
      for (const name of names) expect(Object.values(MetricName)).toContain(name);
  });
});

describe('Metrics: settings (METRICS_ENABLED, METRICS_NAMESPACE)', () => {
  it('is on, in the default namespace, when nothing is set', () => {
    // Act
    const options = metricsOptionsFromEnv({});

    // Assess
    expect(options).toEqual({ enabled: true, namespace: DEFAULT_METRICS_NAMESPACE });
  });

  it('reads the switch and a namespace', () => {
    // Act
    const options = metricsOptionsFromEnv({ METRICS_ENABLED: 'false', METRICS_NAMESPACE: 'Acme/SignUp' });

    // Assess
    expect(options).toEqual({ enabled: false, namespace: 'Acme/SignUp' });
  });

  it.each([
    ['METRICS_ENABLED', 'yes'],
    ['METRICS_NAMESPACE', 'AWS/Cognito'],
    ['METRICS_NAMESPACE', ':starts-with-colon'],
    ['METRICS_NAMESPACE', 'has space'],
    ['METRICS_NAMESPACE', 'x'.repeat(256)],
  ])('refuses %s=%s with an error naming the variable', (name, value) => {
    // Act
    const error = errorOf(ConfigurationError, () => metricsOptionsFromEnv({ [name]: value }));

    // Assess
    expect(error.message).toContain(name);
  });
});
