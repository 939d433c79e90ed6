/**
 * The API call cognito-local is serving, kept for the triggers it invokes: cognito-local drops
 * `ValidationData` and the caller's user agent before it builds a trigger event, and the corrected event
 * (local/cognito-events.ts) needs both. The pipeline's front server opens the context for each request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** One Cognito API call in flight. */
export type CognitoRequestContext = {
  /** The operation, from `X-Amz-Target` (`SignUp`, `ConfirmSignUp`, …). */
  operation: string;
  /** The request body as the caller sent it. */
  body: Record<string, unknown>;
  /** The caller's `User-Agent`, the source of `callerContext.awsSdkVersion`. */
  userAgent: string | undefined;
  /** Set once pre sign-up auto-confirmed the user: Cognito then sends no sign-up code (contract §2 rule 5). */
  autoConfirmed?: boolean;
  /** The custom message source of the message being delivered, for the inbox. */
  messageSource?: string;
};

/** The context of the request being served, if any. */
export const cognitoRequestContext = new AsyncLocalStorage<CognitoRequestContext>();
