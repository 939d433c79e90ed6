/**
 * Custom message: renders localized, safe code, invitation and MFA messages that satisfy Cognito's rules.
 * The trigger's rule is in ./trigger.ts.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 */
import { handlerOf } from '../../shared/define-trigger.js';
import { customMessage } from './trigger.js';

/** The Lambda entry point. */
export const handler = handlerOf(customMessage, process.env);
