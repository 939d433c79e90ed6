// A Lambda `Context` for local invocations, with a real clock behind getRemainingTimeInMillis. Plain
// CommonJS so the bundle worker and the benchmark runners load it on a bare `node`; harness/lambda-context.ts
// is the typed entry for in-process use. node:crypto is loaded only when an id must be made up: a caller
// that passes `requestId` and `logStreamName` (the benchmarks) never pays for it.
'use strict';

function randomUUID() {
  return require('node:crypto').randomUUID();
}

/** A context whose remaining time counts down from `timeoutMs` (default 5,000) from now. */
function createLambdaContext(options = {}) {
  const functionName = options.functionName ?? 'local-function';
  const region = options.region ?? 'us-east-1';
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  const fail = () => {
    throw new Error('Callback-style completion is not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 256),
    awsRequestId: options.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: options.logStreamName ?? `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}

module.exports = { createLambdaContext };
