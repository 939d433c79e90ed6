// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are CloudFormation Fn::Sub templates, not JS templates

/**
 * `template.yaml`'s metrics settings, alarms and dashboard (docs/metrics.md, "Alarms and the dashboard"):
 * every metric they read is one the functions write, in the namespace and `service, trigger` dimensions the
 * functions write it with; the dashboard body is JSON once `!Sub` has run; the alarms and the dashboard exist
 * with MonitoringEnabled only, and one onboarding-lost alarm exists in either metrics mode. cfn-lint passes
 * with metrics off, with monitoring off and in existing-pool mode (template-modes.test.ts lints the defaults).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_TEMPLATE_PATH,
  loadTemplate,
  parseTemplate,
  resourceIsCreated,
  type TemplateModel,
} from '../../../harness/template.js';
import {
  actionMetricName,
  DEFAULT_METRICS_NAMESPACE,
  MetricName,
  metricsOptionsFromEnv,
  triggerMetrics,
} from '../../../shared/metrics.js';
import { TriggerName } from '../../../shared/trigger-source.js';
import { sqsFailureQueueSettings } from '../../../triggers/post-confirmation/failure-queue.js';
import { onboardingSettings } from '../../../triggers/post-confirmation/onboarding-from-env.js';
import { cfnLint, cfnLintRunsHere } from '../../support/cfn-lint.js';
import { EXAMPLE_POOL_ID, withParameterDefaults } from '../harness/template-copies.js';

type Resource = { Type: string; Condition?: string; Properties?: Record<string, unknown> };
type Dimension = { Name: string; Value: unknown };
/** One metric an alarm reads: its own `MetricName`, or a `MetricStat` of its `Metrics`. */
type AlarmMetric = { namespace: unknown; metricName: unknown; dimensions: Dimension[] };

// The post confirmation actions, each declaring its settings under its own name, the one its per-action
// metrics carry (addToGroups, writeProfile, publishUserConfirmed); the failure queue is not an action.
const ACTIONS = onboardingSettings
  .filter((settings) => settings !== sqsFailureQueueSettings)
  .map((settings) => settings.owner);

/** Every metric name the functions write (shared/metrics.ts), the per-action ones included. */
const WRITTEN = new Set<string>([
  ...Object.values(MetricName),
  ...ACTIONS.flatMap((action) => [actionMetricName(action, true), actionMetricName(action, false)]),
]);

// Sample values for the dashboard's !Sub variables: a namespace with every special character it may hold.
const SAMPLE = {
  ServiceName: 'sample-service',
  MetricsNamespace: 'Sample/sign-up_triggers#1:prod.v2',
  'AWS::Region': 'eu-west-1',
  'AWS::StackName': 'sample-stack',
};

