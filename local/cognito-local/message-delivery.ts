/**
 * Message delivery with Cognito's rule for auto-confirmed sign-ups: when pre sign-up auto-confirmed the user,
 * Cognito sends no sign-up code, so neither the custom message trigger nor the inbox sees one (contract §2
 * rule 5). Every other message goes through, tagged with its custom message source for the inbox.
 */
import { cognitoRequestContext } from '../request-context.js';
import type { Messages } from './internals.js';

/**
 * Wraps cognito-local's `messages.deliver`.
 *
 * @example
 * messages.deliver = deliverAsCognito(messages.deliver.bind(messages));
 */
export function deliverAsCognito(deliver: Messages['deliver']): Messages['deliver'] {
  return async function deliverMessage(ctx, source, ...rest) {
    const context = cognitoRequestContext.getStore();
    if (source === 'SignUp' && context?.autoConfirmed === true) return;
    if (context !== undefined) context.messageSource = `CustomMessage_${source}`;
    await deliver(ctx, source, ...rest);
  };
}
