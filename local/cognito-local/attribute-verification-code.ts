/**
 * GetUserAttributeVerificationCode answers with the `CodeDeliveryDetails` of the code it sent (contract §5b;
 * the API reference's response syntax [D]); cognito-local sends the code and answers `{}`. The details are
 * those of the message actually delivered during the call, recorded as cognito-local hands it to the
 * message service (its `deliver(ctx, source, clientId, userPoolId, user, code, metadata, details)`), so the
 * answer names where the code went, never a guess. The router masks them like every other destination.
 */
import { cognitoRequestContext } from '../request-context.js';
import type { DeliveryDetails, Messages } from './internals.js';

/** The details of the last message delivered in each API call (keyed by the call's request context). */
const deliveredInCall = new WeakMap<object, DeliveryDetails>();

/** Where `details` sits among `deliver`'s arguments after `ctx` and `source`. */
const DETAILS_INDEX = 5;

/** Whether `value` has the shape of `CodeDeliveryDetails`. */
function isDeliveryDetails(value: unknown): value is DeliveryDetails {
  if (typeof value !== 'object' || value === null) return false;
  const details = value as Record<string, unknown>;
  return (
    typeof details.AttributeName === 'string' &&
    typeof details.DeliveryMedium === 'string' &&
    typeof details.Destination === 'string'
  );
}

/**
 * Wraps cognito-local's `messages.deliver` to note, for the call being served, where a message went once it
 * has been delivered (a message that was not delivered is not noted).
 *
 * @example
 * messages.deliver = deliverAsCognito(recordCodeDelivery(messages.deliver.bind(messages)));
 */
export function recordCodeDelivery(deliver: Messages['deliver']): Messages['deliver'] {
  return async function deliverAndRecord(ctx, source, ...rest) {
    await deliver(ctx, source, ...rest);
    const context = cognitoRequestContext.getStore();
    const details = rest[DETAILS_INDEX];
    if (context !== undefined && isDeliveryDetails(details)) deliveredInCall.set(context, { ...details });
  };
}

/**
 * cognito-local's GetUserAttributeVerificationCode answer with `CodeDeliveryDetails` of the code delivered
 * in this call; unchanged when none was.
 *
 * @example
 * withDeliveredCode({}); // { CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: '…' } }
 */
export function withDeliveredCode(answer: unknown): unknown {
  const context = cognitoRequestContext.getStore();
  const details = context === undefined ? undefined : deliveredInCall.get(context);
  if (details === undefined || typeof answer !== 'object' || answer === null) return answer;
  return { ...answer, CodeDeliveryDetails: details };
}
