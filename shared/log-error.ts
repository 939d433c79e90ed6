/**
 * The one policy for putting an error in a log line. Our own errors' names and messages are PII-free by
 * construction (shared/errors.ts), so they are logged whole, with their stack. A foreign error's message may
 * quote its input (JSON.parse does, an SDK error may hold a request's value), and its stack's first line
 * repeats the message: it is logged by name, Node.js error code (`ECONNREFUSED`, never input) and stack frames
 * only. Used by the core, the secret cache, the onboarding engine and every rule that logs a failure.
 */
import { SignUpFault, SignUpRejection, SignUpUnavailableError } from './errors.js';

const NODE_ERROR_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

/** What a log line says of `error` (see the module comment). */
export function loggableError(error: unknown): Record<string, unknown> {
  if (
    error instanceof SignUpFault ||
    error instanceof SignUpRejection ||
    error instanceof SignUpUnavailableError
  ) {
    return { name: error.name, message: error.message, stack: error.stack };
  }
  if (!(error instanceof Error)) return { name: typeof error };
  const code: unknown = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(typeof code === 'string' && NODE_ERROR_CODE.test(code) ? { code } : {}),
    ...(error.stack === undefined ? {} : { stack: error.stack.split('\n').slice(1).join('\n') }),
  };
}
