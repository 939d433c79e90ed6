/**
 * Cognito waits 5 seconds for each attempt (contract §6). Every outbound call gets a deadline inside that.
 */
import { DeadlineExceededError } from './errors.js';

/** Cognito's fixed per-attempt wait (contract §6, "Timeout and retries"). */
export const COGNITO_TIMEOUT_MS = 5000;

/** Time kept back so a reply (even an error) reaches Cognito before it stops waiting. */
export const REPLY_MARGIN_MS = 300;

/**
 * The epoch-millisecond deadline for this invocation: the earlier of Cognito's budget and the Lambda's own
 * remaining time, less the reply margin.
 */
export function invocationDeadline(startedAt: number, lambdaRemainingMs: number | undefined): number {
  const lambdaBudget = lambdaRemainingMs === undefined ? COGNITO_TIMEOUT_MS : lambdaRemainingMs;
  return startedAt + Math.max(0, Math.min(COGNITO_TIMEOUT_MS, lambdaBudget) - REPLY_MARGIN_MS);
}

/** The least a cold start leaves the first invocation, however long its init took. */
export const MIN_INVOCATION_BUDGET_MS = 1000;

/**
 * The part of Cognito's wait a cold start has already used. Cognito's 5 s run from its call to Lambda, which
 * includes the init of a new execution environment, while the Lambda context counts only the invocation. So
 * on the first invocation of an on-demand environment (`AWS_LAMBDA_INITIALIZATION_TYPE`), the process's age
 * (its init) is taken off the budget, leaving at least {@link MIN_INVOCATION_BUDGET_MS}; provisioned and
 * SnapStart environments were initialised before Cognito called. (Half the budget was the cap before: at a
 * small memory size's CPU share, an init of 3 s then left a deadline past Cognito's 5 s, and no answer.)
 */
export function coldStartAllowance(
  initializationType: string | undefined,
  processAgeMs: number,
  budgetMs: number,
): number {
  if (initializationType !== 'on-demand') return 0;
  return Math.min(Math.max(0, Math.round(processAgeMs)), Math.max(0, budgetMs - MIN_INVOCATION_BUDGET_MS));
}

/**
 * Runs `expire` one event-loop turn after `ms`. A process starved of CPU (Lambda at a small memory size)
 * wakes with its timers and its sockets' data both due, and timers run first; the extra turn lets an answer
 * that has already arrived be read before the work it answers is given up.
 */
export function setTimeoutAfterDueIo(expire: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => setImmediate(expire), Math.max(0, ms));
  timer.unref();
  return timer;
}

/**
 * Settles with `work`, or rejects with {@link DeadlineExceededError} at `deadline`, whichever comes first.
 * The timer never keeps the process alive. With `afterDueIo`, the deadline waits one more event-loop turn
 * (see {@link setTimeoutAfterDueIo}): for work whose answer must not be reported lost when it has arrived.
 */
export async function withDeadline<T>(
  operation: string,
  deadline: number,
  work: Promise<T>,
  options: { afterDueIo?: boolean } = {},
): Promise<T> {
  const budgetMs = Math.max(0, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    const expire = () => reject(new DeadlineExceededError(operation, budgetMs));
    if (options.afterDueIo === true) {
      timer = setTimeoutAfterDueIo(expire, budgetMs);
    } else {
      timer = setTimeout(expire, budgetMs);
      timer.unref();
    }
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A signal bounded by a parent signal and a time limit. `clear()` ends it: releases the timer and the
 * listener, and aborts the signal if it has not aborted yet, so nothing it bounded outlives its caller.
 */
export type BoundedSignal = { signal: AbortSignal; clear(): void };

/**
 * A signal that aborts when `parent` does (with its reason) or after `ms` (with a `TimeoutError`, as
 * `AbortSignal.timeout` gives). Built on a timer and an AbortController rather than
 * `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: Node.js can garbage-collect a timeout signal that
 * only a composite signal holds, which then never aborts (nodejs/node#57736; seen here as a 100 ms captcha
 * bound that did not fire under load). The pending timer keeps this one alive. Call `clear()` once the caller
 * is done with the work (settled or given up).
 *
 * @example
 * const bounded = boundedSignal(context.signal, 800);
 * try { await fetch(url, { signal: bounded.signal }); } finally { bounded.clear(); }
 */
export function boundedSignal(parent: AbortSignal | undefined, ms: number): BoundedSignal {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    Math.max(0, ms),
  );
  timer.unref();
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted === true) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
      if (!controller.signal.aborted) {
        controller.abort(new DOMException('The caller is done with this work', 'AbortError'));
      }
    },
  };
}
