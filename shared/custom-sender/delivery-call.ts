/**
 * One outbound delivery call under a deadline: the SDK's request is aborted at the deadline (or with the
 * caller's signal), and the promise settles by then whatever the SDK does; any failure comes out classified
 * (delivery-error.ts).
 */
import { boundedSignal, withDeadline } from '../deadline.js';
import {
  classifyDeliveryError,
  type DeliveryChannel,
  DeliveryError,
  DeliveryFailure,
} from './delivery-error.js';

/**
 * How long a delivery may take. A custom sender is invoked asynchronously (no 5-second Cognito wait), so the
 * deadline is the function's own remaining time less a margin, set by the handler.
 */
export type DeliveryBounds = {
  /** Epoch milliseconds by which the call must have settled. */
  readonly deadline: number;
  /** Aborts the call early (the invocation is giving up); the deadline applies either way. */
  readonly signal?: AbortSignal;
};

/** What the service answered for a delivery it accepted. */
export type DeliveryReceipt = {
  /**
   * The service's message id (SES `MessageId`, SNS `MessageId`): for support cases and event matching.
   * `undefined` only when the service answered without one.
   */
  messageId: string | undefined;
};

/**
 * Runs `call` with a signal that aborts at `bounds.deadline` or with `bounds.signal`, and settles by the
 * deadline (one event-loop turn late, so an answer that has arrived is read rather than reported lost). A
 * deadline already past refuses at once, without a call. Every failure is a {@link DeliveryError}.
 */
export async function deliveryCall<T>(
  target: { channel: DeliveryChannel; operation: string; maskedDestination: string },
  bounds: DeliveryBounds,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const budgetMs = bounds.deadline - Date.now();
  if (budgetMs <= 0) {
    throw new DeliveryError({
      ...target,
      reason: DeliveryFailure.Timeout,
      errorName: 'DeadlineExceededError',
    });
  }
  const bounded = boundedSignal(bounds.signal, budgetMs);
  try {
    return await withDeadline(target.operation, bounds.deadline, call(bounded.signal), { afterDueIo: true });
  } catch (error) {
    throw classifyDeliveryError(error, target);
  } finally {
    bounded.clear();
  }
}
