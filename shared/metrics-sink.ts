/**
 * Writes an invocation's metrics document (shared/metrics.ts) as CloudWatch embedded metric format with
 * Powertools Metrics: one JSON line on stdout per invocation, which CloudWatch Logs turns into metrics. The
 * library is loaded here only, and only when metrics are on (`METRICS_ENABLED`, the default). Powertools'
 * own switches apply too: `POWERTOOLS_METRICS_DISABLED=true`, or `POWERTOOLS_DEV=true` without it, write nothing.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { CoreTriggerName } from './core-trigger.js';
import { loggableError } from './log-error.js';
import type { MetricsDocument, MetricsOptions, MetricsSink } from './metrics.js';
import { logger } from './observability.js';

/** Options of {@link powertoolsMetricsSink}. */
export type PowertoolsMetricsSinkOptions = MetricsOptions & {
  /** `service`, Powertools' own dimension; default `POWERTOOLS_SERVICE_NAME`, as the Logger's. */
  serviceName?: string;
};

/**
 * A sink that writes through one Powertools `Metrics` per execution environment. A document that cannot be
 * written (a library error) is logged, never thrown: metrics never fail a sign-up.
 */
export function powertoolsMetricsSink(options: PowertoolsMetricsSinkOptions): MetricsSink {
  let metrics: Metrics | undefined;
  let trigger: CoreTriggerName | undefined;
  const ready = import('@aws-lambda-powertools/metrics')
    .then(({ Metrics }) => {
      metrics = new Metrics({
        namespace: options.namespace,
        ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
      });
    })
    .catch((error: unknown) => {
      // The functions still answer: without their metrics, which the log line says.
      logger.error('metrics library not loaded: no metrics', { error: loggableError(error) });
    });
  return {
    ready,
    publish(name: CoreTriggerName, document: MetricsDocument) {
      if (metrics === undefined) return;
      try {
        if (trigger !== name) {
          trigger = name;
          metrics.setDefaultDimensions({ trigger: name });
        }
        for (const set of document.dimensionSets) metrics.addDimensions(set);
        for (const { name: metric, unit, value } of document.metrics) metrics.addMetric(metric, unit, value);
        for (const [key, value] of Object.entries(document.metadata)) metrics.addMetadata(key, value);
        metrics.publishStoredMetrics();
      } catch (error) {
        logger.error('metrics document not written', { error: loggableError(error) });
        metrics.clearMetrics();
        metrics.clearDimensions();
        metrics.clearMetadata();
      }
    },
  };
}
