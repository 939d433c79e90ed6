/**
 * The two Cognito calls attach and detach make, through the AWS SDK: `DescribeUserPool` (checked for fields
 * the SDK dropped) and `UpdateUserPool`. Every failure becomes one of attach/errors.ts, naming the pool and
 * saying that nothing was changed.
 */
import {
  type CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  UpdateUserPoolCommand,
  type UpdateUserPoolCommandInput,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { fieldsDroppedByParser } from './dropped-fields.js';
import {
  AttachError,
  UnknownPoolFieldError,
  UserPoolAccessDeniedError,
  UserPoolNotFoundError,
  UserPoolRequestError,
} from './errors.js';
import { assertKnownFields } from './pool-fields.js';
import { checkUserPoolRegion } from './user-pool-id.js';

/** What attach needs of a Cognito client: `send`, and its Region. */
export type UserPoolClient = Pick<CognitoIdentityProviderClient, 'send' | 'config'>;

// AWS errors that mean "these credentials may not do this" (or are not valid credentials at all).
const DENIED = new Set([
  'AccessDeniedException',
  'NotAuthorizedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'InvalidSignatureException',
]);

type Operation = 'DescribeUserPool' | 'UpdateUserPool';

/**
 * The other permissions an `UpdateUserPool` that sends `pool` back may need: passing the pool's SMS role
 * (`SmsConfiguration` is sent back as it was).
 */
function permissionHint(operation: Operation, pool: UserPoolType | undefined): string {
  if (operation !== 'UpdateUserPool') return '';
  const role = pool?.SmsConfiguration?.SnsCallerArn ?? pool?.SmsConfiguration?.EumsSms?.CallerArn;
  return role === undefined ? '' : `and iam:PassRole on ${role} (the pool's SMS role, which is sent back)`;
}

/** `error` (thrown by the SDK) as an {@link AttachError} naming the pool and the operation. */
function attachErrorOf(
  error: unknown,
  context: { userPoolId: string; region: string; operation: Operation; pool?: UserPoolType },
): AttachError {
  const { userPoolId, region, operation, pool } = context;
  const name = error instanceof Error ? error.name : '';
  if (name === 'ResourceNotFoundException') {
    return new UserPoolNotFoundError(userPoolId, region, { cause: error });
  }
  if (DENIED.has(name)) {
    const hint = permissionHint(operation, pool);
    return new UserPoolAccessDeniedError(userPoolId, operation, name, hint, { cause: error });
  }
  // An error with an HTTP status is Cognito's answer: the call was refused whole.
  const answered =
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode === 'number';
  return new UserPoolRequestError(userPoolId, operation, answered ? false : undefined, { cause: error });
}

/** The bytes of an HTTP response body, whatever the runtime gave (a Node.js stream, bytes, text). */
async function bytesOf(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (typeof body === 'object' && body !== null && Symbol.asyncIterator in body) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
    }
    return Buffer.concat(chunks);
  }
  return new Uint8Array();
}

/**
 * Adds to `command` a step, just inside the SDK's deserializer, that reads the raw JSON answer, hands it to
 * `keep`, and puts the bytes back for the deserializer.
 */
function captureRawAnswer(command: DescribeUserPoolCommand, keep: (json: unknown) => void): void {
  const middleware = <A, R extends { response: unknown }>(next: (args: A) => Promise<R>) =>
    async function readRawAnswer(args: A): Promise<R> {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      const bytes = await bytesOf(response.body);
      response.body = bytes;
      if (response.statusCode === 200) {
        try {
          keep(JSON.parse(new TextDecoder().decode(bytes)));
        } catch {
          // Not JSON: the deserializer reports it.
        }
      }
      return result;
    };
  command.middlewareStack.addRelativeTo(middleware, {
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
    name: 'attachReadRawAnswer',
  });
}

/**
 * The pool as `DescribeUserPool` describes it, after checking that the id names the client's Region and
 * that the answer holds no field the SDK or the copier does not know.
 * @throws MalformedUserPoolIdError, UserPoolRegionMismatchError (no request sent), UserPoolNotFoundError,
 * UserPoolAccessDeniedError, UserPoolRequestError, UnknownPoolFieldError.
 */
export async function readUserPool(client: UserPoolClient, userPoolId: string): Promise<UserPoolType> {
  const region = await client.config.region();
  checkUserPoolRegion(userPoolId, region);
  const command = new DescribeUserPoolCommand({ UserPoolId: userPoolId });
  let raw: unknown;
  captureRawAnswer(command, (json) => {
    raw = json;
  });
  let pool: UserPoolType | undefined;
  try {
    pool = (await client.send(command)).UserPool;
  } catch (error) {
    throw attachErrorOf(error, { userPoolId, region, operation: 'DescribeUserPool' });
  }
  const rawPool =
    typeof raw === 'object' && raw !== null ? (raw as { UserPool?: unknown }).UserPool : undefined;
  if (pool === undefined || rawPool === undefined) {
    throw new AttachError(
      `DescribeUserPool of ${userPoolId} answered without a user pool (nothing was changed)`,
    );
  }
  const dropped = fieldsDroppedByParser(rawPool, pool);
  if (dropped.length > 0) throw new UnknownPoolFieldError(dropped);
  assertKnownFields(pool);
  return pool;
}

/**
 * Sends `request`. `pool` (what it was planned from) only serves to name the permissions a refusal may
 * be missing.
 * @throws UserPoolNotFoundError, UserPoolAccessDeniedError, UserPoolRequestError.
 */
export async function writeUserPool(
  client: UserPoolClient,
  request: UpdateUserPoolCommandInput,
  pool?: UserPoolType,
): Promise<void> {
  const userPoolId = request.UserPoolId ?? '';
  try {
    await client.send(new UpdateUserPoolCommand(request));
  } catch (error) {
    const region = await client.config.region();
    throw attachErrorOf(error, {
      userPoolId,
      region,
      operation: 'UpdateUserPool',
      ...(pool === undefined ? {} : { pool }),
    });
  }
}
