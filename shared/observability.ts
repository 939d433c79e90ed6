/**
 * The one Logger and the one Tracer of a function, configured from the environment that `template.yaml`
 * sets (`POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`, `POWERTOOLS_TRACE_ENABLED`, …).
 * Outside Lambda the Tracer stays disabled unless `AWS_EXECUTION_ENV` is set.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'cognito-sign-up';

/** The shared structured logger. Never give it an event, an attribute value, a token or a code unmasked. */
export const logger = new Logger({ serviceName });

/** The shared tracer. The handler core opens subsegments by hand and never records a response. */
export const tracer = new Tracer({ serviceName, captureHTTPsRequests: true });
