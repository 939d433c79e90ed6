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

/**
 * Settles with `work`, or rejects with {@link DeadlineExceededError} at `deadline`, whichever comes first.
 * The timer never keeps the process alive.
 */
export async function withDeadline<T>(operation: string, deadline: number, work: Promise<T>): Promise<T> {
  const budgetMs = Math.max(0, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(operation, budgetMs)), budgetMs);
    timer.unref();
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
