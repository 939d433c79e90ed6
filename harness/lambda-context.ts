/**
 * A Lambda `Context` for local invocations, with a real clock behind `getRemainingTimeInMillis`.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** What a local context may be told about its function. */
export type LocalContextOptions = {
  functionName?: string;
  memoryMb?: number;
  timeoutMs?: number;
  region?: string;
};

/** A context whose remaining time counts down from `timeoutMs` (default 5,000) from now. */
export function createLambdaContext(options: LocalContextOptions = {}): Context {
  const functionName = options.functionName ?? 'local-function';
  const region = options.region ?? 'us-east-1';
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  const fail = (): never => {
    throw new Error('Callback-style completion is not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 256),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}
