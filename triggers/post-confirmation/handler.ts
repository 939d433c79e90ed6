/**
 * Post confirmation: onboards a newly confirmed user exactly once in effect (groups, profile, `UserConfirmed`
 * event), surviving Cognito's retries, and never re-onboards on a password reset. The engine and its actions
 * are in ./trigger.ts.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
 */
import { handlerOf } from '../../shared/define-trigger.js';
import { postConfirmation } from './trigger.js';

/** The Lambda entry point. */
export const handler = handlerOf(postConfirmation, process.env);
