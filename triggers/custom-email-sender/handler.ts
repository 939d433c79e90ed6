/**
 * Custom email sender: decrypts the code Cognito encrypted, composes the email from the message catalogue
 * and sends it through SES, once. The trigger's rule is in ../custom-sender/rules/send-message.ts.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-email-sender.html
 */
import { handlerOf } from '../../shared/define-trigger.js';
import { customEmailSender } from '../custom-sender/trigger.js';

/** The Lambda entry point. */
export const handler = handlerOf(customEmailSender, process.env);
