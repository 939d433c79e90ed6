/**
 * What the end-to-end tests use to drive and inspect a running pipeline: AWS SDK clients pointed at it, the
 * inbox, the profile table.
 */
import { createHmac } from 'node:crypto';
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type InboxMessage, readInbox } from '../../../local/inbox.js';
import type { PipelineState } from '../../../local/state-file.js';

/** Dummy credentials: the local services check no signature. */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A Cognito client for a local user pool API at `endpoint`, with one attempt per call (no SDK retries). */
export function localCognitoClient(endpoint: string, region = 'us-east-1'): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region,
    endpoint,
    credentials: localCredentials,
    maxAttempts: 1,
  });
}

/** A Cognito client for the pipeline's user pool. */
export function cognitoClientFor(state: PipelineState): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: state.region,
    endpoint: state.endpoints.cognito,
    credentials: localCredentials,
  });
}

/** A DynamoDB client for the pipeline's tables. */
export function dynamoDbClientFor(state: PipelineState): DynamoDBClient {
  return new DynamoDBClient({
    region: state.region,
    endpoint: state.endpoints.dynamodb,
    credentials: localCredentials,
  });
}

/** The newest message the inbox holds for `to`, if any. */
export function lastMessageTo(state: PipelineState, to: string): InboxMessage | undefined {
  return readInbox(state.inboxDir)
    .filter((message) => message.to === to)
    .at(-1);
}

/** Every message the inbox holds for `to`. */
export function messagesTo(state: PipelineState, to: string): InboxMessage[] {
  return readInbox(state.inboxDir).filter((message) => message.to === to);
}

/** The profile item of a user (by `sub`) in the first table, as DynamoDB returns it. */
export async function profileOf(
  client: DynamoDBClient,
  state: PipelineState,
  sub: string,
): Promise<Record<string, unknown> | undefined> {
  const table = state.tables[0];
  if (table === undefined) return undefined;
  const answer = await client.send(
    new GetItemCommand({ TableName: table, Key: { sub: { S: sub } }, ConsistentRead: true }),
  );
  return answer.Item;
}

/** Cognito's SecretHash: Base64(HMAC-SHA256(client secret, username + client id)). */
export function secretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(`${username}${clientId}`).digest('base64');
}

/** A unique address per test, so tests sharing one pool never collide. */
export function uniqueEmail(label: string, domain = 'example.com'): string {
  return `${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@${domain}`;
}

/** A password the template's policy accepts (12+ characters, upper, lower, digit). */
export const PASSWORD = 'Correct-Horse-42';

/** A SignUp of `email` (also the user name) with its email attribute, through the pipeline's public client. */
export function signUpWithEmail(cognito: CognitoIdentityProviderClient, state: PipelineState, email: string) {
  return cognito.send(
    new SignUpCommand({
      ClientId: state.clientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
}
