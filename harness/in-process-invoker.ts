/**
 * Runs a handler in this process: fast, for tests. A timed-out attempt is abandoned, not stopped (Lambda
 * likewise keeps running after Cognito stops waiting, contract §6).
 */
import type { Context } from 'aws-lambda';
import { type InvocationResult, type Invoker, lambdaErrorOf, throughJson } from './invocation.js';
import { createLambdaContext, type LocalContextOptions } from './lambda-context.js';

/** Any handler of the shape `(event, context) => Promise<result>`. */
export type AnyHandler = (event: never, context: Context) => Promise<unknown>;

/** An invoker over a handler function already loaded in this process. */
export function inProcessInvoker(handler: AnyHandler, context: LocalContextOptions = {}): Invoker {
  return {
    async invoke(event: unknown, timeoutMs: number): Promise<InvocationResult> {
      const started = performance.now();
      const elapsed = () => performance.now() - started;
      // Each attempt gets its own copy, as each Lambda invocation deserialises its own event.
      const payload = throughJson(event) as never;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      try {
        const run = Promise.resolve()
          .then(() => handler(payload, createLambdaContext({ ...context, timeoutMs })))
          .then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
        const settled = await Promise.race([run, timeout]);
        if (settled === 'timeout') return { kind: 'timeout', durationMs: elapsed(), logs: [] };
        if ('error' in settled)
          return { kind: 'threw', ...lambdaErrorOf(settled.error), durationMs: elapsed(), logs: [] };
        return { kind: 'returned', value: throughJson(settled.value), durationMs: elapsed(), logs: [] };
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {},
  };
}
