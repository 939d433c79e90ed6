/**
 * Custom SMS sender: decrypts the code Cognito encrypted, composes the SMS from the message catalogue and
 * sends it through SNS to an allowed country, once. The trigger's rule is in
 * ../custom-sender/rules/send-message.ts.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html
 */
import { handlerOf } from '../../shared/define-trigger.js';
import { customSmsSender } from '../custom-sender/trigger.js';

/** The Lambda entry point. */
export const handler = handlerOf(customSmsSender, process.env);
