/**
 * A Cognito that holds one user pool, behind a real SDK client (a request handler stands in for HTTP): it
 * answers `DescribeUserPool` with the pool's raw JSON, and applies `UpdateUserPool` as Cognito does (a field
 * the request leaves out is reset). It records every call, can answer an operation with an AWS error, add
 * raw fields to its answers, or change the pool before a given read.
 */
import { Readable } from 'node:stream';
import {
  CognitoIdentityProviderClient,
  type CognitoIdentityProviderClientConfig,
  type UpdateUserPoolCommandInput,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { updatedPool } from './pools.js';

type Operation = 'DescribeUserPool' | 'UpdateUserPool';

/** An AWS error answer: `__type` and message, with its HTTP status. */
export type FakeFailure = { status: number; type: string; message: string };

export type FakeCognitoOptions = {
  /** The pool it holds. */
  pool: UserPoolType;
  /** The client's Region (default `us-east-1`). */
  region?: string;
  /** Answer these operations with an error. */
  failures?: Partial<Record<Operation, FakeFailure>>;
  /** Raw members added to every `DescribeUserPool` answer's `UserPool` (a newer API than the SDK). */
  extraFields?: Record<string, unknown>;
  /** Called before the n-th (1-based) `DescribeUserPool` is answered, with the pool it will describe. */
  beforeDescribe?: (count: number, pool: UserPoolType) => void;
  /** What the fake's UpdateUserPool does (default: {@link updatedPool}). */
  update?: (pool: UserPoolType, request: UpdateUserPoolCommandInput) => UserPoolType;
};

export type FakeCognito = {
  client: CognitoIdentityProviderClient;
  /** Every call, in order, with its input as sent. */
  calls: { operation: Operation; input: Record<string, unknown> }[];
  /** The pool as it is now. */
  pool(): UserPoolType;
};

/** `pool` as the JSON Cognito sends: dates as epoch seconds. */
function rawJsonOf(pool: UserPoolType): unknown {
  return JSON.parse(
    JSON.stringify(pool, function epochSeconds(this: Record<string, unknown>, key, value: unknown) {
      const original = this[key];
      return original instanceof Date ? original.getTime() / 1000 : value;
    }),
  );
}

function answer(status: number, body: unknown) {
  return {
    response: {
      statusCode: status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fake' },
      body: Readable.from([Buffer.from(JSON.stringify(body))]),
    },
  };
}

/**
 * A client bound to a fake Cognito holding `options.pool`.
 *
 * @example
 * const cognito = fakeCognito({ pool: everyFieldPool() });
 * await attachTriggers(cognito.client, { userPoolId: 'us-east-1_AbC123', functions: OURS });
 */
export function fakeCognito(options: FakeCognitoOptions): FakeCognito {
  let pool = structuredClone(options.pool);
  let describes = 0;
  const calls: FakeCognito['calls'] = [];
  const handler = {
    async handle(request: { headers: Record<string, string>; body?: unknown }) {
      const operation = (request.headers['x-amz-target'] ?? '').split('.').at(-1) as Operation;
      const input = JSON.parse(String(request.body ?? '{}')) as Record<string, unknown>;
      calls.push({ operation, input });
      const failure = options.failures?.[operation];
      if (failure !== undefined) {
        return answer(failure.status, { __type: failure.type, message: failure.message });
      }
      if (operation === 'DescribeUserPool') {
        describes += 1;
        options.beforeDescribe?.(describes, pool);
        const raw = rawJsonOf(pool) as Record<string, unknown>;
        return answer(200, { UserPool: { ...raw, ...options.extraFields } });
      }
      pool = (options.update ?? updatedPool)(pool, input as unknown as UpdateUserPoolCommandInput);
      return answer(200, {});
    },
  };
  const client = new CognitoIdentityProviderClient({
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
    requestHandler: handler as unknown as NonNullable<CognitoIdentityProviderClientConfig['requestHandler']>,
  });
  return { client, calls, pool: () => structuredClone(pool) };
}
