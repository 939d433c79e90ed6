/**
 * Baseline: the Logger + Tracer baseline plus Powertools Metrics, loaded and used the way
 * `shared/metrics-sink.ts` does: a dynamic import started at module scope (settled before the first
 * invocation, which awaits it), one `Metrics` per process, and each invocation publishing one EMF document of
 * three dimension sets and eight metrics (the size of a pre sign-up or custom message document) to stdout.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';

export { logger, tracer } from './logger-tracer.js';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'cognito-sign-up';
const namespace = process.env.METRICS_NAMESPACE ?? 'CognitoSignUpTriggers';

let metrics: Metrics | undefined;

/** Loads the library as the functions do, only through a dynamic import; settled before the first invocation. */
const ready = import('@aws-lambda-powertools/metrics').then(({ Metrics }) => {
  metrics = new Metrics({ namespace, serviceName });
  metrics.setDefaultDimensions({ trigger: 'PreSignUp' });
});

let coldStart = true;

/** Publishes one document, then returns the event unchanged, as Cognito needs it back. */
export const handler = async (event: unknown): Promise<unknown> => {
  const started = performance.now();
  if (coldStart) await ready;
  const source = (event as { triggerSource?: unknown } | null)?.triggerSource;
  const published = metrics;
  if (published !== undefined) {
    published.addDimensions({});
    published.addDimensions({ source: typeof source === 'string' ? source : 'unknown', outcome: 'default' });
    published.addDimensions({ locale: 'en' });
    for (const name of ['Invocations', 'Rejections', 'Faults', 'ShadowRejections', 'ShadowFaults']) {
      published.addMetric(name, 'Count', name === 'Invocations' ? 1 : 0);
    }
    published.addMetric('ColdStarts', 'Count', coldStart ? 1 : 0);
    published.addMetric('MessagesRendered', 'Count', 0);
    published.addMetric('Duration', 'Milliseconds', Math.round((performance.now() - started) * 100) / 100);
    published.publishStoredMetrics();
  }
  coldStart = false;
  return event;
};
