/**
 * How one Lambda invocation ended, as Cognito's Lambda client sees it.
 */

/** The function returned a value (serialised to JSON and back, as Lambda does). */
export type Returned = { kind: 'returned'; value: unknown; durationMs: number; logs: string[] };
/** The function (or its init) failed: Lambda's `errorType` / `errorMessage`. */
export type Threw = {
  kind: 'threw';
  errorType: string;
  errorMessage: string;
  durationMs: number;
  logs: string[];
};
/** No answer before the per-attempt timeout. */
export type TimedOut = { kind: 'timeout'; durationMs: number; logs: string[] };

/** One attempt's result. */
export type InvocationResult = Returned | Threw | TimedOut;

/** Runs one attempt of a function on an event. */
export type Invoker = {
  invoke(event: unknown, timeoutMs: number): Promise<InvocationResult>;
  /** Frees whatever the invoker holds (child processes). */
  close(): Promise<void>;
};

/** Lambda's JSON round trip: what Cognito receives is the serialised value, never the object itself. */
export function throughJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
}

/** Lambda's view of a thrown value. */
export function lambdaErrorOf(error: unknown): { errorType: string; errorMessage: string } {
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message };
  return { errorType: 'Error', errorMessage: String(error) };
}
