/**
 * The Powertools binding: each document becomes exactly one EMF line on stdout that passes the EMF
 * specification's rules (harness/emf.ts), with the dimension sets and values of docs/metrics.md, and nothing
 * else is printed (Powertools warns on stdout when a document is malformed: a warning would mean one).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emfDocumentsOf, emfMetricValues, emfProblems } from '../../../harness/emf.js';
import { invocationRecord, MetricName, metricsDocumentOf } from '../../../shared/metrics.js';
import { powertoolsMetricsSink } from '../../../shared/metrics-sink.js';
import { sourcesOfTrigger, TriggerSource } from '../../../shared/trigger-source.js';

/** What the process writes to stdout and stderr while `act` runs. */
async function printed(act: () => void | Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const keep = (chunk: unknown) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line !== ''),
    );
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  try {
    await act();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('Metrics: the Powertools sink', () => {
  it('writes one valid EMF line per document, with the sets and values of the document', async () => {
    // Prepare
    const sink = powertoolsMetricsSink({ enabled: true, namespace: 'Test/SignUp', serviceName: 'sign-up' });
    await sink.ready;
    const record = invocationRecord();
    const document = metricsDocumentOf(
      {
        trigger: 'PreSignUp',
        source: TriggerSource.PreSignUpSignUp,
        knownSources: new Set(sourcesOfTrigger.PreSignUp),
        outcome: 'rejected',
        durationMs: 3.25,
        coldStart: true,
        rejection: { rule: 'requireInvite', code: 'INVITE_REQUIRED' },
        shadowRejections: [{ rule: 'verifyCaptcha', code: 'CAPTCHA_FAILED' }],
        shadowFaults: 0,
      },
      record,
    );

    // Act
    const lines = await printed(() => sink.publish('PreSignUp', document));

    // Assess
    expect(lines).toHaveLength(1);
    const [emf] = emfDocumentsOf(lines);
    expect(emf).toBeDefined();
    expect(emfProblems(emf)).toEqual([]);
    const directive = emf?._aws.CloudWatchMetrics[0];
    expect(directive?.Namespace).toBe('Test/SignUp');
    expect(directive?.Dimensions).toEqual([
      ['service', 'trigger'],
      ['service', 'trigger', 'source', 'outcome'],
      ['service', 'trigger', 'rule', 'code'],
      ['service', 'trigger', 'shadowRule', 'shadowCode'],
    ]);
    expect(emf).toMatchObject({
      service: 'sign-up',
      trigger: 'PreSignUp',
      source: 'PreSignUp_SignUp',
      outcome: 'rejected',
      rule: 'requireInvite',
      code: 'INVITE_REQUIRED',
      shadowRule: 'verifyCaptcha',
      shadowCode: 'CAPTCHA_FAILED',
      shadowRejections: 'verifyCaptcha:CAPTCHA_FAILED',
    });
    expect(emfMetricValues(emf as never)).toMatchObject({ Invocations: 1, Rejections: 1, Duration: 3.25 });
  });

  it('starts each document afresh: nothing of the one before is carried over', async () => {
    // Prepare
    const sink = powertoolsMetricsSink({ enabled: true, namespace: 'Test/SignUp' });
    await sink.ready;
    const base = {
      trigger: 'CustomMessage',
      knownSources: new Set(sourcesOfTrigger.CustomMessage),
      durationMs: 1,
      coldStart: false,
      shadowRejections: [],
      shadowFaults: 0,
    } as const;
    const rendered = invocationRecord();
    rendered.setLocale('fr');
    rendered.add(MetricName.MessagesRendered);

    // Act
    const lines = await printed(() => {
      sink.publish(
        'CustomMessage',
        metricsDocumentOf({ ...base, source: 'CustomMessage_SignUp', outcome: 'changed' }, rendered),
      );
      sink.publish(
        'CustomMessage',
        metricsDocumentOf(
          { ...base, source: 'CustomMessage_ResendCode', outcome: 'default' },
          invocationRecord(),
        ),
      );
    });

    // Assess
    const [first, second] = emfDocumentsOf(lines);
    expect(lines).toHaveLength(2);
    expect(first?.locale).toBe('fr');
    expect(second?.locale).toBeUndefined();
    expect(second?._aws.CloudWatchMetrics[0]?.Dimensions).toHaveLength(2);
    expect(emfMetricValues(second as never)).toMatchObject({ MessagesRendered: 0 });
  });
});
