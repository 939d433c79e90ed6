/**
 * The handler core writes exactly one metrics document per invocation, on every way an invocation ends, with
 * the decision the log line states (docs/metrics.md).
 */
import { describe, expect, it } from 'vitest';
import { SignUpRejection } from '../../../shared/errors.js';
import type { PreSignUpEvent } from '../../../shared/event-types.js';
import { coreOptionsFromEnv, createTriggerHandler, type Rule } from '../../../shared/handler-core.js';
import { MetricName, type MetricsDocument, type MetricsSink } from '../../../shared/metrics.js';
import { parsePreSignUpEvent } from '../../../shared/parse-event.js';
import { preSignUpSources } from '../../../shared/trigger-source.js';
import { lambdaContext, preSignUpEvent, withValueAt } from '../../support/builders.js';
import { spyLogger } from '../../support/logger-spies.js';

/** A sink that keeps every document, and whether the core waited for it to be ready. */
function collectingSink(): MetricsSink & { documents: MetricsDocument[] } {
  const documents: MetricsDocument[] = [];
  return { documents, ready: Promise.resolve(), publish: (_trigger, document) => documents.push(document) };
}

function handlerWith(
  rules: readonly Rule<PreSignUpEvent>[],
  options: { shadow?: (rule: string) => boolean } = {},
) {
  const sink = collectingSink();
  const handler = createTriggerHandler({
    trigger: 'PreSignUp',
    parse: parsePreSignUpEvent,
    rules,
    logger: spyLogger(),
    metrics: sink,
    ...options,
  });
  return { handler, sink };
}

const passes: Rule<PreSignUpEvent> = function passes() {
  return 'pass';
};
const changes: Rule<PreSignUpEvent> = function changes(event) {
  event.response.autoConfirmUser = true;
  return 'changed';
};
const refuses: Rule<PreSignUpEvent> = function refuses() {
  throw new SignUpRejection('EMAIL_DOMAIN_BLOCKED');
};
const refusesInvite: Rule<PreSignUpEvent> = function refusesInvite() {
  throw new SignUpRejection('INVITE_REQUIRED');
};
const breaks: Rule<PreSignUpEvent> = function breaks() {
  throw new Error('down');
};

/** The values of a document's metrics by name. */
function valuesOf(document: MetricsDocument | undefined): Record<string, number> {
  return Object.fromEntries((document?.metrics ?? []).map(({ name, value }) => [name, value]));
}

describe('Handler core: one metrics document per invocation', () => {
  it.each([
    ['a pass', [passes], 'default', {}],
    ['a change', [changes], 'changed', {}],
    ['a refusal', [refuses], 'rejected', { Rejections: 1 }],
    ['a fault', [breaks], 'fault', { Faults: 1 }],
  ] as const)('writes one for %s, with its outcome', async (_title, rules, outcome, counts) => {
    // Prepare
    const { handler, sink } = handlerWith(rules);

    // Act
    await handler(preSignUpEvent(), lambdaContext()).catch(() => undefined);

    // Assess
    expect(sink.documents).toHaveLength(1);
    expect(sink.documents[0]?.dimensionSets[1]).toEqual({ source: 'PreSignUp_SignUp', outcome });
    expect(valuesOf(sink.documents[0])).toMatchObject({ Invocations: 1, ...counts });
  });

  it('names the rule and code of a refusal', async () => {
    // Prepare
    const { handler, sink } = handlerWith([passes, refuses]);

    // Act
    await handler(preSignUpEvent(), lambdaContext()).catch(() => undefined);

    // Assess
    expect(sink.documents[0]?.dimensionSets).toContainEqual({
      rule: 'refuses',
      code: 'EMAIL_DOMAIN_BLOCKED',
    });
  });

  it('writes one for an event the parser refuses, as a fault with an unknown source', async () => {
    // Prepare
    const { handler, sink } = handlerWith([passes]);
    const broken = withValueAt(preSignUpEvent(), ['triggerSource'], 42);

    // Act
    await handler(broken, lambdaContext()).catch(() => undefined);

    // Assess
    expect(sink.documents).toHaveLength(1);
    expect(sink.documents[0]?.dimensionSets[1]).toEqual({ source: 'unknown', outcome: 'fault' });
  });

  it('writes one for an undocumented source passed through', async () => {
    // Prepare
    const { handler, sink } = handlerWith([passes]);
    const migration = withValueAt(preSignUpEvent(), ['triggerSource'], 'PreSignUp_SomethingNew');

    // Act
    await handler(migration, lambdaContext());

    // Assess
    expect(sink.documents[0]?.dimensionSets[1]).toEqual({ source: 'unknown', outcome: 'passthrough' });
  });

  it('counts shadow refusals and faults, while the sign-up goes on', async () => {
    // Prepare: every rule in shadow mode (RULES_MODE=shadow).
    const { handler, sink } = handlerWith([refuses, breaks, refusesInvite, changes], { shadow: () => true });

    // Act
    await handler(preSignUpEvent(), lambdaContext());

    // Assess
    const [document] = sink.documents;
    expect(valuesOf(document)).toMatchObject({
      ShadowRejections: 1,
      ShadowFaults: 1,
      Rejections: 0,
      Faults: 0,
    });
    expect(document?.dimensionSets).toContainEqual({
      shadowRule: 'refuses',
      shadowCode: 'EMAIL_DOMAIN_BLOCKED',
    });
    expect(document?.metadata.shadowRejections).toBe(
      'refuses:EMAIL_DOMAIN_BLOCKED,refusesInvite:INVITE_REQUIRED',
    );
  });

  it('counts the first invocation of an environment as its cold start, and only that one', async () => {
    // Prepare
    const { handler, sink } = handlerWith([passes]);

    // Act
    await handler(preSignUpEvent(), lambdaContext());
    await handler(preSignUpEvent(), lambdaContext());

    // Assess
    expect(sink.documents.map((document) => valuesOf(document)[MetricName.ColdStarts])).toEqual([1, 0]);
  });

  it('hands a rule the recorder whose counts reach the document', async () => {
    // Prepare
    const records: Rule<PreSignUpEvent> = function records(_event, { metrics }) {
      metrics.add(MetricName.OnboardingLost);
      return 'pass';
    };
    const sink = collectingSink();
    const handler = createTriggerHandler({
      // The post confirmation document, over a pre sign-up event: its sources are the known ones.
      trigger: 'PostConfirmation',
      sources: preSignUpSources,
      parse: (raw) => parsePreSignUpEvent(raw),
      rules: [records],
      logger: spyLogger(),
      metrics: sink,
    });

    // Act
    await handler(preSignUpEvent(), lambdaContext());

    // Assess
    expect(valuesOf(sink.documents[0])).toMatchObject({ OnboardingLost: 1, OnboardingQueued: 0 });
  });

  it('writes nothing and loads no library when METRICS_ENABLED=false', () => {
    // Act
    const options = coreOptionsFromEnv({ METRICS_ENABLED: 'false' });

    // Assess
    expect(options.metrics).toBeUndefined();
  });
});
