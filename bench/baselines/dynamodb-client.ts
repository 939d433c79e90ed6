/**
 * Baseline: the Cognito client baseline plus a DynamoDB document client constructed at module scope (what
 * an invite lookup or an idempotent onboarding step needs). Constructing it makes no call.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export { cognito, handler, logger, tracer } from './cognito-client.js';

/** Constructed at cold start; the region comes from AWS_REGION, as in Lambda. */
export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