const scratch = mkdtempSync(join(tmpdir(), 'metrics-monitoring-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** template.yaml with other parameter defaults, written to the scratch folder (cfn-lint reads files). */
function variant(name: string, defaults: Readonly<Record<string, string>>): TemplateModel {
  const path = join(scratch, `template.${name}.yaml`);
  writeFileSync(path, withParameterDefaults(readFileSync(DEFAULT_TEMPLATE_PATH, 'utf8'), defaults));
  return parseTemplate(readFileSync(path, 'utf8'), path);
}

const model = loadTemplate();
const metricsOff = variant('metrics-off', { MetricsEnabled: 'false' });
const monitoringOff = variant('monitoring-off', { MonitoringEnabled: 'false' });
const existingPool = variant('existing-pool', { ExistingUserPoolId: EXAMPLE_POOL_ID });
const existingPoolMetricsOff = variant('existing-pool-metrics-off', {
  ExistingUserPoolId: EXAMPLE_POOL_ID,
  MetricsEnabled: 'false',
});

const resources = model.document.Resources as Record<string, Resource>;

/** The metrics an alarm reads. */
function metricsOf(alarm: Resource): AlarmMetric[] {
  const properties = alarm.Properties ?? {};
  if (properties.MetricName !== undefined) {
    return [
      {
        namespace: properties.Namespace,
        metricName: properties.MetricName,
        dimensions: (properties.Dimensions ?? []) as Dimension[],
      },
    ];
  }
  const queries = (properties.Metrics ?? []) as Array<{
    MetricStat?: { Metric: { Namespace: unknown; MetricName: unknown; Dimensions?: Dimension[] } };
  }>;
  return queries.flatMap(({ MetricStat }) =>
    MetricStat === undefined
      ? []
      : [
          {
            namespace: MetricStat.Metric.Namespace,
            metricName: MetricStat.Metric.MetricName,
            dimensions: MetricStat.Metric.Dimensions ?? [],
          },
        ],
  );
}

const IN_METRICS_NAMESPACE = { Ref: 'MetricsNamespace' };

/** The alarms on the functions' own metrics (the failure queue's age is an SQS metric). */
const metricsAlarms = Object.entries(resources).filter(
  ([, resource]) =>
    resource.Type === 'AWS::CloudWatch::Alarm' &&
    metricsOf(resource).some(
      (metric) => JSON.stringify(metric.namespace) === JSON.stringify(IN_METRICS_NAMESPACE),
    ),
);
const MONITORING_ALARMS = metricsAlarms.map(([id]) => id).filter((id) => id !== 'OnboardingLostEmfAlarm');

/** The trigger an alarm watches (its `trigger` dimension; each alarm watches one). */
function triggerOf(alarm: Resource): unknown {
  const triggers = new Set(
    metricsOf(alarm).flatMap((metric) =>
      metric.dimensions.filter((dimension) => dimension.Name === 'trigger').map(({ Value }) => Value),
    ),
  );
  return triggers.size === 1 ? [...triggers][0] : [...triggers];
}

/** A `Fn::Sub` template with its variables replaced: SAMPLE's, and a made-up ARN for `${<Alarm>.Arn}`. */
function substituted(template: string): string {
  return template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (Object.hasOwn(SAMPLE, name)) return SAMPLE[name as keyof typeof SAMPLE];
    const alarm = /^([A-Za-z0-9]+)\.Arn$/.exec(name)?.[1];
    if (alarm !== undefined && resources[alarm]?.Type === 'AWS::CloudWatch::Alarm') {
      return `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${alarm}`;
    }
    throw new Error(`Test: no sample value for ${whole}`);
  });
}

type Widget = { type: string; properties: Record<string, unknown> };
/** A row of a metric widget: `[namespace, name, dimension, value, …, options?]`, or `[{ expression }]`. */
type MetricRow = unknown[];

/** The dashboard's widgets, its body substituted with the sample values. */
function dashboardWidgets(): Widget[] {
  const body = resources.MetricsDashboard?.Properties?.DashboardBody as { 'Fn::Sub': string };
  return (JSON.parse(substituted(body['Fn::Sub'])) as { widgets: Widget[] }).widgets;
}

/** Every row of every metric widget. */
function dashboardRows(): MetricRow[] {
  return dashboardWidgets()
    .filter((widget) => widget.type === 'metric')
    .flatMap((widget) => widget.properties.metrics as MetricRow[]);
}

function expressionOf(row: MetricRow): string | undefined {
  const [first] = row;
  return typeof first === 'object' && first !== null
    ? (first as { expression?: string }).expression
    : undefined;
}

/** The metric names a row graphs: the second item, or each `MetricName="…"` of a SEARCH expression. */
function metricNamesOf(row: MetricRow): string[] {
  const expression = expressionOf(row);
  if (expression === undefined) return [String(row[1])];
  return [...expression.matchAll(/MetricName="([^"]+)"/g)].map((match) => match[1] ?? '');
}

