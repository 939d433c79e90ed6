/**
 * Baseline: the Logger + Tracer baseline plus a Cognito Identity Provider client constructed at module
 * scope (what a rule that looks users up or adds them to groups needs). Constructing it makes no call.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

export { handler, logger, tracer } from './logger-tracer.js';

/** Constructed at cold start; the region comes from AWS_REGION, as in Lambda. */
export const cognito = new CognitoIdentityProviderClient({});
