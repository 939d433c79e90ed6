/**
 * Types of harness/lambda-context.cjs (plain CommonJS, so the bundle worker and the benchmark runners can
 * load it on a bare `node`; TypeScript code imports it through harness/lambda-context.ts).
 */
import type { Context } from 'aws-lambda';

/** What a local context may be told about its function and invocation. */
export type LambdaContextOptions = {
  /** Default: `local-function`. */
  functionName?: string;
  /** Default: 256. */
  memoryMb?: number;
  /** The budget `getRemainingTimeInMillis` counts down from, from now. Default: 5,000. */
  timeoutMs?: number;
  /** Default: `us-east-1`. */
  region?: string;
  /** Default: a random UUID. */
  requestId?: string;
  /** Default: `local/[$LATEST]` and 32 random hex digits. */
  logStreamName?: string;
};

/** A context whose remaining time counts down from `timeoutMs` (default 5,000) from now. */
export declare function createLambdaContext(options?: LambdaContextOptions): Context;