describe('Template: metrics settings (METRICS_ENABLED, METRICS_NAMESPACE)', () => {
  it('gives every trigger function both variables, with the defaults the functions have', () => {
    // Prepare
    const functions = model.functions;

    // Act
    const settings = functions.map((spec) => [
      spec.logicalId,
      spec.environment.METRICS_ENABLED,
      spec.environment.METRICS_NAMESPACE,
    ]);

    // Assess
    expect(settings).toEqual([
      ['PreSignUpFunction', 'true', DEFAULT_METRICS_NAMESPACE],
      ['CustomMessageFunction', 'true', DEFAULT_METRICS_NAMESPACE],
      ['PostConfirmationFunction', 'true', DEFAULT_METRICS_NAMESPACE],
    ]);
  });

  it('turns every trigger function off with MetricsEnabled false', () => {
    // Prepare
    const functions = metricsOff.functions;

    // Act
    const enabled = functions.map((spec) => spec.environment.METRICS_ENABLED);

    // Assess
    expect(enabled).toEqual(['false', 'false', 'false']);
  });

  it('accepts as MetricsNamespace exactly the namespaces the functions accept at cold start', () => {
    // Prepare
    const parameter = model.parameters.MetricsNamespace as { AllowedPattern: string };
    const allowed = new RegExp(parameter.AllowedPattern);
    const samples = [
      DEFAULT_METRICS_NAMESPACE,
      SAMPLE.MetricsNamespace,
      'a',
      'x'.repeat(255),
      'x'.repeat(256),
      ':starts-with-colon',
      'AWS/Cognito',
      'MyAWS/Cognito',
      'has space',
      'quote"d',
      'back\\slash',
      'ünïcode',
      '{braces}',
    ];
    const acceptedByFunctions = (namespace: string) => {
      try {
        metricsOptionsFromEnv({ METRICS_NAMESPACE: namespace });
        return true;
      } catch {
        return false;
      }
    };

    // Act
    const disagreements = samples.filter((sample) => allowed.test(sample) !== acceptedByFunctions(sample));

    // Assess
    expect(disagreements).toEqual([]);
  });
});

