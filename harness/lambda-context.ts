/**
 * A Lambda `Context` for local invocations, with a real clock behind `getRemainingTimeInMillis`: the typed
 * entry to harness/lambda-context.cjs, the one factory the bundle worker and the benchmarks use too.
 */
import type { Context } from 'aws-lambda';
import { createLambdaContext as createContext } from './lambda-context.cjs';

/** What a local context may be told about its function. */
export type LocalContextOptions = {
  functionName?: string;
  memoryMb?: number;
  timeoutMs?: number;
  region?: string;
};

/** A context whose remaining time counts down from `timeoutMs` (default 5,000) from now. */
export function createLambdaContext(options: LocalContextOptions = {}): Context {
  return createContext(options);
}
