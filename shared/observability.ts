/**
 * The one Logger and the one Tracer of a function, configured from the environment that `template.yaml`
 * sets (`POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`, `POWERTOOLS_TRACE_ENABLED`, …).
 * Outside Lambda the Tracer stays disabled unless `AWS_EXECUTION_ENV` is set.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { declareSettings } from './settings.js';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'cognito-sign-up';

/** The shared structured logger. Never give it an event, an attribute value, a token or a code unmasked. */
export const logger = new Logger({ serviceName });

/** The shared tracer. The handler core opens subsegments by hand and never records a response. */
export const tracer = new Tracer({ serviceName, captureHTTPsRequests: true });

/** What Powertools reads in every function: its own variables (the logger and tracer settings). */
export const observabilitySettings = declareSettings({
  owner: 'observability',
  variables: [
    { name: 'POWERTOOLS_SERVICE_NAME' },
    { name: 'POWERTOOLS_LOG_LEVEL' },
    { name: 'POWERTOOLS_TRACER_CAPTURE_RESPONSE' },
    { name: 'POWERTOOLS_TRACER_CAPTURE_ERROR' },
  ],
});
