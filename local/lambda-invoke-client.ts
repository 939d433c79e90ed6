/**
 * The caller's side of the Lambda Invoke API, as an {@link Invoker}: one attempt is one HTTP call that gives
 * up after `timeoutMs` (Cognito's socket timeout, contract §6). A function error (HTTP 200 with
 * `X-Amz-Function-Error`) is a `threw` result; an HTTP error of the API itself, or no answer at all, throws
 * {@link LambdaInvokeError}, which Cognito does not retry.
 */
import type { InvocationResult, Invoker } from '../harness/invocation.js';
import { isObject } from '../shared/parse-event.js';
import { LambdaInvokeError } from './errors.js';

/** Where the function is. */
export type LambdaInvokeClientOptions = {
  /** The Invoke API's base URL, for example `http://127.0.0.1:3001`. */
  endpoint: string;
  functionName: string;
};

/**
 * An invoker over HTTP.
 *
 * @example
 * const invoker = lambdaInvokeClient({ endpoint: 'http://127.0.0.1:3001', functionName: 'PreSignUpFunction' });
 * const result = await invoker.invoke(event, 5000);
 */
export function lambdaInvokeClient(options: LambdaInvokeClientOptions): Invoker {
  const url = `${options.endpoint.replace(/\/$/, '')}/2015-03-31/functions/${encodeURIComponent(options.functionName)}/invocations`;
  return {
    async invoke(event: unknown, timeoutMs: number): Promise<InvocationResult> {
      const started = performance.now();
      const durationMs = () => performance.now() - started;
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Amz-Invocation-Type': 'RequestResponse' },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        if ((error as Error).name === 'TimeoutError')
          return { kind: 'timeout', durationMs: durationMs(), logs: [] };
        throw new LambdaInvokeError('ServiceUnavailableException', undefined, { cause: error });
      }
      if (response.status !== 200) {
        throw new LambdaInvokeError(
          response.headers.get('x-amzn-ErrorType') ?? 'ServiceException',
          response.status,
        );
      }
      let payload: unknown;
      try {
        payload = text === '' ? null : JSON.parse(text);
      } catch (error) {
        throw new LambdaInvokeError('InvalidResponseException', response.status, { cause: error });
      }
      if (response.headers.get('X-Amz-Function-Error') !== null) {
        const errorObject = isObject(payload) ? payload : {};
        return {
          kind: 'threw',
          errorType: String(errorObject.errorType ?? 'Error'),
          errorMessage: String(errorObject.errorMessage ?? ''),
          durationMs: durationMs(),
          logs: [],
        };
      }
      return { kind: 'returned', value: payload, durationMs: durationMs(), logs: [] };
    },
    async close() {},
  };
}
