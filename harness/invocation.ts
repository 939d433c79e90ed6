/**
 * How one Lambda invocation ended, as Cognito's Lambda client sees it.
 */
import { types } from 'node:util';

/** The function returned a value (serialised to JSON and back, as Lambda does). */
export type Returned = { kind: 'returned'; value: unknown; durationMs: number; logs: string[] };
/** The function (or its init) failed: Lambda's `errorType` / `errorMessage` (and `trace`, when known). */
export type Threw = {
  kind: 'threw';
  errorType: string;
  errorMessage: string;
  /** The stack lines Lambda's Node.js runtime reports; `[]` for a thrown value that is not an Error. */
  trace?: string[];
  durationMs: number;
  logs: string[];
};
/** No answer before the per-attempt timeout. */
export type TimedOut = { kind: 'timeout'; durationMs: number; logs: string[] };

/** One attempt's result. */
export type InvocationResult = Returned | Threw | TimedOut;

/** What one attempt may be told besides its event and its time budget. */
export type InvokeOptions = {
  /**
   * The invocation's request id, as Lambda gives every invocation its own UUID: `context.awsRequestId`, and
   * the `RequestId` of the runtime's own error messages (`Runtime.ExitError`). Default: a fresh UUID.
   */
  requestId?: string;
};

/** Runs one attempt of a function on an event. */
export type Invoker = {
  invoke(event: unknown, timeoutMs: number, options?: InvokeOptions): Promise<InvocationResult>;
  /** Frees whatever the invoker holds (child processes). */
  close(): Promise<void>;
};

/** Lambda's JSON round trip: what Cognito receives is the serialised value, never the object itself. */
export function throughJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
}

/** Whether a value passes for an Error with Lambda's runtime: a non-empty string `name`, `message`, `stack`. */
function isErrorLike(value: unknown): value is { name: string; message: string; stack: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { name, message, stack } = value as Record<string, unknown>;
  return [name, message, stack].every((field) => typeof field === 'string' && field !== '');
}

/** What the runtime reports when it cannot read the thrown value (`throw undefined`, no `toString`). */
const UNREADABLE = {
  errorType: 'handled',
  errorMessage:
    'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
  trace: [],
};

/**
 * Lambda's view of a thrown value, as its Node.js runtime reports it: an Error by its name, message and stack
 * lines; anything else by its `typeof` (`throw 'no'` gives errorType `string`, errorMessage `no`, no trace).
 * @see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client/blob/main/src/Errors.js
 */
export function lambdaErrorOf(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  try {
    if (types.isNativeError(error) || isErrorLike(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') };
    }
    return { errorType: typeof error, errorMessage: (error as { toString(): string }).toString(), trace: [] };
  } catch {
    return { ...UNREADABLE, trace: [] };
  }
}
