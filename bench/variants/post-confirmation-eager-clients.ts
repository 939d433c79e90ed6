/**
 * Variant: PostConfirmationFunction as shipped, plus the four SDK clients its actions use (Cognito,
 * DynamoDB, EventBridge, SQS) imported and constructed at module scope, as a handler that does not create
 * them lazily would. Compared with the shipped function under the same settings, it shows what the lazy
 * clients keep off the cold start. Constructing a client makes no call.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';

export { handler } from '../../triggers/post-confirmation/handler.js';

const config = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1000, requestTimeout: 1500, throwOnRequestTimeout: true },
};

/** Constructed at cold start; the Region comes from AWS_REGION, as in Lambda. */
export const clients = [
  new CognitoIdentityProviderClient(config),
  new DynamoDBClient(config),
  new EventBridgeClient(config),
  new SQSClient(config),
];
