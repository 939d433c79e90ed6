/**
 * Baseline: the bare handler plus a Powertools Logger and Tracer constructed at module scope, with the
 * options `shared/observability.ts` gives them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';

export { handler } from './bare-handler.js';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'cognito-sign-up';

/** Constructed at cold start, like the triggers' logger. */
export const logger = new Logger({ serviceName });

/** Constructed at cold start, like the triggers' tracer. */
export const tracer = new Tracer({ serviceName, captureHTTPsRequests: true });