describe('Template: alarms on the metrics (docs/metrics.md, "Alarms and the dashboard")', () => {
  it('reads only metrics the functions write', () => {
    // Prepare
    const alarms = metricsAlarms;

    // Act
    const unknown = alarms.flatMap(([id, alarm]) =>
      metricsOf(alarm)
        .filter((metric) => !WRITTEN.has(String(metric.metricName)))
        .map((metric) => [id, metric.metricName]),
    );

    // Assess
    expect({ alarms: alarms.length, unknown }).toEqual({ alarms: 9, unknown: [] });
  });

  it('reads each metric in MetricsNamespace with the service and trigger dimensions every document carries', () => {
    // Prepare
    const triggers: unknown[] = Object.values(TriggerName);

    // Act
    const wrong = metricsAlarms.flatMap(([id, alarm]) =>
      metricsOf(alarm)
        .filter(
          (metric) =>
            JSON.stringify(metric.namespace) !== JSON.stringify(IN_METRICS_NAMESPACE) ||
            metric.dimensions.length !== 2 ||
            JSON.stringify(metric.dimensions[0]) !==
              JSON.stringify({ Name: 'service', Value: { Ref: 'ServiceName' } }) ||
            metric.dimensions[1]?.Name !== 'trigger' ||
            !triggers.includes(metric.dimensions[1]?.Value),
        )
        .map((metric) => [id, metric]),
    );

    // Assess
    expect(wrong).toEqual([]);
  });

  it.each(Object.values(TriggerName))(
    'alarms when faults pass 5 in 100 %s invocations, a quiet period counting as 20 invocations',
    (trigger) => {
      // Prepare
      const [id, alarm] = metricsAlarms.find(([logicalId]) => logicalId === `${trigger}FaultRateAlarm`) ?? [];

      // Act
      const properties = alarm?.Properties ?? {};
      const watched = (properties.Metrics as Array<{ Id: string; Expression?: string; ReturnData: boolean }>)
        .filter((query) => query.ReturnData)
        .map((query) => query.Expression);

      // Assess
      expect({
        id,
        trigger: alarm === undefined ? undefined : triggerOf(alarm),
        metrics: alarm === undefined ? [] : metricsOf(alarm).map((metric) => metric.metricName),
        watched,
        threshold: properties.Threshold,
        comparison: properties.ComparisonOperator,
        datapoints: [properties.DatapointsToAlarm, properties.EvaluationPeriods],
      }).toEqual({
        id: `${trigger}FaultRateAlarm`,
        trigger,
        metrics: [MetricName.Invocations, MetricName.Faults],
        watched: ['IF(invocations >= 20, faults / invocations, faults / 20)'],
        threshold: 0.05,
        comparison: 'GreaterThanThreshold',
        datapoints: [2, 3],
      });
    },
  );

  it.each(Object.values(TriggerName))(
    'alarms when the p99 duration of %s is above 3 s (Cognito waits 5 s), at any traffic',
    (trigger) => {
      // Prepare
      const alarm = resources[`${trigger}DurationAlarm`];

      // Act
      const properties = alarm?.Properties ?? {};

      // Assess
      expect({
        trigger: alarm === undefined ? undefined : triggerOf(alarm),
        metric: properties.MetricName,
        statistic: properties.ExtendedStatistic,
        lowSampleCount: properties.EvaluateLowSampleCountPercentile,
        period: properties.Period,
        threshold: properties.Threshold,
        comparison: properties.ComparisonOperator,
      }).toEqual({
        trigger,
        metric: MetricName.Duration,
        statistic: 'p99',
        lowSampleCount: 'evaluate',
        period: 300,
        threshold: 3000,
        comparison: 'GreaterThanThreshold',
      });
    },
  );

  it.each([
    ['PreSignUpRejectionsAnomalyAlarm', MetricName.Rejections],
    ['PreSignUpInvocationsAnomalyAlarm', MetricName.Invocations],
  ])('%s alarms when pre sign-up %s rise above their anomaly detection band', (id, metricName) => {
    // Prepare
    const alarm = resources[id];

    // Act
    const properties = alarm?.Properties ?? {};
    const queries = properties.Metrics as Array<{
      Id: string;
      Expression?: string;
      MetricStat?: { Stat: string; Period: number };
    }>;
    const [metric] = queries.filter((query) => query.MetricStat !== undefined);
    const band = queries.find((query) => query.Id === properties.ThresholdMetricId);

    // Assess
    expect({
      trigger: alarm === undefined ? undefined : triggerOf(alarm),
      metrics: alarm === undefined ? [] : metricsOf(alarm).map((read) => read.metricName),
      stat: metric?.MetricStat,
      band: band?.Expression,
      comparison: properties.ComparisonOperator,
    }).toEqual({
      trigger: 'PreSignUp',
      metrics: [metricName],
      stat: { Stat: 'Sum', Period: 300, Metric: expect.anything() },
      band: `ANOMALY_DETECTION_BAND(${metric?.Id}, 2)`,
      comparison: 'GreaterThanUpperThreshold',
    });
  });

  it('sums OnboardingLost and OnboardingQueueUnconfirmed of post confirmation into the onboarding-lost alarm', () => {
    // Prepare
    const alarm = resources.OnboardingLostEmfAlarm;

    // Act
    const properties = alarm?.Properties ?? {};
    const watched = (properties.Metrics as Array<{ Expression?: string; ReturnData: boolean }>)
      .filter((query) => query.ReturnData)
      .map((query) => query.Expression);

    // Assess
    expect({
      trigger: alarm === undefined ? undefined : triggerOf(alarm),
      metrics: alarm === undefined ? [] : metricsOf(alarm).map((metric) => metric.metricName),
      watched,
      threshold: [properties.ComparisonOperator, properties.Threshold, properties.EvaluationPeriods],
    }).toEqual({
      trigger: 'PostConfirmation',
      metrics: [MetricName.OnboardingLost, MetricName.OnboardingQueueUnconfirmed],
      watched: ['lost + unconfirmed'],
      threshold: ['GreaterThanThreshold', 0, 1],
    });
  });

  it('notifies AlarmTopicArn from every alarm, treats a period without invocations as fine and tells what to do', () => {
    // Prepare
    const alarms = Object.entries(resources).filter(
      ([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm',
    );

    // Act
    const unlike = alarms
      .filter(
        ([, alarm]) =>
          JSON.stringify(alarm.Properties?.AlarmActions) !==
            JSON.stringify({
              'Fn::If': ['HasAlarmTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }],
            }) ||
          alarm.Properties?.TreatMissingData !== 'notBreaching' ||
          typeof alarm.Properties?.AlarmDescription !== 'string',
      )
      .map(([id]) => id);

    // Assess
    expect({ alarms: alarms.length, unlike }).toEqual({ alarms: 12, unlike: [] });
  });
});

describe('Template: conditions of the metrics resources', () => {
  it('creates the alarms on the metrics, the dashboard and its output with HasMonitoring', () => {
    // Prepare
    const outputs = model.document.Outputs as Record<string, { Condition?: string }>;

    // Act
    const conditions = [
      ...MONITORING_ALARMS.map((id) => [id, resources[id]?.Condition]),
      ['MetricsDashboard', resources.MetricsDashboard?.Condition],
      ['MetricsDashboardUrl', outputs.MetricsDashboardUrl?.Condition],
    ];

    // Assess
    expect(conditions).toEqual([
      ...MONITORING_ALARMS.map((id) => [id, 'HasMonitoring']),
      ['MetricsDashboard', 'HasMonitoring'],
      ['MetricsDashboardUrl', 'HasMonitoring'],
    ]);
  });

  it('counts a lost onboarding from the logs with MetricsOff, from the metrics with MetricsOn', () => {
    // Prepare
    const ids = [
      'OnboardingFailuresMetricFilter',
      'OnboardingLostMetricFilter',
      'OnboardingLostAlarm',
      'OnboardingLostEmfAlarm',
      'FailureQueueAgeAlarm',
    ];

    // Act
    const conditions = ids.map((id) => [id, resources[id]?.Condition]);

    // Assess
    expect(conditions).toEqual([
      ['OnboardingFailuresMetricFilter', 'MetricsOff'],
      ['OnboardingLostMetricFilter', 'MetricsOff'],
      ['OnboardingLostAlarm', 'MetricsOff'],
      ['OnboardingLostEmfAlarm', 'MetricsOn'],
      ['FailureQueueAgeAlarm', undefined],
    ]);
  });

  it.each([
    ['the defaults', model, { monitoring: true, lost: ['OnboardingLostEmfAlarm'] }],
    ['MonitoringEnabled false', monitoringOff, { monitoring: false, lost: ['OnboardingLostEmfAlarm'] }],
    ['MetricsEnabled false', metricsOff, { monitoring: false, lost: ['OnboardingLostAlarm'] }],
    ['existing-pool mode', existingPool, { monitoring: true, lost: ['OnboardingLostEmfAlarm'] }],
    [
      'existing-pool mode, MetricsEnabled false',
      existingPoolMetricsOff,
      { monitoring: false, lost: ['OnboardingLostAlarm'] },
    ],
  ] as const)(
    'with %s, creates the monitoring it asks for and one onboarding-lost alarm',
    (_name, variantModel, expected) => {
      // Prepare
      const monitoring = [...MONITORING_ALARMS, 'MetricsDashboard'];

      // Act
      const created = monitoring.filter((id) => resourceIsCreated(variantModel, id));
      const lost = ['OnboardingLostAlarm', 'OnboardingLostEmfAlarm'].filter((id) =>
        resourceIsCreated(variantModel, id),
      );
      const queueAge = resourceIsCreated(variantModel, 'FailureQueueAgeAlarm');

      // Assess
      expect({ created, lost, queueAge }).toEqual({
        created: expected.monitoring ? monitoring : [],
        lost: expected.lost,
        queueAge: true,
      });
    },
  );
});

describe('Template: the metrics dashboard', () => {
  it('is JSON once !Sub has substituted its variables', () => {
    // Prepare
    const body = resources.MetricsDashboard?.Properties?.DashboardBody as { 'Fn::Sub': string };

    // Act
    const parsed = JSON.parse(substituted(body['Fn::Sub'])) as { widgets: unknown[] };

    // Assess
    expect(parsed.widgets.length).toBeGreaterThan(0);
  });

  it("reads every metric widget from MetricsNamespace, for ServiceName, in the stack's Region", () => {
    // Prepare
    const widgets = dashboardWidgets().filter((widget) => widget.type === 'metric');

    // Act
    const elsewhere = widgets.flatMap((widget) =>
      (widget.properties.metrics as MetricRow[])
        .filter((row) => {
          const expression = expressionOf(row);
          if (expression !== undefined) {
            return (
              !expression.startsWith(`SEARCH('{"${SAMPLE.MetricsNamespace}",service,trigger`) ||
              !expression.includes(` service="${SAMPLE.ServiceName}"`)
            );
          }
          return (
            row[0] !== SAMPLE.MetricsNamespace ||
            JSON.stringify(row.slice(2, 5)) !== JSON.stringify(['service', SAMPLE.ServiceName, 'trigger'])
          );
        })
        .map((row) => [widget.properties.title, row])
        .concat(
          widget.properties.region === SAMPLE['AWS::Region'] ? [] : [[widget.properties.title, 'region']],
        ),
    );

    // Assess
    expect({ widgets: widgets.length, elsewhere }).toEqual({ widgets: 13, elsewhere: [] });
  });

  it('graphs only metrics the functions write, and every one of them', () => {
    // Prepare
    const rows = dashboardRows();

    // Act
    const graphed = new Set(rows.flatMap(metricNamesOf));

    // Assess
    expect({
      unknown: [...graphed].filter((name) => !WRITTEN.has(name)),
      missing: Object.values(MetricName).filter((name) => !graphed.has(name)),
      failedActions: ACTIONS.map((action) => graphed.has(actionMetricName(action, false))),
    }).toEqual({ unknown: [], missing: [], failedActions: [true, true, true] });
  });

  it("graphs each trigger's own metrics under that trigger", () => {
    // Prepare
    const owners = new Map<string, string[]>();
    for (const [trigger, names] of Object.entries(triggerMetrics)) {
      for (const name of names) owners.set(name, [...(owners.get(name) ?? []), trigger]);
    }

    // Act
    const misplaced = dashboardRows()
      .filter((row) => expressionOf(row) === undefined && owners.has(String(row[1])))
      .filter((row) => !owners.get(String(row[1]))?.includes(String(row[5])))
      .map((row) => [row[1], row[5]]);

    // Assess
    expect(misplaced).toEqual([]);
  });

  it('marks on the duration widget the threshold the duration alarms fire at', () => {
    // Prepare
    const thresholds = new Set(
      Object.values(TriggerName).map(
        (trigger) => resources[`${trigger}DurationAlarm`]?.Properties?.Threshold,
      ),
    );

    // Act
    const widget = dashboardWidgets().find((candidate) =>
      (candidate.properties.metrics as MetricRow[] | undefined)?.some(
        (row) => row[1] === MetricName.Duration,
      ),
    );
    const annotations = (widget?.properties.annotations as { horizontal?: Array<{ value: number }> })
      ?.horizontal;

    // Assess
    expect({ thresholds: [...thresholds], annotations: annotations?.map(({ value }) => value) }).toEqual({
      thresholds: [3000],
      annotations: [3000],
    });
  });

  it('shows the state of every alarm the stack creates', () => {
    // Prepare
    const created = Object.entries(resources)
      .filter(([id, resource]) => resource.Type === 'AWS::CloudWatch::Alarm' && resourceIsCreated(model, id))
      .map(([id]) => `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${id}`);

    // Act
    const widget = dashboardWidgets().find((candidate) => candidate.type === 'alarm');

    // Assess
    expect([...((widget?.properties.alarms as string[]) ?? [])].sort()).toEqual(created.sort());
  });
});

describe('Template: cfn-lint with metrics and monitoring off, and in existing-pool mode', () => {
  const hasCfnLint = cfnLintRunsHere('cfn-lint on template.yaml with metrics and monitoring off');
  const variants = [
    ['MetricsEnabled false', metricsOff],
    ['MonitoringEnabled false', monitoringOff],
    [`ExistingUserPoolId ${EXAMPLE_POOL_ID}`, existingPool],
    [`ExistingUserPoolId ${EXAMPLE_POOL_ID}, MetricsEnabled false`, existingPoolMetricsOff],
  ] as const;
  // One run over every file (cfn-lint's start and SAM's transform take seconds); parseable lines name the file.
  let lines: string[] = [];
  let status: number | null = null;
  beforeAll(() => {
    if (!hasCfnLint) return;
    const files = variants.map(([, variantModel]) => variantModel.path);
    ({ status, lines } = cfnLint(files));
  }, 60_000);

  it.runIf(hasCfnLint).each(variants)('finds nothing with %s', (_name, variantModel) => {
    // Prepare
    const file = variantModel.path;

    // Act
    const findings = lines.filter((line) => line.startsWith(file));

    // Assess
    expect(findings).toEqual([]);
  });

  it.runIf(hasCfnLint)('exits 0 over all of them', () => {
    // Prepare
    const expected = 0;

    // Act
    const exit = status;

    // Assess
    expect(exit).toBe(expected);
  });
});
