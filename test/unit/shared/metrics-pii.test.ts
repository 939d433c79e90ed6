/**
 * No personal data and no caller text in the metrics (issue 15; docs/metrics.md, "Dimensions"): each of
 * the three triggers, configured as the golden replay runs it (template defaults with events/env.json) and in
 * shadow mode, gets fuzzed events whose every caller-controlled field (user name, every attribute,
 * ClientMetadata, ValidationData, the trigger source) is hostile text or contact data; every document it
 * writes has dimension values from the closed lists only, and no event text in a value, a property or a
 * metric name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEnvVars } from '../../../harness/env-vars.js';
import { PROJECT_ROOT } from '../../../harness/paths.js';
import { loadTemplate } from '../../../harness/template.js';
import type { TriggerDescriptor } from '../../../shared/define-trigger.js';
import type { SignUpTriggerEvent } from '../../../shared/event-types.js';
import { createTriggerHandler } from '../../../shared/handler-core.js';
import type { MetricsDocument, MetricsSink } from '../../../shared/metrics.js';
import { Rejections } from '../../../shared/rejection-codes.js';
import { type TriggerName, TriggerSource } from '../../../shared/trigger-source.js';
import { shippedLocales } from '../../../triggers/custom-message/templates/compiled.js';
import { TRIGGERS } from '../../../triggers/registry.js';
import { hostileEmail, hostileText, mapKey, stringMap } from '../../support/arbitraries.js';
import {
  customMessageEvent,
  lambdaContext,
  postConfirmationEvent,
  preSignUpEvent,
} from '../../support/builders.js';

const template = loadTemplate();
const envVars: unknown = JSON.parse(readFileSync(join(PROJECT_ROOT, 'events', 'env.json'), 'utf8'));
const triggers = Object.values(TRIGGERS) as unknown as TriggerDescriptor<SignUpTriggerEvent>[];

/** A sink that keeps every document it is given. */
function collectingSink(): MetricsSink & { documents: MetricsDocument[] } {
  const documents: MetricsDocument[] = [];
  return { documents, ready: Promise.resolve(), publish: (_trigger, document) => documents.push(document) };
}

/** The trigger's handler as the golden replay configures it, plus `overrides`, writing into `sink`. */
function handlerOf(trigger: TriggerDescriptor<SignUpTriggerEvent>, sink: MetricsSink, overrides: object) {
  const spec = template.functions.find((candidate) => candidate.trigger === trigger.name);
  if (spec === undefined) throw new Error(`Test: no function wired to ${trigger.name}`);
  const env = { ...applyEnvVars(spec, envVars), POWERTOOLS_LOG_LEVEL: 'SILENT', ...overrides };
  const { rules, core } = trigger.configure(env);
  const handler = createTriggerHandler({
    ...core,
    metrics: sink,
    trigger: trigger.name,
    parse: trigger.parse,
    rules,
  });
  return { handler, ruleNames: rules.map((rule) => rule.name) };
}

/** Contact data and hostile text where a caller puts them. */
const caller = fc.record({
  source: fc.oneof(fc.constantFrom(...Object.values(TriggerSource)), hostileText({ maxLength: 80 })),
  userName: fc.oneof(hostileEmail(), hostileText({ maxLength: 128 }), fc.uuid()),
  email: hostileEmail(),
  phone: fc.oneof(fc.stringMatching(/^\+[1-9]\d{7,14}$/), hostileText({ maxLength: 40 })),
  name: hostileText({ maxLength: 200 }),
  clientMetadata: stringMap(
    mapKey('locale', 'redirectUri', 'groups', 'plan', 'referral'),
    hostileText({ maxLength: 300 }),
  ),
  validationData: stringMap(mapKey('invite', 'captchaToken'), hostileText({ maxLength: 300 })),
});

type CallerValues = typeof caller extends fc.Arbitrary<infer T> ? T : never;

/** An event of `trigger` carrying the caller's values. */
function eventOf(trigger: TriggerName, v: CallerValues) {
  const userAttributes = { email: v.email, phone_number: v.phone, given_name: v.name, sub: v.userName };
  const envelope = { triggerSource: v.source as never, userName: v.userName };
  if (trigger === 'PreSignUp') {
    return preSignUpEvent({
      ...envelope,
      request: { userAttributes, clientMetadata: v.clientMetadata, validationData: v.validationData },
    });
  }
  if (trigger === 'CustomMessage') {
    return customMessageEvent({ ...envelope, request: { userAttributes, clientMetadata: v.clientMetadata } });
  }
  return postConfirmationEvent({
    ...envelope,
    request: { userAttributes, clientMetadata: v.clientMetadata },
  });
}

/** Every value a dimension may take for a trigger whose rules are `ruleNames`. */
function closedLists(ruleNames: readonly string[]): Set<string> {
  return new Set<string>([
    'unknown',
    'other',
    ...Object.values(TriggerSource),
    ...['default', 'changed', 'rejected', 'fault', 'passthrough'],
    ...Object.keys(Rejections),
    ...ruleNames,
    ...shippedLocales,
  ]);
}

describe.each(triggers.map((trigger) => [trigger.name, trigger] as const))(
  'Metrics, PII: %s',
  (_name, trigger) => {
    it.each([
      ['as the golden replay runs it', {}],
      ['with every rule in shadow mode', { RULES_MODE: 'shadow' }],
    ])('writes no caller text and no contact data into a metric, %s', async (_title, overrides) => {
      // Prepare
      const sink = collectingSink();
      const { handler, ruleNames } = handlerOf(trigger, sink, overrides);
      const allowed = closedLists(ruleNames);

      await fc.assert(
        fc.asyncProperty(caller, async (values) => {
          const event = eventOf(trigger.name as TriggerName, values);
          const before = sink.documents.length;

          // Act
          await handler(event, lambdaContext()).catch(() => undefined);

          // Assess: one document, every dimension value from a closed list, and no caller value anywhere in it.
          expect(sink.documents.length).toBe(before + 1);
          const document = sink.documents.at(-1) as MetricsDocument;
          const dimensionValues = document.dimensionSets.flatMap((set) => Object.values(set));
          for (const value of dimensionValues) expect(allowed.has(value), value).toBe(true);
          const written = [
            ...dimensionValues,
            ...Object.values(document.metadata),
            ...document.metrics.map(({ name }) => name),
          ].join('\n');
          const callerTexts = [
            values.userName,
            values.email,
            values.phone,
            values.name,
            ...Object.entries(values.clientMetadata).flat(),
            ...Object.entries(values.validationData).flat(),
          ].filter((text) => text.length >= 6 && !allowed.has(text) && !/^[A-Za-z]+$/.test(text));
          for (const text of callerTexts) expect(written.includes(text), text).toBe(false);
        }),
        { numRuns: 60 },
      );
    });
  },
);
